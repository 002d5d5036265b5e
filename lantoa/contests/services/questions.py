"""Questions: checking one, creating it with its first version, revising it (a new version,
never an edit in place) and retiring it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.contests.models import (
    DIFFICULTY_MAX,
    DIFFICULTY_MIN,
    EXPLANATION_MAX,
    KEY_MAX,
    MAX_OPTIONS,
    MIN_OPTIONS,
    OPTION_KEYS,
    OPTION_MAX,
    REF_MAX,
    STEM_MAX,
    TAG_MAX,
    TAGS_PER_QUESTION,
    Difficulty,
    Kind,
    Question,
    QuestionBank,
    QuestionTag,
    QuestionVersion,
    Scoring,
)
from lantoa.core.audit import actor_or_none, audit_record
from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.core.results import Created
from lantoa.core.text import clean_text, fold

TRUE_FALSE_OPTIONS = ("Đúng", "Sai")


@dataclass
class QuestionData:
    """A question as a form, the API or an import gives it. ``options`` are the texts in order
    (their keys are A, B, C… by position); ``correct`` are keys."""

    stem: str
    options: Sequence[str]
    correct: Sequence[str]
    kind: str = Kind.SINGLE
    scoring: str = Scoring.ALL_OR_NOTHING
    explanation: str = ""
    tags: Sequence[str] = ()
    difficulty: int = Difficulty.MEDIUM
    source_document: Any = None  # a library.Document the caller may see
    ref: str = ""
    client_key: str = ""


@dataclass
class CleanQuestion:
    """A question once checked: what the version and the question rows will hold."""

    kind: str
    stem: str
    options: list[dict[str, str]]
    correct: list[str]
    scoring: str
    explanation: str
    tags: list[str]
    difficulty: int
    ref: str
    source_document: Any = None
    problems: dict[str, str] = field(default_factory=dict)

    @property
    def folded(self) -> str:
        return fold(" ".join([self.stem, *(o["text"] for o in self.options)]))

    @property
    def content(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "stem": self.stem,
            "options": [o["text"] for o in self.options],
            "correct": list(self.correct),
            "scoring": self.scoring,
            "explanation": self.explanation,
        }


def clean_tags(tags: Iterable[str]) -> list[str]:
    """Tags cleaned, empty ones dropped, each once (ignoring case), in their order."""
    seen: set[str] = set()
    kept: list[str] = []
    for tag in tags:
        text = clean_text(tag)
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            kept.append(text)
    return kept


def question_check(data: QuestionData) -> CleanQuestion:
    """``data`` cleaned, with every problem by field in ``problems`` (empty when all is good)."""
    problems: dict[str, str] = {}
    kind = data.kind if data.kind in Kind.values else ""
    if not kind:
        problems["kind"] = _("Choose single choice, multiple select or true or false.")
    stem = clean_text(data.stem, multiline=True)
    if not stem:
        problems["stem"] = _("Write the question.")
    elif len(stem) > STEM_MAX:
        problems["stem"] = _("The question is longer than %(max)s characters.") % {"max": STEM_MAX}
    texts = [clean_text(text) for text in data.options]
    if kind == Kind.TRUE_FALSE and not any(texts):
        texts = list(TRUE_FALSE_OPTIONS)
    if kind == Kind.TRUE_FALSE and len(texts) != 2:
        problems["options"] = _("A true-or-false question has exactly two options.")
    elif not MIN_OPTIONS <= len(texts) <= MAX_OPTIONS:
        problems["options"] = _("Give between %(min)s and %(max)s options.") % {"min": MIN_OPTIONS, "max": MAX_OPTIONS}
    elif not all(texts):
        problems["options"] = _("Option %(key)s is empty.") % {"key": OPTION_KEYS[texts.index("")]}
    elif any(len(text) > OPTION_MAX for text in texts):
        problems["options"] = _("An option is longer than %(max)s characters.") % {"max": OPTION_MAX}
    elif len({text.casefold() for text in texts}) != len(texts):
        problems["options"] = _("Two options say the same thing.")
    options = [{"key": OPTION_KEYS[n], "text": text} for n, text in enumerate(texts[:MAX_OPTIONS])]
    keys = [o["key"] for o in options]
    correct: list[str] = []
    for key in data.correct:
        letter = clean_text(key).upper()
        if letter and letter not in correct:
            correct.append(letter)
    correct.sort()
    if "options" not in problems:
        unknown = [key for key in correct if key not in keys]
        if unknown:
            problems["correct"] = _("%(keys)s is not one of the options (%(options)s).") % {
                "keys": ", ".join(unknown),
                "options": ", ".join(keys),
            }
        elif not correct:
            problems["correct"] = _("Mark the correct option.")
        elif kind in (Kind.SINGLE, Kind.TRUE_FALSE) and len(correct) != 1:
            problems["correct"] = _("A single-choice or true-or-false question has exactly one correct option.")
    scoring = data.scoring if data.scoring in Scoring.values else ""
    if not scoring:
        problems["scoring"] = _("Choose all or nothing or partial credit.")
    elif scoring == Scoring.PARTIAL and kind != Kind.MULTIPLE:
        problems["scoring"] = _("Partial credit is for multiple-select questions only.")
    explanation = clean_text(data.explanation, multiline=True)
    if len(explanation) > EXPLANATION_MAX:
        problems["explanation"] = _("The explanation is longer than %(max)s characters.") % {"max": EXPLANATION_MAX}
    tags = clean_tags(data.tags)
    if len(tags) > TAGS_PER_QUESTION:
        problems["tags"] = _("A question has at most %(max)s tags.") % {"max": TAGS_PER_QUESTION}
    elif any(len(tag) > TAG_MAX for tag in tags):
        problems["tags"] = _("A tag is longer than %(max)s characters.") % {"max": TAG_MAX}
    difficulty = data.difficulty
    if (
        isinstance(difficulty, bool)
        or not isinstance(difficulty, int)
        or not DIFFICULTY_MIN <= difficulty <= DIFFICULTY_MAX
    ):
        problems["difficulty"] = _("Difficulty is 1 (easy), 2 (medium) or 3 (hard).")
        difficulty = Difficulty.MEDIUM
    ref = clean_text(data.ref)
    if len(ref) > REF_MAX:
        problems["ref"] = _("The code is longer than %(max)s characters.") % {"max": REF_MAX}
    return CleanQuestion(
        kind=kind,
        stem=stem,
        options=options,
        correct=correct,
        scoring=scoring,
        explanation=explanation,
        tags=tags,
        difficulty=difficulty,
        ref=ref,
        source_document=data.source_document,
        problems=problems,
    )


def question_validate(data: QuestionData) -> CleanQuestion:
    """``data`` cleaned, or every problem at once as one error (the first names its field)."""
    clean = question_check(data)
    if clean.problems:
        field_name, message = next(iter(clean.problems.items()))
        raise ValidationFailed(message, extra={"field": field_name, "errors": clean.problems})
    return clean


class TagCache:
    """The tags of one bank, read once, created as they are first needed (imports use one for
    all their questions)."""

    def __init__(self, bank: QuestionBank):
        self.bank = bank
        self.by_name: dict[str, QuestionTag] | None = None

    def get(self, names: Sequence[str]) -> list[QuestionTag]:
        if self.by_name is None:
            self.by_name = {tag.name.casefold(): tag for tag in QuestionTag.objects.filter(bank=self.bank)}
        tags = []
        for name in names:
            tag = self.by_name.get(name.casefold())
            if tag is None:
                tag = QuestionTag.objects.create(bank=self.bank, name=name)
                self.by_name[name.casefold()] = tag
            tags.append(tag)
        return tags


def _new_version(question: Question, clean: CleanQuestion, number: int, by: Any) -> QuestionVersion:
    return QuestionVersion.objects.create(
        question=question,
        number=number,
        kind=clean.kind,
        stem=clean.stem,
        options=clean.options,
        correct=clean.correct,
        scoring=clean.scoring,
        explanation=clean.explanation,
        created_by=actor_or_none(by),
    )


def _locked(pk: int) -> Question:
    """The question, locked for the rest of the transaction (PostgreSQL locks its row only: its
    current version may be read but not locked through the nullable join)."""
    Question.objects.select_for_update().filter(pk=pk).values_list("pk", flat=True).get()
    return Question.objects.select_related("current", "bank__unit").get(pk=pk)


def question_create(
    *, by: Any, bank: QuestionBank, data: QuestionData, tag_cache: TagCache | None = None
) -> Created[Question]:
    """A question with its first version. Sending the same ``client_key`` again for the bank
    returns the first question, with ``created`` False."""
    key = clean_text(data.client_key)[:KEY_MAX]
    if key:
        existing = Question.objects.filter(bank=bank, client_key=key).select_related("current").first()
        if existing is not None:
            return Created(existing, created=False)
    clean = question_validate(data)
    if clean.ref and Question.objects.filter(bank=bank, ref=clean.ref).exists():
        raise Conflict(
            _("The bank already has a question with the code %(ref)s.") % {"ref": clean.ref},
            code="question_ref_taken",
            extra={"field": "ref"},
        )
    try:
        with transaction.atomic():
            question = Question.objects.create(
                bank=bank,
                ref=clean.ref,
                difficulty=clean.difficulty,
                source_document=clean.source_document,
                version_count=1,
                search_folded=clean.folded,
                client_key=key,
                created_by=actor_or_none(by),
            )
            question.current = _new_version(question, clean, 1, by)
            question.save(update_fields=["current"])
            if clean.tags:
                question.tags.set((tag_cache or TagCache(bank)).get(clean.tags))
            audit_record(
                action="lantoa.contests.question.created",
                by=by,
                target=question,
                unit=bank.unit,
                changed=["stem", "options", "correct", "kind", "scoring", "tags", "difficulty"],
            )
    except IntegrityError:
        if key:  # the same request arrived twice at once: the other call stored it
            return Created(Question.objects.get(bank=bank, client_key=key), created=False)
        raise
    return Created(question, created=True)


@transaction.atomic
def question_revise(*, by: Any, question: Question, data: QuestionData, tag_cache: TagCache | None = None) -> Question:
    """A new version when what the question says changes (stem, options, correct options,
    kind, scoring, explanation); the versions before it stay as they were. Tags, difficulty,
    code and source document describe the question for its organisers (contestants never see
    them) and change on the question itself. A call that changes nothing writes nothing."""
    question = _locked(question.pk)
    if question.retired_at is not None:
        raise Conflict(_("A retired question cannot be revised."), code="question_retired")
    clean = question_validate(data)
    if (
        clean.ref
        and clean.ref != question.ref
        and Question.objects.filter(bank=question.bank, ref=clean.ref).exclude(pk=question.pk).exists()
    ):
        raise Conflict(
            _("The bank already has a question with the code %(ref)s.") % {"ref": clean.ref},
            code="question_ref_taken",
            extra={"field": "ref"},
        )
    changed: list[str] = []
    current = question.current
    if current is None or current.content != clean.content:
        changed += [name for name, value in clean.content.items() if current is None or current.content[name] != value]
        number = question.version_count + 1
        question.current = _new_version(question, clean, number, by)
        question.version_count = number
        question.search_folded = clean.folded
    values = {"ref": clean.ref, "difficulty": clean.difficulty, "source_document": clean.source_document}
    for name, value in values.items():
        if getattr(question, name) != value:
            changed.append(name)
            setattr(question, name, value)
    before = sorted(question.tags.values_list("name", flat=True))
    if before != sorted(clean.tags):
        changed.append("tags")
        question.tags.set((tag_cache or TagCache(question.bank)).get(clean.tags))
    if not changed:
        return question
    question.save()
    audit_record(
        action="lantoa.contests.question.revised", by=by, target=question, unit=question.bank.unit, changed=changed
    )
    return question


@transaction.atomic
def question_retire(*, by: Any, question: Question) -> Question:
    """The question is no longer drawn; its versions and their attempts stay. Retiring a
    retired question changes nothing."""
    question = _locked(question.pk)
    if question.retired_at is None:
        question.retired_at = timezone.now()
        question.save(update_fields=["retired_at", "updated_at"])
        audit_record(
            action="lantoa.contests.question.retired",
            by=by,
            target=question,
            unit=question.bank.unit,
            changed=["retired_at"],
        )
    return question


def version_data(version: QuestionVersion, question: Question, *, tags: Sequence[str] = ()) -> QuestionData:
    """The data of ``version`` (with the question's description), to start a revision from."""
    return QuestionData(
        stem=version.stem,
        options=[o["text"] for o in version.options],
        correct=list(version.correct),
        kind=version.kind,
        scoring=version.scoring,
        explanation=version.explanation,
        tags=list(tags),
        difficulty=question.difficulty,
        source_document=question.source_document,
        ref=question.ref,
    )
