"""The writers of the surveys module: questionnaires, token batches, answers, the daily reseal.

Staff writes are audited; answers are not (they are their own anonymous records, and an audit row
would say who-did-what-when next to them). Answering by card claims the token with one
conditional UPDATE and stores the answer in the same transaction, so a card counts once however
many times it is sent at once.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import secrets
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import connections, router, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.core import ratelimit
from lantoa.core.audit import audit_record
from lantoa.core.errors import Conflict, NotFound, TooManyRequests, ValidationFailed
from lantoa.core.memo import ProcessMemo
from lantoa.core.rows import claim_row, insert_row, insert_values
from lantoa.core.text import clean_text, fold
from lantoa.org.models import Tier, Unit
from lantoa.org.selectors import unit_is_within
from lantoa.surveys.models import (
    BATCH_SIZE_MAX,
    CHOICE_KINDS,
    FREE_TEXT_MAX,
    NUMBER_BOUND,
    OPTION_MAX,
    OPTIONS_MAX,
    QUESTIONS_MAX,
    SCALE_MAX,
    SCALE_MIN,
    SECTIONS_MAX,
    TEXT_MAX,
    TITLE_MAX,
    TOKEN_LENGTH,
    Answer,
    AnswerItem,
    LinkRecipient,
    LinkSending,
    Option,
    Question,
    QuestionKind,
    QuestionVersion,
    Section,
    Survey,
    SurveyMode,
    SurveyStatus,
    Token,
    TokenBatch,
)
from lantoa.surveys.screening import identifying_topic, is_sensitive

TOKEN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # noqa: S105  (letters of card codes: no 0/O, 1/I/L)
OPEN_LINK_LIMIT = 20  # answers one address may send to one open survey in a window
OPEN_LINK_WINDOW = 60 * 60
_system_random = random.SystemRandom()


def local_today() -> dt.date:
    return timezone.localdate()


# --- Surveys -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyFields:
    title_vi: str
    opens_on: dt.date
    closes_on: dt.date
    audience_root: Unit
    title_en: str = ""
    intro_vi: str = ""
    intro_en: str = ""
    audience_tier: Tier | None = None
    audience_conference: Any = None
    mode: str = SurveyMode.TOKENS


def _text(value: str, *, field: str, limit: int, required: bool = False, multiline: bool = False) -> str:
    text = clean_text(value, multiline=multiline)
    if required and not text:
        raise ValidationFailed(_("This field is required."), extra={"field": field})
    if len(text) > limit:
        raise ValidationFailed(
            _("At most %(limit)s characters.") % {"limit": limit}, extra={"field": field, "limit": limit}
        )
    return text


def _clean_survey(fields: SurveyFields, owner: Unit) -> dict[str, Any]:
    if fields.closes_on < fields.opens_on:
        raise ValidationFailed(_("The survey cannot close before it opens."), extra={"field": "closes_on"})
    if fields.mode not in SurveyMode.values:
        raise ValidationFailed(_("Unknown mode."), extra={"field": "mode"})
    if fields.audience_root.pk != owner.pk and not unit_is_within(fields.audience_root.pk, [owner.pk]):
        raise ValidationFailed(
            _("The audience must be the owner unit or a unit beneath it."), extra={"field": "audience_root"}
        )
    return {
        "title_vi": _text(fields.title_vi, field="title_vi", limit=TITLE_MAX, required=True),
        "title_en": _text(fields.title_en, field="title_en", limit=TITLE_MAX),
        "intro_vi": _text(fields.intro_vi, field="intro_vi", limit=TEXT_MAX, multiline=True),
        "intro_en": _text(fields.intro_en, field="intro_en", limit=TEXT_MAX, multiline=True),
        "opens_on": fields.opens_on,
        "closes_on": fields.closes_on,
        "audience_root": fields.audience_root,
        "audience_tier": fields.audience_tier,
        "audience_conference": fields.audience_conference,
        "mode": fields.mode,
    }


@transaction.atomic
def survey_create(*, by: Any, owner: Unit, fields: SurveyFields) -> Survey:
    values = _clean_survey(fields, owner)
    survey = Survey(owner=owner, **values)
    if survey.mode == SurveyMode.OPEN_LINK:
        survey.link_code = secrets.token_urlsafe(12)
    survey.save()
    audit_record(action="lantoa.surveys.survey.created", by=by, target=survey, unit=owner)
    return survey


@transaction.atomic
def survey_update(*, by: Any, survey: Survey, fields: SurveyFields) -> Survey:
    values = _clean_survey(fields, survey.owner)
    locked = Survey.objects.select_for_update().get(pk=survey.pk)
    if locked.status != SurveyStatus.DRAFT and (
        values["mode"] != locked.mode
        or values["audience_root"].pk != locked.audience_root_id
        or getattr(values["audience_tier"], "pk", None) != locked.audience_tier_id
        or getattr(values["audience_conference"], "pk", None) != locked.audience_conference_id
    ):
        raise Conflict(
            _("The audience and the mode can be changed only while the survey is a draft."), code="survey_not_draft"
        )
    changed = [name for name, value in values.items() if getattr(locked, name) != value]
    for name, value in values.items():
        setattr(locked, name, value)
    if locked.mode == SurveyMode.OPEN_LINK and not locked.link_code:
        locked.link_code = secrets.token_urlsafe(12)
    locked.save()
    audit_record(action="lantoa.surveys.survey.changed", by=by, target=locked, unit=locked.owner, changed=changed)
    return locked


@transaction.atomic
def survey_set_status(*, by: Any, survey: Survey, status: str) -> Survey:
    locked = Survey.objects.select_for_update().get(pk=survey.pk)
    allowed = {
        SurveyStatus.DRAFT: {SurveyStatus.OPEN},
        SurveyStatus.OPEN: {SurveyStatus.CLOSED},
        SurveyStatus.CLOSED: {SurveyStatus.OPEN},
    }
    if status not in allowed[SurveyStatus(locked.status)]:
        raise Conflict(_("This survey cannot go to that status now."), code="bad_status_change")
    if (
        status == SurveyStatus.OPEN
        and not QuestionVersion.objects.filter(question__section__survey=locked, pk=F("question__current")).exists()
    ):
        raise Conflict(_("Add at least one question before opening the survey."), code="no_questions")
    locked.status = status
    locked.save(update_fields=["status", "updated_at"])
    action = "lantoa.surveys.survey.open" if status == SurveyStatus.OPEN else "lantoa.surveys.survey.closed"
    audit_record(action=action, by=by, target=locked, unit=locked.owner)
    if status == SurveyStatus.CLOSED:
        from lantoa.surveys.tasks import reseal_answers

        transaction.on_commit(lambda: reseal_answers.enqueue())
    return locked


# --- Sections and questions ------------------------------------------------------------------------


@transaction.atomic
def section_add(*, by: Any, survey: Survey, title_vi: str, title_en: str = "") -> Section:
    if survey.sections.count() >= SECTIONS_MAX:
        raise ValidationFailed(_("A survey has at most %(n)s sections.") % {"n": SECTIONS_MAX})
    position = (survey.sections.aggregate(top=Max("position"))["top"] or 0) + 1
    section = Section.objects.create(
        survey=survey,
        position=position,
        title_vi=_text(title_vi, field="title_vi", limit=TITLE_MAX, required=True),
        title_en=_text(title_en, field="title_en", limit=TITLE_MAX),
    )
    audit_record(action="lantoa.surveys.section.created", by=by, target=section, unit=survey.owner)
    _questionnaire_changed(survey.pk)
    return section


def section_edit(*, by: Any, section: Section, title_vi: str, title_en: str = "") -> Section:
    """Rename a section: its title only frames the questions, so answers keep theirs unchanged."""
    section.title_vi = _text(title_vi, field="title_vi", limit=TITLE_MAX, required=True)
    section.title_en = _text(title_en, field="title_en", limit=TITLE_MAX)
    section.save(update_fields=["title_vi", "title_en"])
    audit_record(action="lantoa.surveys.section.changed", by=by, target=section, unit=section.survey.owner)
    _questionnaire_changed(section.survey_id)
    return section


def section_remove(*, by: Any, section: Section) -> None:
    """Remove a section without questions (remove or move its questions first)."""
    if section.questions.exists():
        raise Conflict(_("Remove the section's questions first."), code="section_not_empty")
    audit_record(action="lantoa.surveys.section.removed", by=by, target=section, unit=section.survey.owner)
    survey_id = section.survey_id
    section.delete()
    _questionnaire_changed(survey_id)


MOVES = ("up", "down")


def _swap_with_neighbour(rows: list[Any], row: Any, direction: str) -> bool:
    """Swap ``row``'s position with the one before (up) or after (down) it among ``rows``, in the
    order shown; False when it is already first or last."""
    if direction not in MOVES:
        raise ValidationFailed(_("Move up or down."), code="invalid_move")
    index = next(n for n, other in enumerate(rows) if other.pk == row.pk)
    other_index = index - 1 if direction == "up" else index + 1
    if not 0 <= other_index < len(rows):
        return False
    # Number the rows afresh in their order first: positions of older rows may repeat.
    for number, item in enumerate(rows, start=1):
        item.position = number
    rows[index].position, rows[other_index].position = rows[other_index].position, rows[index].position
    type(row).objects.bulk_update(rows, ["position"])
    return True


@transaction.atomic
def section_move(*, by: Any, section: Section, direction: str) -> bool:
    """Move a section one place up or down in the questionnaire."""
    Survey.objects.select_for_update().filter(pk=section.survey_id).first()  # one reorder at a time
    moved = _swap_with_neighbour(list(section.survey.sections.order_by("position", "pk")), section, direction)
    if moved:
        audit_record(action="lantoa.surveys.section.moved", by=by, target=section, unit=section.survey.owner)
        _questionnaire_changed(section.survey_id)
    return moved


@transaction.atomic
def question_move(*, by: Any, question: Question, direction: str) -> bool:
    """Move a question one place up or down within its section (its versions and answers stay)."""
    survey = question.section.survey
    Survey.objects.select_for_update().filter(pk=survey.pk).first()
    moved = _swap_with_neighbour(list(question.section.questions.order_by("position", "pk")), question, direction)
    if moved:
        audit_record(action="lantoa.surveys.question.moved", by=by, target=question, unit=survey.owner)
        _questionnaire_changed(survey.pk)
    return moved


@dataclass(frozen=True)
class QuestionFields:
    kind: str
    text_vi: str
    text_en: str = ""
    options: Sequence[tuple[str, str]] = ()
    required: bool = False
    scale: int | None = None
    minimum: int | None = None
    maximum: int | None = None


def _clean_question(fields: QuestionFields) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    if fields.kind not in QuestionKind.values:
        raise ValidationFailed(_("Unknown question kind."), extra={"field": "kind"})
    text_vi = _text(fields.text_vi, field="text_vi", limit=TEXT_MAX, required=True)
    text_en = _text(fields.text_en, field="text_en", limit=TEXT_MAX)
    options = [
        (
            _text(vi, field="options", limit=OPTION_MAX, required=True),
            _text(en, field="options", limit=OPTION_MAX),
        )
        for vi, en in fields.options
    ]
    topic = identifying_topic(text_vi, text_en, *(text for pair in options for text in pair))
    if topic:
        labels = {
            "name": _("a name"),
            "phone": _("a phone number"),
            "id_number": _("an identity-card number"),
            "address": _("an address"),
            "email": _("an e-mail address"),
        }
        raise ValidationFailed(
            _(
                "An anonymous survey cannot ask for %(what)s: the answer would tell who answered. "
                "Remove this question or ask it without the identifying detail."
            )
            % {"what": labels[topic]},
            code="identifying_question",
            extra={"field": "text_vi", "topic": topic},
        )
    values: dict[str, Any] = {
        "kind": fields.kind,
        "text_vi": text_vi,
        "text_en": text_en,
        "required": bool(fields.required),
        "scale": None,
        "minimum": None,
        "maximum": None,
        "sensitive": is_sensitive(text_vi, text_en, *(text for pair in options for text in pair)),
    }
    if fields.kind in CHOICE_KINDS:
        if not 2 <= len(options) <= OPTIONS_MAX:
            raise ValidationFailed(
                _("A choice question needs between 2 and %(n)s options.") % {"n": OPTIONS_MAX},
                extra={"field": "options"},
            )
        if len({fold(vi) for vi, _en in options}) != len(options):
            raise ValidationFailed(_("Two options have the same text."), extra={"field": "options"})
    elif options:
        raise ValidationFailed(_("Only choice questions have options."), extra={"field": "options"})
    if fields.kind == QuestionKind.RATING:
        if fields.scale is None or not SCALE_MIN <= fields.scale <= SCALE_MAX:
            raise ValidationFailed(
                _("A rating scale goes from 1 to a number between %(low)s and %(high)s.")
                % {"low": SCALE_MIN, "high": SCALE_MAX},
                extra={"field": "scale"},
            )
        values["scale"] = fields.scale
    if fields.kind == QuestionKind.NUMBER:
        low = -NUMBER_BOUND if fields.minimum is None else fields.minimum
        high = NUMBER_BOUND if fields.maximum is None else fields.maximum
        if not -NUMBER_BOUND <= low <= high <= NUMBER_BOUND:
            raise ValidationFailed(
                _("The bounds must be in order, between %(low)s and %(high)s.")
                % {"low": -NUMBER_BOUND, "high": NUMBER_BOUND},
                extra={"field": "minimum"},
            )
        values["minimum"], values["maximum"] = low, high
    return values, options


def _write_version(question: Question, number: int, values: dict[str, Any], options: list[tuple[str, str]]) -> None:
    version = QuestionVersion.objects.create(question=question, number=number, **values)
    Option.objects.bulk_create(
        [
            Option(version=version, position=position, text_vi=vi, text_en=en)
            for position, (vi, en) in enumerate(options, start=1)
        ]
    )
    question.current = version
    question.save(update_fields=["current"])


@transaction.atomic
def question_add(*, by: Any, section: Section, fields: QuestionFields) -> Question:
    values, options = _clean_question(fields)
    if Question.objects.filter(section__survey_id=section.survey_id).count() >= QUESTIONS_MAX:
        raise ValidationFailed(_("A survey has at most %(n)s questions.") % {"n": QUESTIONS_MAX})
    position = (section.questions.aggregate(top=Max("position"))["top"] or 0) + 1
    question = Question.objects.create(section=section, position=position)
    _write_version(question, 1, values, options)
    audit_record(action="lantoa.surveys.question.created", by=by, target=question, unit=section.survey.owner)
    _questionnaire_changed(section.survey_id)
    return question


@transaction.atomic
def question_edit(*, by: Any, question: Question, fields: QuestionFields) -> Question:
    """Change a question. A version nobody answered is changed in place; an answered one is kept
    as it is and the change becomes a new version."""
    values, options = _clean_question(fields)
    Question.objects.select_for_update().filter(pk=question.pk).values_list("pk", flat=True).get()
    locked = Question.objects.select_related("current", "section__survey__owner").get(pk=question.pk)
    current = locked.current
    if current is not None and not AnswerItem.objects.filter(version=current).exists():
        for name, value in values.items():
            setattr(current, name, value)
        current.save()
        current.options.all().delete()
        Option.objects.bulk_create(
            [
                Option(version=current, position=position, text_vi=vi, text_en=en)
                for position, (vi, en) in enumerate(options, start=1)
            ]
        )
        action = "lantoa.surveys.question.changed"
    else:
        number = (locked.versions.aggregate(top=Max("number"))["top"] or 0) + 1
        _write_version(locked, number, values, options)
        action = "lantoa.surveys.question.versioned"
    audit_record(action=action, by=by, target=locked, unit=locked.section.survey.owner)
    _questionnaire_changed(locked.section.survey_id)
    return locked


@transaction.atomic
def question_remove(*, by: Any, question: Question) -> None:
    """Remove a question nobody answered (an answered one stays, for its answers)."""
    if AnswerItem.objects.filter(version__question=question).exists():
        raise Conflict(_("This question has answers; it cannot be removed."), code="question_answered")
    owner = question.section.survey.owner
    audit_record(action="lantoa.surveys.question.removed", by=by, target=question, unit=owner)
    Question.objects.filter(pk=question.pk).update(current=None)
    QuestionVersion.objects.filter(question=question).delete()
    question.delete()
    _questionnaire_changed(question.section.survey_id)


@transaction.atomic
def survey_from_template(*, by: Any, key: str, owner: Unit, fields: SurveyFields) -> Survey:
    """A new draft survey with the questions of a ready questionnaire (:mod:`lantoa.surveys.questionnaires`)."""
    from lantoa.surveys.questionnaires import TEMPLATES

    template = TEMPLATES.get(key)
    if template is None:
        raise NotFound(_("No such questionnaire."), extra={"key": key})
    survey = survey_create(by=by, owner=owner, fields=fields)
    for section_vi, section_en, questions in template.sections:
        section = section_add(by=by, survey=survey, title_vi=section_vi, title_en=section_en)
        for question in questions:
            question_add(by=by, section=section, fields=question)
    return survey


# --- Token batches ---------------------------------------------------------------------------------


def _new_codes(count: int) -> list[str]:
    codes: set[str] = set()
    while len(codes) < count:
        wanted = count - len(codes)
        fresh = {"".join(secrets.choice(TOKEN_ALPHABET) for _ in range(TOKEN_LENGTH)) for _ in range(wanted)}
        fresh -= set(Token.objects.filter(code__in=fresh).values_list("code", flat=True))
        codes |= fresh
    return list(codes)


@transaction.atomic
def batch_issue(*, by: Any, survey: Survey, unit: Unit, size: int, today: dt.date | None = None) -> TokenBatch:
    """Issue ``size`` one-time cards for ``unit`` (a unit of the survey's audience)."""
    from lantoa.surveys.selectors import audience_unit_ids

    if survey.mode != SurveyMode.TOKENS:
        raise Conflict(_("An open-link survey has no cards."), code="open_link_survey")
    if survey.status == SurveyStatus.CLOSED:
        raise Conflict(_("The survey is closed."), code="survey_closed")
    if isinstance(size, bool) or not 1 <= size <= BATCH_SIZE_MAX:
        raise ValidationFailed(
            _("A batch has between 1 and %(n)s cards.") % {"n": BATCH_SIZE_MAX}, extra={"field": "size"}
        )
    if unit.pk not in audience_unit_ids(survey):
        raise ValidationFailed(_("This unit is not in the survey's audience."), extra={"field": "unit"})
    batch = TokenBatch.objects.create(
        survey=survey, unit=unit, size=size, issued_on=today or local_today(), created_by=_user(by)
    )
    Token.objects.bulk_create([Token(batch=batch, code=code) for code in _new_codes(size)], batch_size=1000)
    audit_record(action="lantoa.surveys.batch.issued", by=by, target=batch, unit=unit)
    return batch


def _user(by: Any) -> Any:
    return by if getattr(by, "is_authenticated", False) else None


# --- Answers -------------------------------------------------------------------------------------


def normalise_code(raw: str) -> str:
    return "".join(ch for ch in clean_text(raw).upper() if ch.isalnum())[:40]


def survey_accepting(survey: Survey, day: dt.date) -> None:
    """Raise Conflict unless ``survey`` takes answers on ``day``."""
    if survey.status != SurveyStatus.OPEN or not survey.opens_on <= day <= survey.closes_on:
        raise Conflict(_("This survey is not taking answers now."), code="survey_not_open")


def current_versions(survey: Survey) -> list[QuestionVersion]:
    """The versions a new answer answers, in the questionnaire's order, with their options."""
    return list(
        QuestionVersion.objects.filter(question__section__survey=survey, pk=F("question__current"))
        .select_related("question__section")
        .prefetch_related("options")
        .order_by("question__section__position", "question__section_id", "question__position", "question_id")
    )


def _questionnaire_changed(survey_id: int) -> None:
    """Mark the survey changed, so the questions an answer reads (:func:`answer_versions`) are
    read again."""
    Survey.objects.filter(pk=survey_id).update(updated_at=timezone.now())


@dataclass(frozen=True)
class AnswerQuestion:
    """A question as an answer reads it: its current version and its options' ids by their text
    as sent."""

    version: QuestionVersion
    options: dict[str, int]


# What the answer path reads about a survey, kept per process for each state of the survey: the
# keys hold ``updated_at``, which every change of the survey, a section or a question moves.
_ANSWER_STATE = ProcessMemo(seconds=3600.0, limit=256)


def answer_versions(survey: Survey) -> list[AnswerQuestion]:
    """:func:`current_versions`, read once per process for each state of the questionnaire: every
    change of a section or question marks the survey changed (``updated_at``), so an answer never
    reads an outdated questionnaire, and the thousands of answers in between read none."""
    key = ("versions", survey.pk, survey.updated_at)
    found = _ANSWER_STATE.get(key)
    if found is None:
        found = [
            AnswerQuestion(version, {str(option.pk): option.pk for option in version.options.all()})
            for version in current_versions(survey)
        ]
        _ANSWER_STATE.put(key, found)
    return list(found)


def _answered_survey(survey_id: int, updated_at: Any) -> Survey:
    """The survey a card answers, read once per process for each of its states (``updated_at``
    as the database returned it)."""
    key = ("survey", survey_id, updated_at)
    found = _ANSWER_STATE.get(key)
    if found is None:
        found = Survey.objects.get(pk=survey_id)
        _ANSWER_STATE.put(key, found)
    return found  # type: ignore[no-any-return]


# An answer's item before it is stored: (version id, option id, number, text).
ItemValues = tuple[int, int | None, int | None, str]
ITEM_COLUMNS = ("id", "answer", "version", "option", "number", "text")


def _parse_items(questions: list[AnswerQuestion], values: Mapping[int, Sequence[str]]) -> list[ItemValues]:
    """The items of an answer from raw values keyed by question id; every problem at once."""
    errors: dict[str, str] = {}
    items: list[ItemValues] = []
    known = {question.version.question_id for question in questions}
    for unknown in values:
        if unknown not in known:
            errors[str(unknown)] = _("No such question in this survey.")
    for question in questions:
        version = question.version
        raw = [clean_text(str(value)) for value in values.get(version.question_id, ())]
        raw = [value for value in raw if value]
        key = str(version.question_id)
        if not raw:
            if version.required:
                errors[key] = _("Please answer this question.")
            continue
        if version.kind in CHOICE_KINDS:
            chosen = [question.options.get(value) for value in raw]
            if None in chosen or len(set(raw)) != len(raw):
                errors[key] = _("Choose among the options shown.")
            elif version.kind == QuestionKind.SINGLE and len(chosen) > 1:
                errors[key] = _("Choose one option.")
            else:
                items += [(version.pk, option, None, "") for option in chosen if option is not None]
            continue
        if len(raw) > 1:
            errors[key] = _("Give one answer.")
            continue
        if version.kind == QuestionKind.TEXT:
            if len(raw[0]) > FREE_TEXT_MAX:
                errors[key] = _("At most %(limit)s characters.") % {"limit": FREE_TEXT_MAX}
            else:
                items.append((version.pk, None, None, raw[0]))
            continue
        try:
            number = int(raw[0])
        except ValueError:
            errors[key] = _("Write a whole number.")
            continue
        low, high = (
            (1, version.scale or 1) if version.kind == QuestionKind.RATING else (version.minimum, version.maximum)
        )
        low = -NUMBER_BOUND if low is None else low
        high = NUMBER_BOUND if high is None else high
        if not low <= number <= high:
            errors[key] = _("Give a number from %(low)s to %(high)s.") % {"low": low, "high": high}
        else:
            items.append((version.pk, None, number, ""))
    if errors:
        raise ValidationFailed(_("Some answers need correcting."), code="invalid_answers", extra={"errors": errors})
    return items


def _store(survey: Survey, unit_id: int, day: dt.date, items: list[ItemValues], *, using: str = "default") -> Answer:
    """The answer and its items, by statements compiled once (nothing listens to these models'
    signals: the answer path is a public write path, like check-ins)."""
    answer = Answer(survey=survey, unit_id=unit_id, day=day)
    insert_row(answer, using=using)
    connection = connections[using]
    id_field = AnswerItem._meta.pk
    assert id_field is not None
    answer_id = id_field.get_db_prep_value(answer.pk, connection)
    rows = [(id_field.get_db_prep_value(uuid.uuid4(), connection), answer_id, *item) for item in items]
    insert_values(AnswerItem, ITEM_COLUMNS, rows, using=using)
    return answer


@dataclass(frozen=True)
class Card:
    """A card as the answer path reads it."""

    token_id: int
    used: bool
    unit_id: int
    survey: Survey


@functools.cache
def _card_statement(alias: str) -> str:
    """One SELECT of a card with its batch's unit and its survey's id and state."""
    quote = connections[alias].ops.quote_name
    token, batch, survey = (quote(model._meta.db_table) for model in (Token, TokenBatch, Survey))

    def column(model: Any, name: str) -> str:
        return str(quote(str(model._meta.get_field(name).column)))

    return (
        f"SELECT {token}.{column(Token, 'id')}, {token}.{column(Token, 'used_on')}, "  # noqa: S608
        f"{batch}.{column(TokenBatch, 'unit')}, {survey}.{column(Survey, 'id')}, "
        f"{survey}.{column(Survey, 'updated_at')} "
        f"FROM {token} JOIN {batch} ON {batch}.{column(TokenBatch, 'id')} = {token}.{column(Token, 'batch')} "
        f"JOIN {survey} ON {survey}.{column(Survey, 'id')} = {batch}.{column(TokenBatch, 'survey')} "
        f"WHERE {token}.{column(Token, 'code')} = %s"
    )


def card_for_code(code: str) -> Card | None:
    """The card a code names, in one statement compiled once; the survey from the process's
    memory unless it changed."""
    code = normalise_code(code)
    if len(code) != TOKEN_LENGTH:
        return None
    alias = router.db_for_read(Token)
    with connections[alias].cursor() as cursor:
        cursor.execute(_card_statement(alias), [code])
        row = cursor.fetchone()
    if row is None:
        return None
    token_id, used_on, unit_id, survey_id, updated_at = row
    return Card(int(token_id), used_on is not None, int(unit_id), _answered_survey(int(survey_id), updated_at))


def token_for_code(code: str) -> Token | None:
    code = normalise_code(code)
    if len(code) != TOKEN_LENGTH:
        return None
    return Token.objects.filter(code=code).select_related("batch__survey").first()


def answer_with_token(*, code: str, values: Mapping[int, Sequence[str]], today: dt.date | None = None) -> Answer:
    """Answer with a one-time card. The token is claimed by a conditional UPDATE in the same
    transaction as the answer: of many simultaneous submissions exactly one stores an answer."""
    day = today or local_today()
    card = card_for_code(code)
    if card is None:
        raise NotFound(_("No card has this code."), code="unknown_token")
    if card.used:
        raise Conflict(_("This card has already been used."), code="token_used")
    survey = card.survey
    survey_accepting(survey, day)
    items = _parse_items(answer_versions(survey), values)
    alias = router.db_for_write(Token)
    with transaction.atomic(using=alias):
        if not claim_row(Token, card.token_id, "used_on", day, using=alias):
            raise Conflict(_("This card has already been used."), code="token_used")
        answer = _store(survey, card.unit_id, day, items, using=alias)
    _schedule_reseal()  # outside the card's transaction: it writes to the cache table
    return answer


def open_link_survey(link_code: str) -> Survey | None:
    if not link_code or len(link_code) > 24:
        return None
    return Survey.objects.filter(link_code=link_code, mode=SurveyMode.OPEN_LINK).select_related("audience_root").first()


def answer_open_link(
    *,
    survey: Survey,
    unit: Unit | None,
    values: Mapping[int, Sequence[str]],
    client: str,
    today: dt.date | None = None,
) -> Answer:
    """Answer an open-link survey (not one per person). Limited per client address, which is only
    counted in the rate-limit windows (as a keyed hash) and never stored with the answer."""
    from lantoa.surveys.selectors import audience_unit_ids

    day = today or local_today()
    survey_accepting(survey, day)
    target = unit or survey.audience_root
    if target.pk != survey.audience_root_id and target.pk not in audience_unit_ids(survey):
        raise NotFound(_("No such survey."), code="not_found")
    items = _parse_items(answer_versions(survey), values)
    if ratelimit.hit(f"surveys:open:{survey.pk}", client, window=OPEN_LINK_WINDOW) > OPEN_LINK_LIMIT:
        raise TooManyRequests(
            _("Too many answers were sent from this connection. Wait an hour, then try again."),
            code="too_many_answers",
            retry_after=OPEN_LINK_WINDOW,
        )
    with transaction.atomic():
        answer = _store(survey, target.pk, day, items)
    _schedule_reseal()
    return answer


# --- Reseal ----------------------------------------------------------------------------------------


_RESEAL_ASKED_ON: list[dt.date] = []  # the day this process last asked the shared cache


def _schedule_reseal() -> None:
    """Queue the reseal once a day, on the first answer of the day (the task worker runs it).
    Each process asks the shared cache once a day, not at every answer: with the database
    cache that question is a write of its own."""
    today = local_today()
    if _RESEAL_ASKED_ON and _RESEAL_ASKED_ON[0] == today:
        return
    _RESEAL_ASKED_ON[:] = [today]
    if cache.add(f"lantoa:surveys:reseal:{today.isoformat()}", 1, 2 * 24 * 3600):
        from lantoa.surveys.tasks import reseal_answers

        transaction.on_commit(lambda: reseal_answers.enqueue())


def answers_reseal(*, today: dt.date | None = None) -> int:
    """Rewrite the answers of past days not yet resealed, with new random ids and in a random
    order, in one transaction: afterwards neither the physical order of the rows nor their
    transaction ids tell more than the day. Returns how many answers were rewritten."""
    day = today or local_today()
    with transaction.atomic():
        surveys = list(
            Survey.objects.select_for_update().filter(
                Q(sealed_through__isnull=True) | Q(sealed_through__lt=day - dt.timedelta(days=1))
            )
        )
        pending = Q()
        for survey in surveys:
            since = survey.sealed_through
            pending |= Q(survey_id=survey.pk, day__lt=day) & (Q() if since is None else Q(day__gt=since))
        if not surveys:
            return 0
        answers = list(Answer.objects.filter(pending).values_list("id", "survey_id", "unit_id", "day"))
        ids = [row[0] for row in answers]
        items: list[tuple[Any, ...]] = []
        for start in range(0, len(ids), 5_000):
            chunk = ids[start : start + 5_000]
            items += AnswerItem.objects.filter(answer_id__in=chunk).values_list(
                "answer_id", "version_id", "option_id", "number", "text"
            )
            AnswerItem.objects.filter(answer_id__in=chunk).delete()
            Answer.objects.filter(id__in=chunk).delete()
        _tally(answers, items)
        _system_random.shuffle(answers)
        new_id = {old: uuid.uuid4() for old in ids}
        Answer.objects.bulk_create(
            [Answer(id=new_id[old], survey_id=survey, unit_id=unit, day=when) for old, survey, unit, when in answers],
            batch_size=2_000,
        )
        _system_random.shuffle(items)
        AnswerItem.objects.bulk_create(
            [
                AnswerItem(
                    id=uuid.uuid4(),
                    answer_id=new_id[old],
                    version_id=version,
                    option_id=option,
                    number=number,
                    text=text,
                )
                for old, version, option, number, text in items
            ],
            batch_size=2_000,
        )
        Survey.objects.filter(pk__in=[survey.pk for survey in surveys]).update(
            sealed_through=day - dt.timedelta(days=1)
        )
    return len(answers)


def _tally(answers: list[tuple[Any, ...]], items: list[tuple[Any, ...]]) -> None:
    """Add the counts of the answers being resealed to their surveys' tallies (same transaction)."""
    from lantoa.surveys import tallies

    where = {answer_id: (survey_id, unit_id) for answer_id, survey_id, unit_id, _day in answers}
    kinds = tallies.version_kinds(item[1] for item in items)
    by_survey: dict[int, list[tuple[Any, int, int, int | None, int | None]]] = defaultdict(list)
    for answer_id, version_id, option_id, number, _text in items:
        survey_id, unit_id = where[answer_id]
        by_survey[survey_id].append((answer_id, unit_id, version_id, option_id, number))
    for survey_id, rows in by_survey.items():
        tallies.add_to_tallies(survey_id, tallies.counts_of_items(rows, kinds))


# --- Links sent by e-mail ------------------------------------------------------------------------

SENDING_MAX = 500  # addresses in one sending (each is a message sent while the organiser waits)


def _clean_addresses(addresses: Sequence[str]) -> list[str]:
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    cleaned: list[str] = []
    seen: set[str] = set()
    for number, raw in enumerate(addresses, start=1):
        address = clean_text(raw).lower()
        if not address:
            continue
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationFailed(
                _("Address %(n)s is not an e-mail address.") % {"n": number}, extra={"field": "emails", "line": number}
            ) from None
        if address not in seen:
            seen.add(address)
            cleaned.append(address)
    if not cleaned:
        raise ValidationFailed(_("Give at least one e-mail address."), extra={"field": "emails"})
    if len(cleaned) > SENDING_MAX:
        raise ValidationFailed(
            _("Send to at most %(n)s addresses at a time.") % {"n": SENDING_MAX}, extra={"field": "emails"}
        )
    return cleaned


def links_send(
    *,
    by: Any,
    survey: Survey,
    unit: Unit,
    addresses: Sequence[str],
    link_for: Any,
    today: dt.date | None = None,
) -> LinkSending:
    """E-mail one answer link to each address, for ``unit``: a batch of as many cards, their codes
    shuffled, one to each address, sent once the batch is stored. The sending keeps the addresses
    and how many were sent, never which code went where (decision 0031)."""
    from lantoa.core.notify import Recipient, notify

    emails = _clean_addresses(addresses)
    with transaction.atomic():
        batch = batch_issue(by=by, survey=survey, unit=unit, size=len(emails), today=today)
        sending = LinkSending.objects.create(survey=survey, batch=batch, sent_on=batch.issued_on, sent_by=_user(by))
        LinkRecipient.objects.bulk_create(LinkRecipient(sending=sending, email=email) for email in emails)
        codes = list(Token.objects.filter(batch=batch).values_list("code", flat=True))
        secrets.SystemRandom().shuffle(codes)
        audit_record(action="lantoa.surveys.links.sent", by=by, target=sending, unit=unit, changed=["recipients"])

    subject = _("Survey: %(title)s") % {"title": survey.title}
    sent = unreachable = 0
    for email, code in zip(emails, codes, strict=True):
        body = _(
            "%(title)s\n\nYour link, for one answer: %(link)s\n\n"
            "The answer is anonymous: it is stored without your name, your address or this link."
        ) % {"title": survey.title, "link": link_for(code)}
        result = notify([Recipient(name="", email=email)], subject, body)
        if result.not_reached:
            unreachable += 1
        else:
            sent += 1
    del codes  # the pairing of addresses and codes lives only in this loop
    LinkSending.objects.filter(pk=sending.pk).update(sent=sent, unreachable=unreachable)
    sending.sent, sending.unreachable = sent, unreachable
    return sending
