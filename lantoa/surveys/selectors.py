"""Reads of the surveys module: lists, the audience, response rates and suppressed results.

Results are tables per question: rows are the audience's root and the units directly beneath it
(in the historical structure — the tree on the survey's last day — or in today's, where the
answers of merged units count at their successor), columns are the options (or the points of a
rating) and the number who answered. Every table goes through
:func:`lantoa.surveys.suppression.suppressed_cells`: a hidden cell is ``None``. The number of
queries does not depend on the number of units or answers.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from lantoa.accounts.roles import Capability
from lantoa.core.charts import BarChart, bar_chart
from lantoa.org.models import Unit
from lantoa.org.rollup.successions import map_units_forward
from lantoa.org.selectors import subtree_root_of, today, unit_children, unit_subtree
from lantoa.surveys.models import (
    Answer,
    AnswerItem,
    LinkSending,
    QuestionKind,
    QuestionVersion,
    Section,
    Survey,
    Token,
    TokenBatch,
)
from lantoa.surveys.permissions import surveys_visible_to
from lantoa.surveys.suppression import MIN_GROUP, suppressed_cells, table_relations
from lantoa.surveys.tallies import survey_counts

HISTORICAL = "historical"
CURRENT = "current"
STRUCTURES = (HISTORICAL, CURRENT)
TOTAL = "total"
TOP = "all"
TEXTS_SHOWN = 200  # free texts shown of one question, chosen at random


def survey_list_for_user(by: Any) -> QuerySet[Survey]:
    return (
        surveys_visible_to(by, Capability.VIEW_AGGREGATES)
        .select_related("owner", "audience_root")
        .annotate(answer_count=Count("answers", distinct=True))
        .order_by("-opens_on", "-pk")
    )


def audience_units(survey: Survey, *, as_of: dt.date | None = None) -> QuerySet[Unit]:
    """The units a survey's cards may be issued for: the audience root's subtree (today),
    narrowed to one tier and/or to the sites of one conference."""
    units = unit_subtree(survey.audience_root, as_of=as_of)
    if survey.audience_tier_id:
        units = units.filter(kind__tier_id=survey.audience_tier_id)
    if survey.audience_conference_id:
        from lantoa.meetings.models import BridgePoint

        units = units.filter(
            pk__in=BridgePoint.objects.filter(conference_id=survey.audience_conference_id).values("unit_id")
        )
    return units.order_by("name", "pk")


def audience_unit_ids(survey: Survey) -> set[int]:
    return set(audience_units(survey).values_list("pk", flat=True))


def survey_sections(survey: Survey) -> list[Section]:
    """The questionnaire as the editor and the answer page show it, in two queries plus one."""
    sections = list(survey.sections.order_by("position", "pk"))
    versions = (
        QuestionVersion.objects.filter(question__section__survey=survey)
        .select_related("question")
        .prefetch_related("options")
        .order_by("question__position", "question_id")
    )
    by_section: dict[int, list[QuestionVersion]] = defaultdict(list)
    answered = set(
        AnswerItem.objects.filter(version__question__section__survey=survey)
        .values_list("version_id", flat=True)
        .distinct()
    )
    for version in versions:
        if version.pk == version.question.current_id:
            version.answered = version.pk in answered  # type: ignore[attr-defined]
            by_section[version.question.section_id].append(version)
    for section in sections:
        section.current_versions = by_section.get(section.pk, [])  # type: ignore[attr-defined]
    return sections


def batch_list(survey: Survey) -> QuerySet[TokenBatch]:
    return (
        survey.batches.select_related("unit")
        .annotate(used=Count("tokens", filter=_used()))
        .order_by("-issued_on", "unit__name", "pk")
    )


def link_sendings(survey: Survey) -> QuerySet[LinkSending]:
    """The survey's links sent by e-mail, newest first, with their unit and how many addresses
    each went to (two queries however many; the addresses themselves are not loaded)."""
    return (
        LinkSending.objects.filter(survey=survey)
        .select_related("batch__unit")
        .annotate(addresses=Count("recipients"))
        .order_by("-sent_on", "-pk")
    )


def _used() -> Any:
    from django.db.models import Q

    return Q(tokens__used_on__isnull=False)


def batch_tokens(batch: TokenBatch) -> list[str]:
    return list(Token.objects.filter(batch=batch, used_on__isnull=True).order_by("code").values_list("code", flat=True))


# --- Rows of the tables ------------------------------------------------------------------------------


@dataclass
class Row:
    key: Hashable
    label: str
    depth: int
    unit: Unit | None = None


@dataclass
class Layout:
    """Where each answer's unit lands among the rows, for one structure."""

    structure: str
    day: dt.date
    rows: list[Row]
    place: dict[int, Hashable]  # unit id of an answer (or batch) → its row key

    def parents(self) -> dict[Hashable, Hashable | None]:
        return {row.key: (None if row.key == TOP else TOP) for row in self.rows}


def structure_day(survey: Survey) -> dt.date:
    return min(survey.closes_on, today())


def _layout(survey: Survey, unit_ids: set[int], structure: str) -> Layout:
    root = survey.audience_root
    day = today() if structure == CURRENT else structure_day(survey)
    placed_ids = dict(map_units_forward(unit_ids, until=day)) if structure == CURRENT else {u: u for u in unit_ids}
    children = list(unit_children(root, as_of=day).order_by("name", "pk"))
    below = subtree_root_of([child.pk for child in children], as_of=day)
    place: dict[int, Hashable] = {}
    used: set[Hashable] = set()
    for original, where in placed_ids.items():
        key: Hashable = below.get(where, ("own", root.pk))
        place[original] = key
        used.add(key)
    rows = [Row(key=TOP, label=_("Whole audience"), depth=0, unit=root)]
    rows += [Row(key=child.pk, label=child.name, depth=1, unit=child) for child in children if child.pk in used]
    if ("own", root.pk) in used:
        rows.append(Row(key=("own", root.pk), label=_("%(unit)s itself") % {"unit": root.name}, depth=1, unit=root))
    return Layout(structure=structure, day=day, rows=rows, place=place)


def _check_structure(structure: str) -> str:
    return structure if structure in STRUCTURES else HISTORICAL


# --- Response rates -----------------------------------------------------------------------------------


@dataclass
class RateRow:
    row: Row
    issued: int
    answers: int

    @property
    def rate(self) -> float | None:
        return round(100 * self.answers / self.issued, 1) if self.issued else None


def response_rates(survey: Survey, *, structure: str = HISTORICAL) -> list[RateRow]:
    """Answers ÷ cards issued, per row of the structure (open-link surveys: answers only)."""
    structure = _check_structure(structure)
    issued = dict(
        TokenBatch.objects.filter(survey=survey).values("unit_id").annotate(n=Sum("size")).values_list("unit_id", "n")
    )
    answers = dict(
        Answer.objects.filter(survey=survey).values("unit_id").annotate(n=Count("id")).values_list("unit_id", "n")
    )
    layout = _layout(survey, set(issued) | set(answers), structure)
    issued_by: dict[Hashable, int] = defaultdict(int)
    answers_by: dict[Hashable, int] = defaultdict(int)
    for unit_id, count in issued.items():
        issued_by[layout.place[unit_id]] += count
        issued_by[TOP] += count
    for unit_id, count in answers.items():
        answers_by[layout.place[unit_id]] += count
        answers_by[TOP] += count
    return [RateRow(row=row, issued=issued_by[row.key], answers=answers_by[row.key]) for row in layout.rows]


# --- Results -----------------------------------------------------------------------------------------


@dataclass
class Column:
    key: Hashable
    label: str


@dataclass
class Cell:
    value: int | None  # None: hidden
    percent: float | None = None

    @property
    def hidden(self) -> bool:
        return self.value is None


@dataclass
class QuestionResult:
    version: QuestionVersion
    columns: list[Column]
    rows: list[tuple[Row, list[Cell]]]
    chart: BarChart | None = None
    mean: float | None = None
    texts: list[str] = field(default_factory=list)
    texts_total: int = 0  # free texts written; ``texts`` shows a random sample of them
    texts_withheld: bool = False
    suppressed: int = 0


@dataclass
class SurveyResults:
    survey: Survey
    structure: str
    day: dt.date
    answers: int
    questions: list[QuestionResult]

    @property
    def any_suppressed(self) -> bool:
        return any(question.suppressed for question in self.questions)


def _columns(version: QuestionVersion) -> list[Column]:
    if version.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        columns = [Column(key=option.pk, label=option.text) for option in version.options.all()]
    elif version.kind == QuestionKind.RATING:
        columns = [Column(key=point, label=str(point)) for point in range(1, (version.scale or 1) + 1)]
    else:
        columns = []
    return [*columns, Column(key=TOTAL, label=_("Answered"))]


def survey_results(survey: Survey, *, structure: str = HISTORICAL, rng: random.Random | None = None) -> SurveyResults:
    """The suppressed result tables of every version that has answers or is current."""
    structure = _check_structure(structure)
    versions = list(
        QuestionVersion.objects.filter(question__section__survey=survey)
        .select_related("question__section")
        .prefetch_related("options")
        .order_by("question__section__position", "question__section_id", "question__position", "question_id", "number")
    )
    tallied = survey_counts(survey, {version.pk: version.kind for version in versions})
    respondents = tallied.respondents()
    choices = tallied.choices()
    ratings = tallied.points()
    sums = tallied.sums({version.pk for version in versions if version.kind == QuestionKind.NUMBER})
    texts = _text_samples(survey, [version.pk for version in versions if version.kind == QuestionKind.TEXT])
    unit_ids = {row[0] for row in respondents}
    layout = _layout(survey, unit_ids, structure)
    counts: dict[int, dict[tuple[Hashable, Hashable], int]] = defaultdict(lambda: defaultdict(int))

    def add(version_id: int, unit_id: int, column: Hashable, n: int) -> None:
        counts[version_id][(layout.place[unit_id], column)] += n
        counts[version_id][(TOP, column)] += n

    for unit_id, version_id, n in respondents:
        add(version_id, unit_id, TOTAL, n)
    for unit_id, version_id, option_id, n in choices:
        add(version_id, unit_id, option_id, n)
    for unit_id, version_id, number, n in ratings:
        add(version_id, unit_id, number, n)
    shuffle = rng or random.SystemRandom()
    results = []
    answered = {version_id for _unit, version_id, _n in respondents}
    for version in versions:
        if version.pk not in answered and version.pk != version.question.current_id:
            continue
        results.append(_question_result(version, layout, counts[version.pk], sums, texts, shuffle))
    total = Answer.objects.filter(survey=survey).count()
    return SurveyResults(survey=survey, structure=structure, day=layout.day, answers=total, questions=results)


def _question_result(
    version: QuestionVersion,
    layout: Layout,
    counts: dict[tuple[Hashable, Hashable], int],
    sums: dict[int, tuple[int, int]],
    texts: dict[int, list[str]],
    shuffle: random.Random,
) -> QuestionResult:
    columns = _columns(version)
    options = [column.key for column in columns if column.key != TOTAL]
    exclusive = version.kind in (QuestionKind.SINGLE, QuestionKind.RATING)
    if exclusive:
        relations = table_relations(layout.parents(), options, total=TOTAL)
    else:
        relations = table_relations(layout.parents(), [*options, TOTAL])
    cells = {(row.key, column.key): counts.get((row.key, column.key), 0) for row in layout.rows for column in columns}
    hidden = suppressed_cells(cells, relations)
    rows = []
    for row in layout.rows:
        total = None if (row.key, TOTAL) in hidden else cells[(row.key, TOTAL)]
        shown = []
        for column in columns:
            value = None if (row.key, column.key) in hidden else cells[(row.key, column.key)]
            percent = None
            if column.key != TOTAL and value is not None and total:
                percent = round(100 * value / total, 1)
            shown.append(Cell(value=value, percent=percent))
        rows.append((row, shown))
    result = QuestionResult(version=version, columns=columns, rows=rows, suppressed=len(hidden))
    top_cells = rows[0][1] if rows else []
    bars = [
        (column.label, cell.percent, f"{number_format(cell.percent)} %")
        for column, cell in zip(columns, top_cells, strict=False)
        if column.key != TOTAL and cell.percent is not None
    ]
    if bars:
        result.chart = bar_chart(version.text, bars, maximum=100)
    if version.kind == QuestionKind.NUMBER:
        total_sum, count = sums.get(version.pk, (0, 0))
        if count >= MIN_GROUP:
            result.mean = round(total_sum / count, 1)
    if version.kind == QuestionKind.TEXT:
        written = list(texts.get(version.pk, []))
        if cells[(TOP, TOTAL)] >= MIN_GROUP:  # under that the count itself stays hidden
            shuffle.shuffle(written)
            result.texts = written
            result.texts_total = cells[(TOP, TOTAL)]
        else:
            result.texts_withheld = bool(written)
    return result


def _text_samples(survey: Survey, version_ids: list[int]) -> dict[int, list[str]]:
    """Up to :data:`TEXTS_SHOWN` free texts per question. Items have random ids, so the first ones
    by id are a random sample, read through the primary key's order without sorting them all."""
    return {
        version_id: list(
            AnswerItem.objects.filter(version_id=version_id)  # a version belongs to one survey
            .order_by("id")
            .values_list("text", flat=True)[:TEXTS_SHOWN]
        )
        for version_id in version_ids
    }
