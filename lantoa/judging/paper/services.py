"""Paper score sheets: who gets which sheets on paper, and the secretary typing one in.

Typing a paper sheet in is :func:`lantoa.judging.services.sheet_record` (every value checked
against its criterion before anything is written, then submitted and locked), with one more
audit entry naming the secretary as the one who typed it for the juror."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Prefetch

from lantoa.core.audit import audit_record
from lantoa.judging import services
from lantoa.judging.models import SCORING_ROLES, JuryMember, ScoreSheet, Stage
from lantoa.judging.paper.sheets import JurorSheets


def jurors_sheets(stage: Stage, juror_id: int | None = None) -> list[JurorSheets]:
    """Every scoring juror of the stage (or one) with the sheets assigned to them, in a fixed
    number of queries."""
    jurors = (
        JuryMember.objects.filter(stage=stage, role__in=SCORING_ROLES)
        .select_related("person")
        .prefetch_related(
            Prefetch(
                "sheets",
                queryset=ScoreSheet.objects.filter(stage=stage)
                .select_related("entry__person", "entry__unit")
                .order_by("entry_id"),
                to_attr="stage_sheets",
            )
        )
        .order_by("person__sort_key", "pk")
    )
    if juror_id is not None:
        jurors = jurors.filter(pk=juror_id)
    return [JurorSheets(juror, list(juror.stage_sheets)) for juror in jurors]


def paper_record(*, by: Any, sheet: ScoreSheet, values: dict[int, Any]) -> ScoreSheet:
    """The secretary types in a paper sheet for its juror: submitted and locked as if the juror
    had, and audited as typed in by the secretary."""
    with transaction.atomic():
        recorded = services.sheet_record(by=by, sheet=sheet, values=values)
        audit_record(
            action="lantoa.judging.sheet.typed_in", by=by, target=recorded, unit=recorded.stage.unit,
            changed=["scores"],
        )  # fmt: skip
    return recorded
