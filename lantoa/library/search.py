"""Full-text search over the library, the same on SQLite and on PostgreSQL.

Text is folded in Python (:func:`lantoa.core.text.fold`: no diacritics, đ → d, lower case) and
split into tokens (runs of letters and digits; a run of digits loses its leading zeros, so
``01-KL/TW`` and ``1 kl tw`` are the same tokens). Each document is indexed as three columns of
*terms*, computed here and nowhere else:

* number — the tokens of the number and symbol (``1373/QĐ-UBND`` → ``1373 qd ubnd``);
* title — the tokens of the title;
* body — summary, tags, issuing body and the extracted text of the files of the document's
  current version (its highest version number).

A column's terms are its distinct tokens and its distinct *word pairs* — two tokens that stand
next to each other, marked by :data:`PAIR_MARK` (``hoc tap`` → ``qqhocqqtap``). A quoted phrase is
looked up as the pairs of its words, so neither engine keeps word positions: the index stays a
list of documents per term, which is what makes a word found in every document cheap to count
(see docs/decisions/0010). Only the first :data:`TERMS_LIMIT` characters of distinct terms of a
body are indexed (about 100 pages of ordinary text, since repeated words count once).

* SQLite: the FTS5 table :data:`FTS_TABLE` (rowid = document id; columns number, title, body;
  ``detail=column``);
* PostgreSQL: the table :data:`PG_TABLE` (document id; ``number`` and ``head`` — number and
  title — vectors for the ranking; ``body`` — every term — under a GIN index), vectors of the
  ``simple`` configuration without positions.

Both are created by migration 0004 and written by :func:`write_index` only. The ranking
(:func:`search_documents`) is computed the same way on both databases, so the same query lists
the same documents in the same order. The document keeps ``number_folded`` and
``title_folded`` (its tokens, space-separated) for display-free lookups.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, cast

from django.db import connection, transaction
from django.db.models import BooleanField, F, IntegerField, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Substr
from django.utils.safestring import SafeString, mark_safe

from lantoa.core.text import fold

FTS_TABLE = "library_search"
PG_TABLE = "library_document_search"
# Two neighbouring words as one term: the mark, the first word, the mark, the second. No
# Vietnamese word starts with "qq", so a word's prefix query (``dan*``) never reads the pairs.
PAIR_MARK = "qq"
# PostgreSQL refuses a tsvector above 1 MB; this many characters of distinct terms stay below it.
TERMS_LIMIT = 600_000
MAX_TERMS = 12
# A typed word this short ("co", "gi") is taken as it is, not as the start of a longer word:
# as a prefix it matches a large share of the vocabulary ("gi" → giáo, giữa, giải …).
MIN_PREFIX_LENGTH = 3
SNIPPET_BEFORE = 70
SNIPPET_LENGTH = 240
# Snippets look for the query in this many characters of each file first; the whole text is read
# only for documents whose match lies in the text (rank 0) but not in that start.
SNIPPET_SCAN = 8_000

_TOKEN = re.compile(r"[^\W_]+")
_QUOTED = re.compile(r'"([^"]*)"?')


# --- Tokens ------------------------------------------------------------------------------------


def _normal_token(token: str) -> str:
    if token.isascii() and token.isdigit():
        return token.lstrip("0") or "0"
    return token


def search_tokens(text: str | None) -> list[str]:
    """The search tokens of ``text``: folded, split on everything but letters and digits,
    digit runs without leading zeros. ``Số 01-KL/TW`` → ``["so", "1", "kl", "tw"]``."""
    return [_normal_token(token) for token in _TOKEN.findall(fold(text))]


def folded_number(number: str | None) -> str:
    """``01-KL/TW`` → ``1 kl tw`` (the value of ``Document.number_folded``)."""
    return " ".join(search_tokens(number))


# --- Indexing ----------------------------------------------------------------------------------


def pair(first: str, second: str) -> str:
    """The term of two neighbouring words."""
    return f"{PAIR_MARK}{first}{PAIR_MARK}{second}"


def column_terms(*parts: str | None, limit: int = TERMS_LIMIT) -> str:
    """The distinct words and word pairs of ``parts`` (pairs never span two parts), in order of
    first appearance, space-separated, at most ``limit`` characters."""
    seen: dict[str, None] = {}
    size = 0
    for part in parts:
        previous = ""
        for token in search_tokens(part):
            for term in (token, pair(previous, token)) if previous else (token,):
                if term not in seen:
                    if size + len(term) + 1 > limit:
                        return " ".join(seen)
                    seen[term] = None
                    size += len(term) + 1
            previous = token
    return " ".join(seen)


@dataclass(frozen=True)
class IndexRow:
    document_id: int
    number_folded: str  # the number's tokens, stored on the document
    title_folded: str  # the title's tokens, stored on the document
    number: str  # terms of each column of the index
    title: str
    body: str


def index_row(
    *,
    document_id: int,
    number: str,
    title: str,
    summary: str = "",
    tags: Iterable[str] = (),
    issuer: str = "",
    texts: Iterable[str] = (),
) -> IndexRow:
    """The index row of one document, from its fields and the extracted texts of the files of
    its current version (in file order)."""
    return IndexRow(
        document_id=document_id,
        number_folded=folded_number(number)[:120],
        title_folded=" ".join(search_tokens(title))[:600],
        number=column_terms(number),
        title=column_terms(title),
        body=column_terms(summary, *(str(tag) for tag in tags), issuer, *texts),
    )


def current_texts(document_ids: Sequence[int], *, models: Any = None, prefix: int = 0) -> dict[int, list[str]]:
    """The extracted texts of the files of each document's current version, in file order
    (only their first ``prefix`` characters when ``prefix`` is given)."""
    if models is None:
        from lantoa.library import models
    latest: dict[int, int] = {}
    versions = models.DocumentVersion.objects.filter(document_id__in=document_ids).order_by("document_id", "-number")
    for version_id, document_id in versions.values_list("pk", "document_id"):
        latest.setdefault(document_id, version_id)
    texts: dict[int, list[str]] = {pk: [] for pk in document_ids}
    by_version = {version_id: document_id for document_id, version_id in latest.items()}
    files = models.DocumentFile.objects.filter(version_id__in=list(by_version)).exclude(extracted_text="")
    if prefix:
        files = files.annotate(text_start=Substr("extracted_text", 1, prefix))
    rows = files.order_by("version_id", "pk").values_list("version_id", "text_start" if prefix else "extracted_text")
    for version_id, text in rows:
        texts[by_version[version_id]].append(text)
    return texts


def write_index(rows: Sequence[IndexRow]) -> None:
    """Store the folded columns of these documents and replace their index rows."""
    if not rows:
        return
    ids = [r.document_id for r in rows]
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE library_document SET number_folded = %s, title_folded = %s WHERE id = %s",
            [(r.number_folded, r.title_folded, r.document_id) for r in rows],
        )
        _delete_index_rows(cursor, ids)
        if connection.vendor == "postgresql":
            cursor.executemany(
                f"INSERT INTO {PG_TABLE} (document_id, number, head, body) VALUES (%s, "  # noqa: S608
                "strip(to_tsvector('simple', %s)), strip(to_tsvector('simple', %s || ' ' || %s)), "
                "strip(to_tsvector('simple', %s || ' ' || %s || ' ' || %s)))",
                [(r.document_id, r.number, r.number, r.title, r.number, r.title, r.body) for r in rows],
            )
        else:
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, number, title, body) VALUES (%s, %s, %s, %s)",  # noqa: S608
                [(r.document_id, r.number, r.title, r.body) for r in rows],
            )


def _delete_index_rows(cursor: Any, ids: Sequence[int]) -> None:
    table, key = (PG_TABLE, "document_id") if connection.vendor == "postgresql" else (FTS_TABLE, "rowid")
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        cursor.execute(f"DELETE FROM {table} WHERE {key} IN ({', '.join(['%s'] * len(chunk))})", chunk)  # noqa: S608


def index_documents(document_ids: Iterable[int], *, models: Any = None) -> int:
    """Recompute the search columns and index rows of these documents (in batches); returns how
    many documents were indexed. ``models`` lets a migration pass its historical models."""
    return len(_index(document_ids, models=models, keep=False))


def _index(document_ids: Iterable[int], *, models: Any = None, keep: bool = True) -> list[IndexRow]:
    if models is None:
        from lantoa.library import models
    ids = list(document_ids)
    done: list[IndexRow] = []
    for start in range(0, len(ids), 200):
        chunk = ids[start : start + 200]
        texts = current_texts(chunk, models=models)
        fields = ("pk", "number", "title", "summary", "tags", "issuer")
        rows = [
            index_row(
                document_id=pk,
                number=number,
                title=title,
                summary=summary,
                tags=tags or (),
                issuer=issuer,
                texts=texts.get(pk, ()),
            )
            for pk, number, title, summary, tags, issuer in models.Document.objects.filter(pk__in=chunk).values_list(
                *fields
            )
        ]
        write_index(rows)
        done.extend(rows if keep else [IndexRow(0, "", "", "", "", "")] * len(rows))
    return done


def index_document(document: Any) -> None:
    """Refresh the index row of one document (called by the services after every change, and
    when the text of one of its files has been extracted), and the in-memory instance's folded
    fields."""
    for row in _index([document.pk]):
        document.number_folded = row.number_folded
        document.title_folded = row.title_folded


# --- Queries -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    tokens: tuple[str, ...]  # more than one: a phrase (the words next to each other, in order)
    prefix: bool = False  # the last token may be the start of a longer word


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[Term, ...]
    any_term: bool = False  # a document matching one term is enough (else it must match every one)

    @property
    def tokens(self) -> list[str]:
        return [token for term in self.terms for token in term.tokens]

    def __bool__(self) -> bool:
        return bool(self.terms)


def parse_query(q: str | None, *, any_term: bool = False) -> ParsedQuery:
    """Words and ``"quoted phrases"``, all required unless ``any_term``; the last bare word also
    matches longer words (typing ``nghi quy`` finds ``nghị quyết``) when it has at least
    :data:`MIN_PREFIX_LENGTH` letters. Punctuation separates words, so ``36-NQ/TW`` is the words
    36, nq and tw."""
    text = unicodedata.normalize("NFC", q or "")
    terms: list[Term] = []
    for phrase in _QUOTED.findall(text):
        tokens = tuple(search_tokens(phrase))
        if tokens:
            terms.append(Term(tokens))
    bare = [Term((token,)) for token in search_tokens(_QUOTED.sub(" ", text))]
    if bare and not text.rstrip().endswith('"') and len(bare[-1].tokens[0]) >= MIN_PREFIX_LENGTH:
        bare[-1] = Term(bare[-1].tokens, prefix=True)
    terms.extend(bare)
    seen: set[Term] = set()
    unique = [t for t in terms if not (t in seen or seen.add(t))]  # type: ignore[func-returns-value]
    return ParsedQuery(tuple(unique[:MAX_TERMS]), any_term=any_term)


def _index_terms(term: Term) -> list[tuple[str, bool]]:
    """The index terms a query term needs, each with its prefix flag: the word, or the pairs of
    a phrase's neighbouring words."""
    if len(term.tokens) == 1:
        return [(term.tokens[0], term.prefix)]
    return [(pair(a, b), False) for a, b in zip(term.tokens, term.tokens[1:], strict=False)]


def _fts_queries(parsed: ParsedQuery) -> tuple[str, str, str]:
    """FTS5 queries: the terms (every one, or any one); the number holding every word; number
    and title matching."""
    terms = [
        "(" + " AND ".join(f'"{text}"' + ("*" if prefix else "") for text, prefix in _index_terms(term)) + ")"
        for term in parsed.terms
    ]
    main = (" OR " if parsed.any_term else " AND ").join(terms)
    number = "number : (" + " AND ".join(f'"{token}"' for token in parsed.tokens) + ")"
    title = "{number title} : (" + main + ")"
    return main, number, title


def _ts_queries(parsed: ParsedQuery) -> tuple[str, str]:
    """``tsquery`` texts: the terms (every one, or any one); the number holding every word.
    Tokens hold only letters and digits, so they need no quoting beyond the quotes."""
    terms = [
        "(" + " & ".join(f"'{text}'" + (":*" if prefix else "") for text, prefix in _index_terms(term)) + ")"
        for term in parsed.terms
    ]
    main = (" | " if parsed.any_term else " & ").join(terms)
    number = " & ".join(f"'{token}'" for token in parsed.tokens)
    return main, number


def _match(queryset: QuerySet[Any], parsed: ParsedQuery) -> QuerySet[Any]:
    """The documents matching every term of the query."""
    table = queryset.model._meta.db_table
    if connection.vendor == "postgresql":
        main, _number = _ts_queries(parsed)
        # The matches first, alone, through the index; the filters and scope then apply to them.
        with _index_first() as cursor:
            cursor.execute(f"SELECT document_id FROM {PG_TABLE} WHERE body @@ to_tsquery('simple', %s)", [main])  # noqa: S608
            ids = [row[0] for row in cursor.fetchall()]
        matched = RawSQL(f'"{table}".id IN (SELECT unnest(%s::integer[]))', [ids], output_field=BooleanField())  # noqa: S611
        return queryset.filter(matched)
    main, _number, _title = _fts_queries(parsed)
    select = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
    return queryset.filter(pk__in=RawSQL(select, [main]))  # noqa: S611


def _rank(queryset: QuerySet[Any], parsed: ParsedQuery) -> QuerySet[Any]:
    """Annotate ``search_rank``: 2 when the number holds every word of the query, 1 when number
    and title together match the query, 0 when only the rest of the text does."""
    table = queryset.model._meta.db_table
    pk = f'"{table}"."id"'
    if connection.vendor == "postgresql":
        main, number = _ts_queries(parsed)
        points = (
            "(CASE WHEN s.number @@ to_tsquery('simple', %s) THEN 1 ELSE 0 END) + "
            "(CASE WHEN s.head @@ to_tsquery('simple', %s) THEN 1 ELSE 0 END)"
        )
        sql = f"COALESCE((SELECT {points} FROM {PG_TABLE} s WHERE s.document_id = {pk}), 0)"  # noqa: S608
        rank = RawSQL(sql, [number, main], output_field=IntegerField())  # noqa: S611
        return queryset.annotate(search_rank=rank)
    main, number, title = _fts_queries(parsed)
    select = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
    rank = RawSQL(  # noqa: S611
        f"(CASE WHEN {pk} IN ({select}) THEN 1 ELSE 0 END) + (CASE WHEN {pk} IN ({select}) THEN 1 ELSE 0 END)",
        [number, title],
        output_field=IntegerField(),
    )
    return queryset.annotate(search_rank=rank)


# --- Snippets ----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _letter_classes() -> dict[str, str]:
    """For each folded letter, a regular-expression class of every letter that folds to it
    (``d`` → ``[dDđĐ]``), so a pattern finds the query in the original text without folding it."""
    variants: dict[str, set[str]] = {}
    for code in [*range(0x30, 0x7B), *range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        char = chr(code)
        folded = fold(char)
        if len(folded) == 1 and folded.isalnum():
            variants.setdefault(folded, {folded}).add(char)
    return {key: "[" + "".join(sorted(re.escape(c) for c in chars)) + "]" for key, chars in variants.items()}


def _token_pattern(token: str, prefix: bool) -> str:
    classes = _letter_classes()
    body = "".join(classes.get(char, re.escape(char)) for char in token)
    if token.isascii() and token.isdigit():
        body = "0*" + body
    return body + (r"[^\W_]*" if prefix else "") + r"(?![^\W_])"


def highlight_pattern(parsed: ParsedQuery) -> re.Pattern[str] | None:
    """A pattern matching any word of the query in original (unfolded, NFC) text."""
    alternatives: dict[str, bool] = {}
    for term in parsed.terms:
        for position, token in enumerate(term.tokens):
            is_prefix = term.prefix and position == len(term.tokens) - 1
            alternatives[token] = alternatives.get(token, False) or is_prefix
    if not alternatives:
        return None
    # Longer words first, so a word is not cut short by a shorter one it starts with.
    ordered = sorted(alternatives.items(), key=lambda item: -len(item[0]))
    return re.compile(r"(?<![^\W_])(?:" + "|".join(_token_pattern(t, p) for t, p in ordered) + ")")


def _marked(text: str, pattern: re.Pattern[str] | None) -> str:
    if pattern is None:
        return html.escape(text)
    out, last = [], 0
    for found in pattern.finditer(text):
        out.append(html.escape(text[last : found.start()]))
        out.append(f"<mark>{html.escape(found.group())}</mark>")
        last = found.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def _first_match(texts: Sequence[str], pattern: re.Pattern[str] | None) -> tuple[str, int] | None:
    if pattern is not None:
        for text in texts:
            found = pattern.search(text)
            if found:
                return text, found.start()
    return None


def _nfc(text: str) -> str:
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def _tidy(text: str) -> str:
    """Runs of whitespace as one space, keeping one at either end if there was any."""
    inner = " ".join(text.split())
    if not inner:
        return " " if text else ""
    return (" " if text[0].isspace() else "") + inner + (" " if text[-1].isspace() else "")


def snippet_html(texts: Sequence[str], pattern: re.Pattern[str] | None, *, length: int = SNIPPET_LENGTH) -> SafeString:
    """A short passage around the first match in ``texts`` (tried in order), HTML-escaped, the
    query's words marked with ``<mark>``; the start of the first text when nothing matches.
    Only the neighbourhood of the match is tidied (a file's text can be very long)."""
    texts = [_nfc(t) for t in texts if t and not t.isspace()]
    if not texts:
        return mark_safe("")
    chosen, at = _first_match(texts, pattern) or (texts[0], 0)
    window_start = max(0, at - 4 * SNIPPET_BEFORE)
    window_end = at + 4 * length
    lead = _tidy(chosen[window_start:at]).lstrip() if window_start == 0 else _tidy(chosen[window_start:at])
    text = (lead + _tidy(chosen[at:window_end])).rstrip()
    at = len(lead)
    cut_before, cut_after = window_start > 0, window_end < len(chosen)
    start = max(0, at - SNIPPET_BEFORE)
    if start:
        space = text.find(" ", start, at)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", max(at + 1, start), end)
        end = space if space > at else end
    passage = _marked(text[start:end], pattern)
    before = "… " if start or cut_before else ""
    after = " …" if end < len(text) or cut_after else ""
    return mark_safe(before + passage.strip() + after)


# --- The selector ------------------------------------------------------------------------------


@dataclass
class SearchHit:
    document: Any  # lantoa.library.models.Document, with .kind loaded
    rank: int  # 2: the number holds every word; 1: number and title match; 0: the text matches
    snippet: SafeString  # escaped HTML, the query's words in <mark>


@dataclass
class SearchPage:
    items: list[SearchHit]
    count: int  # every matching document the user may see, not only this page
    limit: int
    offset: int
    query: ParsedQuery = field(default_factory=lambda: ParsedQuery(()))


def matching_issuers(text: str) -> list[str]:
    """The issuing bodies whose folded name contains the folded ``text``."""
    from lantoa.library.models import Document

    wanted = fold(text)
    issuers = Document.objects.exclude(issuer="").values_list("issuer", flat=True).distinct()
    return [issuer for issuer in issuers if wanted in fold(issuer)]


def search_documents(
    by: Any,
    *,
    q: str = "",
    kind: str = "",
    issuer: str = "",
    year: int | None = None,
    status: str = "",
    language: str = "",
    any_word: bool = False,
    limit: int = 20,
    offset: int = 0,
) -> SearchPage:
    """Search the documents ``by`` may read (``permissions.documents_visible_to``).

    ``q``: words, all required (with ``any_word``, one is enough), in any form — with or
    without diacritics, composed or decomposed Unicode, any case (``nghi quyet`` finds ``Nghị quyết``, ``dang`` finds
    ``Đảng``); in ``"quoted words"`` each word must stand next to the following one (checked
    pair by pair, within the title, the number or one part of the text); the last word also
    matches longer words when it has three letters or more (``gi`` is the word ``gì``, not the
    start of ``giáo``). Punctuation separates words, and digit runs ignore leading zeros, so
    ``01-KL/TW``, ``01 KL TW``, ``KL 01`` and ``kl/tw 1`` all find ``01-KL/TW``. An empty
    ``q`` (or one without letters or digits) lists every document that passes the filters.

    Filters (empty or ``None``: no filter): ``kind`` — a ``DocumentKind.code``; ``issuer`` —
    text contained in the issuing body, folded; ``year`` — the year of ``issued_on``;
    ``status`` — a ``Document.Status`` value; ``language`` — a ``Language`` value.

    Order: ``rank`` (2: every word of the query is in the number; 1: number and title together
    match the query; 0: the match is in the summary, tags, issuer or file text), then the
    newest ``issued_on`` (documents without a date last), then the newest record. The same on
    SQLite and PostgreSQL. Without ``q`` every rank is 0.

    Returns a :class:`SearchPage`: ``items`` (at most ``limit``, from ``offset``), each with
    the ``document`` (``kind`` loaded), its ``rank`` and a ``snippet`` (safe HTML: a passage
    around the first match, escaped, matches in ``<mark>``), and ``count``, every matching
    document. Runs five queries (count, page, documents, current versions, file texts), one more
    on PostgreSQL (the matches through the index), and one more when a match lies deep in a
    long text.
    """
    from lantoa.library.permissions import documents_visible_to

    limit = max(0, min(int(limit), 200))
    offset = max(0, int(offset))
    queryset: QuerySet[Any] = documents_visible_to(by)
    if kind:
        queryset = queryset.filter(kind__code=kind)
    if issuer.strip():
        queryset = queryset.filter(issuer__in=matching_issuers(issuer))
    if year:
        queryset = queryset.filter(issued_on__year=year)
    if status:
        queryset = queryset.filter(status=status)
    if language:
        queryset = queryset.filter(language=language)
    parsed = parse_query(q, any_term=any_word)
    if parsed:
        queryset = _match(queryset, parsed)
    return _search_page(queryset, parsed, limit=limit, offset=offset)


@contextmanager
def _index_first() -> Iterator[Any]:
    """A PostgreSQL cursor whose planner reads the GIN index even when most documents match. The
    planner prices reading every vector in a sequential scan as cheap, but each is a long value
    stored apart from its row; the index answers these queries (words, prefixes, no positions)
    without reading a single vector."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_seqscan'), set_config('enable_seqscan', 'off', true)")
        previous = cursor.fetchone()[0]
        try:
            yield cursor
        finally:
            cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [previous])


def _search_page(queryset: QuerySet[Any], parsed: ParsedQuery, *, limit: int, offset: int) -> SearchPage:
    count = queryset.count()
    if parsed:
        queryset = _rank(queryset, parsed)
    else:
        queryset = queryset.annotate(search_rank=Value(0, output_field=IntegerField()))
    ordered = queryset.order_by(F("search_rank").desc(), F("issued_on").desc(nulls_last=True), "-pk")
    # Order and cut the page on the narrow columns first, then load those documents only.
    ranked = list(cast(Any, ordered).values_list("pk", "search_rank")[offset : offset + limit])
    loaded = queryset.model.objects.select_related("kind").in_bulk([pk for pk, _r in ranked])
    pattern = highlight_pattern(parsed) if parsed else None
    texts = _snippet_texts([(loaded[pk], rank) for pk, rank in ranked], pattern)
    items = [
        SearchHit(
            document=loaded[pk],
            rank=int(rank),
            snippet=snippet_html([loaded[pk].summary, *texts.get(pk, [])], pattern),
        )
        for pk, rank in ranked
    ]
    return SearchPage(items=items, count=count, limit=limit, offset=offset, query=parsed)


def _snippet_texts(hits: Sequence[tuple[Any, int]], pattern: re.Pattern[str] | None) -> dict[int, list[str]]:
    """The texts to cut snippets from: the start of each file, and the whole text of the files
    of documents matched only by their text whose match is not in that start."""
    if not hits:
        return {}
    texts = current_texts([document.pk for document, _rank in hits], prefix=SNIPPET_SCAN)
    if pattern is None:
        return texts
    again = [
        document.pk
        for document, rank in hits
        if rank == 0
        and any(len(text) >= SNIPPET_SCAN for text in texts[document.pk])
        and _first_match([document.summary, *texts[document.pk]], pattern) is None
    ]
    if again:
        texts.update(current_texts(again))
    return texts
