"""Assigning a stage's entries to its jurors, and their score sheets: scoring, submission and
reopening, a paper sheet typed in whole. The arithmetic lives in :mod:`lantoa.judging.scoring`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.core.audit import actor_or_none, audit_record
from lantoa.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lantoa.core.results import Created
from lantoa.core.rows import insert_values
from lantoa.judging import scoring
from lantoa.judging.models import (
    REASON_MAX,
    SCORING_ROLES,
    Criterion,
    EntryStage,
    JuryRole,
    Score,
    ScoreSheet,
    SheetReopening,
    Stage,
)
from lantoa.judging.selectors import stage_conflicts, stage_criteria
from lantoa.judging.services._common import _number, _text, _text_array

# --- Assignment ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssignmentResult:
    created: int
    loads: dict[int, int]


def stage_assign(*, by: Any, stage: Stage) -> AssignmentResult:
    """Give every entry of the stage ``jurors_per_entry`` scoring jurors, none in conflict, the
    loads balanced (within one sheet, counting sheets already there). Entries that already have
    their jurors are left as they are; running it again creates nothing."""
    with transaction.atomic():
        stage = Stage.objects.select_for_update().get(pk=stage.pk)
        jurors = list(stage.jurors.filter(role__in=SCORING_ROLES).order_by("pk").values_list("pk", flat=True))
        if not jurors:
            raise Conflict(_("Add the jury's scoring members before assigning entries."))
        entries = list(EntryStage.objects.filter(stage=stage).order_by("entry_id").values_list("entry_id", flat=True))
        already: dict[int, set[int]] = defaultdict(set)
        loads: dict[int, int] = defaultdict(int)
        for entry_id, juror_id in ScoreSheet.objects.filter(stage=stage, is_extra=False).values_list(
            "entry_id", "juror_id"
        ):
            already[entry_id].add(juror_id)
        for juror_id, count in ScoreSheet.objects.filter(stage=stage).values_list("juror_id").annotate(n=Count("pk")):
            loads[juror_id] = count
        conflicts = stage_conflicts(stage)
        try:
            plan = scoring.assign(entries, jurors, stage.jurors_per_entry, conflicts, loads=loads, already=already)
        except scoring.AssignmentImpossible as refused:
            raise Conflict(
                _("An entry has only %(n)s jurors without a conflict of interest; %(k)s are needed. Add jurors.")
                % {"n": refused.available, "k": stage.jurors_per_entry},
                code="assignment_impossible",
                extra={"entry": refused.entry},
            ) from refused
        created = _insert_sheets(stage, plan)
        for chosen in plan.values():
            for juror_id in chosen:
                loads[juror_id] += 1
        if created:
            audit_record(action="lantoa.judging.stage.assigned", by=by, target=stage, unit=stage.competition.unit)
    return AssignmentResult(created, {juror: loads.get(juror, 0) for juror in jurors})


def _insert_sheets(stage: Stage, plan: dict[int, list[int]]) -> int:
    """The new open sheets of an assignment, written without a model instance per row: on
    PostgreSQL one ``INSERT … SELECT`` over two arrays (entries, jurors), elsewhere plain tuples
    in one ``executemany`` (:func:`lantoa.core.rows.insert_values`). For 200,000 sheets,
    ``bulk_create``'s instances and statements cost more than the writing. Nothing listens to
    the sheets' ``post_save``; every row gets the same timestamps, prepared once."""
    stamp = ScoreSheet._meta.get_field("created_at").get_db_prep_value(timezone.now(), connection)
    status = ScoreSheet.Status.OPEN.value
    pairs = [(entry_id, juror_id) for entry_id, chosen in plan.items() for juror_id in chosen]
    if not pairs:
        return 0
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(ScoreSheet._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} "  # noqa: S608 - the model's own table and columns
                "(stage_id, entry_id, juror_id, status, is_extra, created_at, updated_at) "
                "SELECT %s, v.entry_id, v.juror_id, %s, false, %s, %s "
                "FROM unnest(string_to_array(%s, ',')::bigint[], string_to_array(%s, ',')::bigint[]) "
                "AS v(entry_id, juror_id)",
                [stage.pk, status, stamp, stamp, _text_array(p[0] for p in pairs), _text_array(p[1] for p in pairs)],
            )
    else:
        insert_values(
            ScoreSheet,
            ("stage", "entry", "juror", "status", "is_extra", "created_at", "updated_at"),
            [(stage.pk, entry_id, juror_id, status, False, stamp, stamp) for entry_id, juror_id in pairs],
        )
    return len(pairs)


# --- Scoring ------------------------------------------------------------------------------------


def _own_open_sheet(by: Any, sheet: ScoreSheet) -> ScoreSheet:
    locked = ScoreSheet.objects.select_for_update().select_related("juror", "stage").filter(pk=sheet.pk).first()
    if locked is None or locked.juror.user_id != getattr(by, "pk", None):
        raise NotFound(_("No such score sheet."), extra={"id": sheet.pk})
    if locked.is_locked:
        raise Conflict(
            _("This score sheet is submitted and locked; the jury's chair can reopen it."), code="sheet_locked"
        )
    return locked


def score_save(*, by: Any, sheet: ScoreSheet, criterion_id: int, value: Any) -> Created[Score]:
    """One criterion's score, saved as the juror goes. Between 0 and the criterion's maximum,
    at most two decimals; on a sheet assigned to ``by`` and not yet submitted."""
    with transaction.atomic():
        sheet = _own_open_sheet(by, sheet)
        criterion = Criterion.objects.filter(pk=criterion_id, version_id=sheet.stage.rubric_version_id).first()
        if criterion is None:
            raise ValidationFailed(_("No such criterion on this sheet."), extra={"field": "criterion"})
        number = _number(value, field_name=f"criterion_{criterion.pk}", low=Decimal(0), high=criterion.max_score)
        score, created = Score.objects.update_or_create(sheet=sheet, criterion=criterion, defaults={"value": number})
    return Created(score, created)


def sheet_submit(*, by: Any, sheet: ScoreSheet) -> ScoreSheet:
    """Submit and lock: every criterion must be scored. When the entry's submitted totals then
    differ by more than the stage's margin, one extra juror is assigned (once per entry)."""
    with transaction.atomic():
        sheet = _own_open_sheet(by, sheet)
        return _submit(by, sheet, stage_criteria(sheet.stage))


def _submit(by: Any, sheet: ScoreSheet, criteria: list[Criterion]) -> ScoreSheet:
    scores = {score.criterion_id: score.value for score in sheet.scores.all()}
    missing = [criterion.name for criterion in criteria if criterion.pk not in scores]
    if missing:
        raise ValidationFailed(
            _("Score every criterion before submitting: %(names)s.") % {"names": ", ".join(missing)},
            code="sheet_incomplete",
            extra={"missing": missing},
        )
    sheet.total = scoring.sheet_total(scoring.CriterionScore(scores[c.pk], c.max_score, c.weight) for c in criteria)
    sheet.status = ScoreSheet.Status.SUBMITTED
    sheet.submitted_at = timezone.now()
    sheet.save(update_fields=["total", "status", "submitted_at", "updated_at"])
    audit_record(action="lantoa.judging.sheet.submitted", by=by, target=sheet, unit=sheet.stage.unit)
    _maybe_extra_juror(sheet.stage, sheet.entry_id)
    return sheet


def sheet_record(*, by: Any, sheet: ScoreSheet, values: dict[int, Any]) -> ScoreSheet:
    """A whole paper sheet typed in at once (criterion id → score) and submitted: by the juror,
    by the stage's secretary, or by the system (``by=None``: an import, the demo). Every value
    is checked before anything is written."""
    with transaction.atomic():
        locked = ScoreSheet.objects.select_for_update().select_related("juror", "stage").filter(pk=sheet.pk).first()
        if locked is None or not _may_record(by, locked):
            raise NotFound(_("No such score sheet."), extra={"id": sheet.pk})
        if locked.is_locked:
            raise Conflict(
                _("This score sheet is submitted and locked; the jury's chair can reopen it."), code="sheet_locked"
            )
        criteria = stage_criteria(locked.stage)
        known = {criterion.pk for criterion in criteria}
        if set(values) - known:
            raise ValidationFailed(_("No such criterion on this sheet."), extra={"field": "criterion"})
        checked = {
            c.pk: _number(values[c.pk], field_name=f"criterion_{c.pk}", low=Decimal(0), high=c.max_score)
            for c in criteria
            if c.pk in values
        }
        Score.objects.filter(sheet=locked, criterion_id__in=list(checked)).delete()
        Score.objects.bulk_create([Score(sheet=locked, criterion_id=pk, value=value) for pk, value in checked.items()])
        return _submit(by, locked, criteria)


def _may_record(by: Any, sheet: ScoreSheet) -> bool:
    if by is None:
        return True
    user_id = getattr(by, "pk", None)
    if sheet.juror.user_id == user_id:
        return True
    return sheet.stage.jurors.filter(user_id=user_id or 0, role=JuryRole.SECRETARY).exists()


def _maybe_extra_juror(stage: Stage, entry_id: int) -> ScoreSheet | None:
    sheets = list(
        ScoreSheet.objects.filter(stage=stage, entry_id=entry_id).values_list("juror_id", "status", "total", "is_extra")
    )
    if any(is_extra for *_rest, is_extra in sheets):
        return None
    totals = [
        float(total) for _j, status, total, _e in sheets if status == ScoreSheet.Status.SUBMITTED and total is not None
    ]
    margin = float(stage.disagreement_margin) if stage.disagreement_margin is not None else None
    if not scoring.disagreement(totals, margin):
        return None
    jurors = list(stage.jurors.filter(role__in=SCORING_ROLES).order_by("pk").values_list("pk", flat=True))
    loads = dict(ScoreSheet.objects.filter(stage=stage).values_list("juror_id").annotate(n=Count("pk")))
    conflicted = stage_conflicts(stage, entry_ids=[entry_id]).get(entry_id, set())
    chosen = scoring.extra_juror(jurors, loads, {juror for juror, *_rest in sheets}, conflicted)
    if chosen is None:
        return None
    return ScoreSheet.objects.create(stage=stage, entry_id=entry_id, juror_id=chosen, is_extra=True)


def sheet_reopen(*, by: Any, sheet: ScoreSheet, reason: str) -> ScoreSheet:
    """The stage's chair reopens a submitted sheet, saying why (kept, and audited)."""
    reason = _text(reason, field_name="reason", limit=REASON_MAX, required=True)
    with transaction.atomic():
        sheet = ScoreSheet.objects.select_for_update().select_related("stage").get(pk=sheet.pk)
        chair = sheet.stage.jurors.filter(role=JuryRole.CHAIR).values_list("user_id", flat=True).first()
        if chair is None or chair != getattr(by, "pk", None):
            raise PermissionDenied(_("Only the jury's chair can reopen a score sheet."))
        if not sheet.is_locked:
            raise Conflict(_("This score sheet is not submitted."), code="sheet_open")
        sheet.status = ScoreSheet.Status.OPEN
        sheet.total = None
        sheet.submitted_at = None
        sheet.save(update_fields=["status", "total", "submitted_at", "updated_at"])
        SheetReopening.objects.create(sheet=sheet, by=actor_or_none(by), reason=reason)
        audit_record(
            action="lantoa.judging.sheet.reopened", by=by, target=sheet, unit=sheet.stage.unit, changed=["status"]
        )
    return sheet
