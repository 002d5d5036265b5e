"""Full-text search over the library, the same on SQLite and on PostgreSQL.

Text is folded in Python (:func:`lantoa.core.text.fold`: no diacritics, đ → d, lower case),
split into tokens (runs of letters and digits; a run of digits loses its leading zeros, so
``01-KL/TW`` and ``1 kl tw`` are the same tokens) and stored space-separated in three columns
of :class:`~lantoa.library.models.Document`:

* ``number_folded`` — the tokens of the number and symbol (``1373/QĐ-UBND`` → ``1373 qd ubnd``);
* ``title_folded`` — the tokens of the title;
* ``search_folded`` — the tokens of everything else: summary, tags, issuing body and the
  extracted text of the files of the document's current version (its highest version number),
  cut at :data:`BODY_LIMIT` characters.

Because the database's own parser only ever sees plain lower-case ASCII-like words separated
by spaces, both full-text engines cut the text into the same words:

* SQLite: the FTS5 table :data:`FTS_TABLE` (rowid = document id; columns number, title, body),
  kept by :func:`index_document` (delete + insert);
* PostgreSQL: a GIN index on the weighted ``tsvector`` :data:`PG_VECTOR` (``simple``
  configuration; number and title weight A, the rest weight D) over the same columns.

Both are created by migration 0003. The ranking (:func:`search_documents`) is computed the same
way on both databases, so the same query lists the same documents in the same order.
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

FTS_TABLE = "library_document_fts"
PG_INDEX = "library_document_search_gin"
# The indexed expression; a query must repeat it exactly for PostgreSQL to use the index.
PG_FUNCTION = "library_search_vector"
# The weighted vector, in a PL/pgSQL function (never inlined) declared costly, so that the
# planner reads the GIN index rather than parsing long texts row by row.
PG_FUNCTION_SQL = (
    f"CREATE OR REPLACE FUNCTION {PG_FUNCTION}(number text, title text, body text) RETURNS tsvector "
    "LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 100000 AS $$ BEGIN RETURN "
    "setweight(to_tsvector('simple'::regconfig, number), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, title), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, body), 'D'); END $$"
)
# The indexed expression; a query repeats it exactly for PostgreSQL to use the index. ``{p}`` is
# empty in the index and the quoted table name and a dot in queries.
PG_VECTOR = f"{PG_FUNCTION}({{p}}number_folded::text, {{p}}title_folded::text, {{p}}search_folded)"
# PostgreSQL refuses a tsvector above 1 MB; this many characters of tokens stay well below it.
BODY_LIMIT = 400_000
MAX_TERMS = 12
SNIPPET_BEFORE = 70
SNIPPET_LENGTH = 240
# Snippets look for the query in this many characters of each file first; the whole text is read
# only for documents whose match lies in the text (rank 0) but not in that start.
SNIPPET_SCAN = 20_000

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


@dataclass(frozen=True)
class IndexRow:
    document_id: int
    number_folded: str
    title_folded: str
    search_folded: str


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
    """The folded columns of one document, from its fields and the extracted texts of the
    files of its current version (in file order)."""
    parts = [summary, " ".join(str(tag) for tag in tags), issuer, *texts]
    body = " ".join(token for part in parts for token in search_tokens(part))
    if len(body) > BODY_LIMIT:
        body = body[: body.rfind(" ", 0, BODY_LIMIT + 1)].rstrip()
    return IndexRow(
        document_id=document_id,
        number_folded=folded_number(number)[:120],
        title_folded=" ".join(search_tokens(title))[:600],
        search_folded=body,
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
    """Store the folded columns and (on SQLite) the FTS5 rows of these documents."""
    if not rows:
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE library_document SET number_folded = %s, title_folded = %s, search_folded = %s WHERE id = %s",
            [(r.number_folded, r.title_folded, r.search_folded, r.document_id) for r in rows],
        )
        if connection.vendor == "sqlite":
            ids = [r.document_id for r in rows]
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                cursor.execute(
                    f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({', '.join(['%s'] * len(chunk))})",  # noqa: S608
                    chunk,
                )
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, number, title, body) VALUES (%s, %s, %s, %s)",  # noqa: S608
                [(r.document_id, r.number_folded, r.title_folded, r.search_folded) for r in rows],
            )


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
        done.extend(rows if keep else [IndexRow(0, "", "", "")] * len(rows))
    return done


def index_document(document: Any) -> None:
    """Refresh the search columns and index row of one document (called by the services after
    every change, and when the text of one of its files has been extracted). Also refreshes the
    in-memory instance's folded fields."""
    for row in _index([document.pk]):
        document.number_folded = row.number_folded
        document.title_folded = row.title_folded
        document.search_folded = row.search_folded


def unindex_documents(document_ids: Iterable[int]) -> None:
    """Remove index rows (SQLite; on PostgreSQL the index follows the rows by itself)."""
    ids = list(document_ids)
    if connection.vendor == "sqlite" and ids:
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({', '.join(['%s'] * len(ids))})",  # noqa: S608
                ids,
            )


# --- Queries -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    tokens: tuple[str, ...]  # more than one: a phrase (the words next to each other, in order)
    prefix: bool = False  # the last token may be the start of a longer word


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[Term, ...]

    @property
    def tokens(self) -> list[str]:
        return [token for term in self.terms for token in term.tokens]

    def __bool__(self) -> bool:
        return bool(self.terms)


def parse_query(q: str | None) -> ParsedQuery:
    """Words (all required), ``"quoted phrases"``; the last bare word also matches longer words
    (typing ``nghi quy`` finds ``nghị quyết``). Punctuation separates words, so ``36-NQ/TW`` is
    the words 36, nq and tw."""
    text = unicodedata.normalize("NFC", q or "")
    terms: list[Term] = []
    for phrase in _QUOTED.findall(text):
        tokens = tuple(search_tokens(phrase))
        if tokens:
            terms.append(Term(tokens))
    bare = [Term((token,)) for token in search_tokens(_QUOTED.sub(" ", text))]
    if bare and not text.rstrip().endswith('"'):
        bare[-1] = Term(bare[-1].tokens, prefix=True)
    terms.extend(bare)
    seen: set[Term] = set()
    unique = [t for t in terms if not (t in seen or seen.add(t))]  # type: ignore[func-returns-value]
    return ParsedQuery(tuple(unique[:MAX_TERMS]))


def _fts_term(term: Term) -> str:
    return '"' + " ".join(term.tokens) + '"' + ("*" if term.prefix else "")


def _fts_queries(parsed: ParsedQuery) -> tuple[str, str, str]:
    main = " AND ".join(_fts_term(t) for t in parsed.terms)
    number = "number : (" + " AND ".join(f'"{token}"' for token in parsed.tokens) + ")"
    title = "{number title} : (" + main + ")"
    return main, number, title


def _ts_term(term: Term) -> str:
    words = [f"'{token}'" for token in term.tokens]
    if term.prefix:
        words[-1] += ":*"
    # A phrase's words are looked up in the index; their order is checked on the folded text
    # (the ``<->`` operator would make PostgreSQL parse every candidate's whole text again).
    return words[0] if len(words) == 1 else "(" + " & ".join(words) + ")"


def _pg_phrases(table: str, parsed: ParsedQuery) -> tuple[str, list[str]]:
    """SQL and parameters requiring each phrase as consecutive words inside one column."""
    sql, params = [], []
    for term in parsed.terms:
        if len(term.tokens) < 2:
            continue
        phrase = " " + " ".join(term.tokens) + " "
        columns = [f"strpos(' ' || \"{table}\".{c} || ' ', %s) > 0" for c in ("number_folded", "title_folded")]
        columns.append(f"strpos(' ' || \"{table}\".search_folded || ' ', %s) > 0")
        sql.append("(" + " OR ".join(columns) + ")")
        params += [phrase] * 3
    return " AND ".join(sql), params


def _ts_queries(parsed: ParsedQuery) -> tuple[str, str]:
    main = " & ".join(_ts_term(t) for t in parsed.terms)
    number = " & ".join(f"'{token}'" for token in parsed.tokens)
    return main, number


def _match(queryset: QuerySet[Any], parsed: ParsedQuery) -> QuerySet[Any]:
    """The documents matching every term of the query."""
    table = queryset.model._meta.db_table
    if connection.vendor == "postgresql":
        main, _number = _ts_queries(parsed)
        vector = PG_VECTOR.format(p=f'"{table}".')
        # Only the query is a parameter; the SQL is built from constants.
        phrases, params = _pg_phrases(table, parsed)
        sql = f"{vector} @@ to_tsquery('simple', %s)" + (f" AND {phrases}" if phrases else "")
        # The matches first, alone, through the index; the filters and scope then apply to them.
        with _index_first() as cursor:
            cursor.execute(f'SELECT "{table}".id FROM "{table}" WHERE {sql}', [main, *params])  # noqa: S608
            ids = [row[0] for row in cursor.fetchall()]
        return queryset.filter(RawSQL(f'"{table}".id = ANY(%s)', [ids], output_field=BooleanField()))  # noqa: S611
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
        rank = RawSQL(  # noqa: S611
            f"(CASE WHEN to_tsvector('simple', \"{table}\".number_folded) @@ to_tsquery('simple', %s) "
            "THEN 1 ELSE 0 END) + "
            f"(CASE WHEN (to_tsvector('simple', \"{table}\".number_folded) || "
            f"to_tsvector('simple', \"{table}\".title_folded)) @@ to_tsquery('simple', %s) THEN 1 ELSE 0 END)",
            [number, main],
            output_field=IntegerField(),
        )
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


def snippet_html(texts: Sequence[str], pattern: re.Pattern[str] | None, *, length: int = SNIPPET_LENGTH) -> SafeString:
    """A short passage around the first match in ``texts`` (tried in order), HTML-escaped, the
    query's words marked with ``<mark>``; the start of the first text when nothing matches."""
    texts = [" ".join(unicodedata.normalize("NFC", t).split()) for t in texts if t and t.strip()]
    if not texts:
        return mark_safe("")
    chosen, at = _first_match(texts, pattern) or (texts[0], 0)
    start = max(0, at - SNIPPET_BEFORE)
    if start:
        space = chosen.find(" ", start, at)
        start = space + 1 if space != -1 else start
    end = min(len(chosen), start + length)
    if end < len(chosen):
        space = chosen.rfind(" ", max(at + 1, start), end)
        end = space if space > at else end
    passage = _marked(chosen[start:end], pattern)
    return mark_safe(("… " if start else "") + passage + (" …" if end < len(chosen) else ""))


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
    limit: int = 20,
    offset: int = 0,
) -> SearchPage:
    """Search the documents ``by`` may read (``permissions.documents_visible_to``).

    ``q``: words, all required, in any form — with or without diacritics, composed or
    decomposed Unicode, any case (``nghi quyet`` finds ``Nghị quyết``, ``dang`` finds
    ``Đảng``); ``"quoted words"`` must stand next to each other; the last word also matches
    longer words. Punctuation separates words, and digit runs ignore leading zeros, so
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
    document. Runs five queries (count, page, documents, current versions, file texts), and two
    more when a match lies deep in a long text. ``search_folded`` is deferred on the documents.
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
    parsed = parse_query(q)
    if parsed:
        queryset = _match(queryset, parsed)
    return _search_page(queryset, parsed, limit=limit, offset=offset)


@contextmanager
def _index_first() -> Iterator[Any]:
    """A PostgreSQL cursor whose planner reads the GIN index even when most documents match: it
    costs the index's recheck of the vector like parsing every text again (which the index
    never needs for these queries), and would otherwise parse every long text row by row."""
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
    loaded = queryset.model.objects.select_related("kind").defer("search_folded").in_bulk([pk for pk, _r in ranked])
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
