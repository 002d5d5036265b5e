"""Reads for judged contests: conflicts of interest, a juror's sheets, the progress board and a
stage's results. Tree questions go to :mod:`lantoa.org.selectors`; nothing here reads the
closure table."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from lantoa.judging.models import (
    SCORING_ROLES,
    Criterion,
    DeclaredConflict,
    EntryStage,
    JuryMember,
    Score,
    ScoreSheet,
    Stage,
)
from lantoa.org.selectors import ancestor_ids


def stage_criteria(stage: Stage) -> list[Criterion]:
    return list(Criterion.objects.filter(version_id=stage.rubric_version_id).order_by("position"))


def scoring_jurors(stage: Stage) -> list[JuryMember]:
    return list(stage.jurors.filter(role__in=SCORING_ROLES).select_related("person").order_by("pk"))


def stage_conflicts(stage: Stage, *, entry_ids: list[int] | None = None) -> dict[int, set[int]]:
    """Entry id → ids of the stage's jurors who may not score it.

    A juror may not score an entry whose unit is the juror's own unit or one above it — the
    juror's unit lies within the entry unit's subtree — as the tree stood on the stage's first
    day; nor an entry of their own (the same person); nor one with a declared conflict (by the
    juror or by the entrant). One query per distinct juror unit, one for the entries, one for
    the declarations."""
    jurors = list(stage.jurors.values_list("pk", "unit_id", "person_id"))
    above: dict[int, set[int]] = {}
    for unit_id in {unit_id for _pk, unit_id, _person in jurors}:
        above[unit_id] = set(ancestor_ids([unit_id], as_of=stage.starts_on)) | {unit_id}
    juror_of_person = {person_id: pk for pk, _unit, person_id in jurors}
    rows = EntryStage.objects.filter(stage=stage)
    if entry_ids is not None:
        rows = rows.filter(entry_id__in=entry_ids)
    conflicts: dict[int, set[int]] = defaultdict(set)
    by_unit: dict[int, list[int]] = defaultdict(list)
    for pk, unit_id, _person in jurors:
        for ancestor in above[unit_id]:
            by_unit[ancestor].append(pk)
    for entry_id, unit_id, person_id in rows.values_list("entry_id", "unit_id", "person_id"):
        found = set(by_unit.get(unit_id, ()))
        if person_id in juror_of_person:
            found.add(juror_of_person[person_id])
        if found:
            conflicts[entry_id] = found
    declared = DeclaredConflict.objects.filter(entry__stages__stage=stage, person_id__in=juror_of_person)
    for entry_id, person_id in declared.values_list("entry_id", "person_id"):
        conflicts[entry_id].add(juror_of_person[person_id])
    return dict(conflicts)


def sheets_for_user(user: Any, stage: Stage | None = None) -> QuerySet[ScoreSheet]:
    """The sheets assigned to ``user`` as a juror (only theirs: a juror sees nothing else)."""
    sheets = ScoreSheet.objects.filter(juror__user=user)
    if stage is not None:
        sheets = sheets.filter(stage=stage)
    return sheets.select_related("entry__person", "entry__unit", "stage__competition", "juror").order_by(
        "stage", "entry__title", "pk"
    )


def sheet_with_scores(sheet: ScoreSheet) -> tuple[list[Criterion], dict[int, Score]]:
    criteria = stage_criteria(sheet.stage)
    return criteria, {score.criterion_id: score for score in sheet.scores.all()}


@dataclass(frozen=True)
class JurorProgress:
    juror: JuryMember
    assigned: int
    submitted: int
    missing: list[ScoreSheet]


def progress_board(stage: Stage) -> list[JurorProgress]:
    """Per juror: sheets assigned, submitted, and the entries still missing — three queries
    whatever the number of entries or jurors."""
    jurors = (
        stage.jurors.filter(role__in=SCORING_ROLES)
        .select_related("person")
        .annotate(
            assigned=Count("sheets", filter=Q(sheets__stage=stage)),
            submitted=Count("sheets", filter=Q(sheets__stage=stage, sheets__status=ScoreSheet.Status.SUBMITTED)),
        )
        .prefetch_related(
            Prefetch(
                "sheets",
                queryset=ScoreSheet.objects.filter(stage=stage, status=ScoreSheet.Status.OPEN)
                .select_related("entry")
                .order_by("entry__title", "pk"),
                to_attr="open_sheets",
            )
        )
        .order_by("person__sort_key", "pk")
    )
    return [JurorProgress(juror, juror.assigned, juror.submitted, juror.open_sheets) for juror in jurors]


def stage_results(stage: Stage) -> QuerySet[EntryStage]:
    return (
        EntryStage.objects.filter(stage=stage)
        .select_related("entry__person", "entry__unit", "unit")
        .order_by("rank", "entry__title", "pk")
    )


def stage_next(stage: Stage) -> Stage | None:
    return Stage.objects.filter(competition_id=stage.competition_id, number__gt=stage.number).order_by("number").first()


def jury_with_conflicts(stage: Stage) -> list[tuple[JuryMember, int]]:
    """The stage's jury, each member with the number of the stage's entries they may not score."""
    conflicts = stage_conflicts(stage)
    per_juror: dict[int, int] = defaultdict(int)
    for jurors in conflicts.values():
        for juror_id in jurors:
            per_juror[juror_id] += 1
    members = stage.jurors.select_related("person", "unit").order_by("role", "person__sort_key", "pk")
    return [(member, per_juror.get(member.pk, 0)) for member in members]
