"""Reads of question banks for pages and the API. Each takes the acting user, so scope cannot be
forgotten, and reads a page of questions in a fixed number of queries, however many there are."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from lantoa.contests.models import (
    Attempt,
    Contest,
    EligiblePerson,
    ExternalResult,
    Question,
    QuestionBank,
    QuestionTag,
    QuestionVersion,
    Round,
)
from lantoa.contests.permissions import banks_visible_to, contests_visible_to
from lantoa.core.text import fold


def bank_list_for_user(by: Any, *, q: str = "") -> QuerySet[QuestionBank]:
    """Banks in the user's scope, by name, each with ``question_count`` (questions in use)."""
    banks = banks_visible_to(by).select_related("unit")
    if q:
        banks = banks.filter(name__icontains=q)
    return banks.annotate(question_count=Count("questions", filter=Q(questions__retired_at__isnull=True))).order_by(
        "name", "pk"
    )


def bank_tags(bank: QuestionBank) -> list[QuestionTag]:
    """The bank's tags, each with ``question_count`` (questions in use)."""
    return list(
        bank.tags.annotate(question_count=Count("questions", filter=Q(questions__retired_at__isnull=True))).order_by(
            "name", "pk"
        )
    )


def bank_questions(
    bank: QuestionBank, *, tag: str = "", q: str = "", retired: bool = False, difficulty: int | None = None
) -> QuerySet[Question]:
    """The bank's questions in the order they were added, with their current version and tags
    (two queries for the page, however many questions). ``tag`` is a tag's name; ``q`` matches
    the stem or an option ignoring case and diacritics; ``retired`` lists the retired ones
    instead of those in use."""
    questions = Question.objects.filter(bank=bank, retired_at__isnull=not retired)
    if tag:
        questions = questions.filter(tags__bank=bank, tags__name=tag)
    if q:
        questions = questions.filter(search_folded__contains=fold(q))
    if difficulty:
        questions = questions.filter(difficulty=difficulty)
    return (
        questions.select_related("current", "source_document")
        .prefetch_related(Prefetch("tags", queryset=QuestionTag.objects.order_by("name")))
        .order_by("pk")
    )


def question_versions(question: Question) -> list[QuestionVersion]:
    """Every version of the question, newest first, with who wrote it."""
    return list(question.versions.select_related("created_by").order_by("-number"))


def question_tag_names(question: Question) -> list[str]:
    return list(question.tags.order_by("name").values_list("name", flat=True))


# --- Contests and rounds -------------------------------------------------------------------------


def contest_list_for_user(by: Any, *, q: str = "") -> QuerySet[Contest]:
    """Contests organised in the user's scope, newest first."""
    contests = contests_visible_to(by).select_related("unit")
    if q:
        contests = contests.filter(title__icontains=q)
    return contests.order_by("-created_at", "-pk")


def contest_rounds(contest: Contest) -> list[Round]:
    return list(contest.rounds.order_by("number", "pk"))


def round_figures(round_: Round) -> dict[str, Any]:
    """A round's live figures: attempts started, entries (submitted attempts), distinct
    contestants who submitted, and the same by the attempts' units — two queries, whatever the
    number of units or attempts."""
    attempts = Attempt.objects.filter(round_id=round_.pk)
    submitted = Q(submitted_at__isnull=False)
    totals = attempts.aggregate(
        started=Count("pk"),
        entries=Count("pk", filter=submitted),
        contestants=Count("contestant_id", filter=submitted, distinct=True),
    )
    rows = (
        attempts.filter(submitted)
        .values("unit__code", "unit__name")
        .annotate(entries=Count("pk"), contestants=Count("contestant_id", distinct=True))
        .order_by("-entries", "unit__name")
    )
    return {
        "round": round_.pk,
        "started": totals["started"],
        "entries": totals["entries"],
        "contestants": totals["contestants"],
        "by_unit": [
            {
                "unit": row["unit__code"],
                "unit_name": row["unit__name"] or "",
                "entries": row["entries"],
                "contestants": row["contestants"],
            }
            for row in rows
        ],
    }


# --- The contestant's pages ----------------------------------------------------------------------


def registration_units(contest: Contest) -> list[Any]:
    """The units a contestant chooses from: the organiser and the units directly under it, by name."""
    from lantoa.org.selectors import unit_children

    return [contest.unit, *unit_children(contest.unit)]


def contestant_attempts(contestant_id: int) -> list[Attempt]:
    """A contestant's attempts, newest first, with their rounds (one query)."""
    return list(
        Attempt.objects.filter(contestant_id=contestant_id)
        .select_related("round")
        .only(
            "id",
            "number",
            "started_at",
            "deadline",
            "submitted_at",
            "score",
            "correct_count",
            "duration_ms",
            "round__number",
            "round__title",
        )
        .order_by("-started_at")
    )


def contest_eligible(contest: Contest, *, q: str = "") -> QuerySet[EligiblePerson]:
    """A restricted contest's list, by unit and name, with units (one query however long);
    ``q`` finds a name or a unit code."""
    people = EligiblePerson.objects.filter(contest=contest).select_related("unit")
    if q.strip():
        people = people.filter(Q(name__icontains=q.strip()) | Q(unit__code__iexact=q.strip()))
    return people.order_by("unit__code", "name", "pk")


def eligible_counts(contest: Contest) -> dict[str, int]:
    """How many are on the list and how many have registered with their code."""
    people = EligiblePerson.objects.filter(contest=contest)
    return people.aggregate(listed=Count("pk"), registered=Count("contestant_id"))


def contest_external_results(contest: Contest) -> QuerySet[ExternalResult]:
    """The results from another platform stored for ``contest``, by day, period and unit, with
    their units (one query whatever the number of rows)."""
    return (
        ExternalResult.objects.filter(contest=contest)
        .select_related("unit")
        .order_by("day", "period_key", "unit__code", "pk")
    )
