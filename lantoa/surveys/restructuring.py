"""How surveys follow a closing unit: a survey still running (a draft or open) whose owner or
audience unit closes continues at the unit's default successor, so the successor's officers keep
running it and its cards can still be issued to today's units. Closed surveys stay as they were.
Batches and answers never move: they keep the unit they were issued to and answered in (the
rollup counts them at the successor in today's structure)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from lantoa.org.models import Unit
from lantoa.surveys.models import Survey, SurveyStatus


def surveys_follow_successor(closing: list[tuple[Unit, Unit | None]], day: dt.date, by: Any) -> list[Any]:
    from lantoa.org.restructuring import PointerChange

    successors = {unit.pk: (unit, successor) for unit, successor in closing if successor is not None}
    if not successors:
        return []
    running = Survey.objects.exclude(status=SurveyStatus.CLOSED).filter(
        Q(owner_id__in=list(successors)) | Q(audience_root_id__in=list(successors))
    )
    changes = []
    for survey in running.order_by("pk"):
        moved = []
        for field in ("owner", "audience_root"):
            unit_id = getattr(survey, f"{field}_id")
            if unit_id in successors:
                unit, successor = successors[unit_id]
                setattr(survey, f"{field}_id", successor.pk)  # type: ignore[union-attr]
                moved.append(field)
                changes.append(
                    PointerChange(
                        what="survey",
                        label=survey.title,
                        from_unit=unit.code,
                        to_unit=successor.code,  # type: ignore[union-attr]
                    )
                )
        survey.save(update_fields=[*moved, "updated_at"])
    return changes
