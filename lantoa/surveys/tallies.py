"""The counts behind a survey's results: kept for resealed days, counted for the days since.

The daily reseal (:func:`lantoa.surveys.services.answers_reseal`) reads every item of the days it
rewrites anyway; it adds their counts to :class:`ResultTally` rows in the same transaction as it
moves ``sealed_through``. Results then read those few rows (units × questions × options) and
count only the items of the days after ``sealed_through`` — so a 100,000-answer survey is read
from about two thousand rows plus today's answers instead of scanning every item four times.

A count is keyed by (unit, version, option, number): option and number empty for the
respondents of a question (for a number question ``total`` holds the sum of the numbers given),
an option for each option chosen, a number for each point of a rating.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Sum

from lantoa.surveys.models import Answer, AnswerItem, QuestionKind, QuestionVersion, ResultTally, Survey

Key = tuple[int, int, int | None, int | None]  # unit, version, option, number


class Counts:
    """Respondents, options chosen and rating points per unit and version, with number sums."""

    def __init__(self) -> None:
        self.cells: dict[Key, list[int]] = defaultdict(lambda: [0, 0])

    def add(self, key: Key, answers: int, total: int = 0) -> None:
        cell = self.cells[key]
        cell[0] += answers
        cell[1] += total

    def merge(self, other: Counts) -> Counts:
        for key, (answers, total) in other.cells.items():
            self.add(key, answers, total)
        return self

    def respondents(self) -> list[tuple[int, int, int]]:
        """(unit, version, respondents) for every unit and version answered."""
        return [(u, v, n) for (u, v, o, p), (n, _t) in self.cells.items() if o is None and p is None]

    def choices(self) -> list[tuple[int, int, int, int]]:
        return [(u, v, o, n) for (u, v, o, _p), (n, _t) in self.cells.items() if o is not None]

    def points(self) -> list[tuple[int, int, int, int]]:
        return [(u, v, p, n) for (u, v, o, p), (n, _t) in self.cells.items() if o is None and p is not None]

    def sums(self, number_versions: set[int]) -> dict[int, tuple[int, int]]:
        """Per number question: the sum of the numbers given and how many gave one."""
        found: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        for (_u, v, o, p), (n, total) in self.cells.items():
            if v in number_versions and o is None and p is None:
                found[v][0] += total
                found[v][1] += n
        return {version: (total, n) for version, (total, n) in found.items()}


def counts_of_items(items: Iterable[tuple[Any, int, int, int | None, int | None]], kinds: dict[int, str]) -> Counts:
    """The counts of items given as (answer id, unit, version, option, number), in Python: the
    reseal has them in hand."""
    counts = Counts()
    answered: set[tuple[Any, int]] = set()
    for answer_id, unit_id, version_id, option_id, number in items:
        kind = kinds[version_id]
        if (answer_id, version_id) not in answered:
            answered.add((answer_id, version_id))
            counts.add((unit_id, version_id, None, None), 1, (number or 0) if kind == QuestionKind.NUMBER else 0)
        if option_id is not None:
            counts.add((unit_id, version_id, option_id, None), 1)
        elif kind == QuestionKind.RATING and number is not None:
            counts.add((unit_id, version_id, None, number), 1)
    return counts


def version_kinds(version_ids: Iterable[int]) -> dict[int, str]:
    return dict(QuestionVersion.objects.filter(pk__in=set(version_ids)).values_list("pk", "kind"))


def add_to_tallies(survey_id: int, counts: Counts) -> None:
    """Add ``counts`` to the survey's tallies (inside the reseal's transaction, which holds the
    survey's row): the few rows are read, summed and written again."""
    merged = Counts()
    for row in ResultTally.objects.filter(survey_id=survey_id).values_list(
        "unit_id", "version_id", "option_id", "number", "answers", "total"
    ):
        merged.add(row[:4], row[4], row[5])
    merged.merge(counts)
    ResultTally.objects.filter(survey_id=survey_id).delete()
    ResultTally.objects.bulk_create(
        [
            ResultTally(survey_id=survey_id, unit_id=u, version_id=v, option_id=o, number=p, answers=n, total=total)
            for (u, v, o, p), (n, total) in merged.cells.items()
        ],
        batch_size=2_000,
    )


def survey_counts(survey: Survey, kinds: dict[int, str]) -> Counts:
    """Every count of the survey: the tallies of resealed days and the items of the days since.
    ``kinds``: the kind of each version of the survey."""
    counts = Counts()
    for row in ResultTally.objects.filter(survey=survey).values_list(
        "unit_id", "version_id", "option_id", "number", "answers", "total"
    ):
        counts.add(row[:4], row[4], row[5])
    return counts.merge(_unsealed_counts(survey, kinds))


def _unsealed_counts(survey: Survey, kinds: dict[int, str]) -> Counts:
    """Two grouped reads of the items of answers not yet tallied, found through the answers'
    (survey, day) index: respondents and sums per unit and version, then each option and point."""
    answers = Answer.objects.filter(survey=survey)
    if survey.sealed_through is not None:
        answers = answers.filter(day__gt=survey.sealed_through)
    items = AnswerItem.objects.filter(answer__in=answers.values("id"))
    counts = Counts()
    for unit_id, version_id, n, total in (
        items.values_list("answer__unit_id", "version_id")
        .annotate(n=Count("answer_id", distinct=True), total=Sum("number"))
        .values_list("answer__unit_id", "version_id", "n", "total")
    ):
        counts.add(
            (unit_id, version_id, None, None), n, (total or 0) if kinds.get(version_id) == QuestionKind.NUMBER else 0
        )
    for unit_id, version_id, option_id, point, n in items.values_list(
        "answer__unit_id", "version_id", "option_id", "number"
    ).annotate(n=Count("id")):
        if option_id is not None:
            counts.add((unit_id, version_id, option_id, None), n)
        elif point is not None and kinds.get(version_id) == QuestionKind.RATING:
            counts.add((unit_id, version_id, None, point), n)
    return counts
