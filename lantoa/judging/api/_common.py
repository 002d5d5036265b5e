"""What the endpoints share: a stage and a rubric's criterion as they are answered."""

from __future__ import annotations

from typing import Any

from lantoa.judging.models import Stage


def criterion_out(criterion: Any) -> dict[str, Any]:
    """A rubric version's criterion, as the rubric and the score sheet show it."""
    return {
        "id": criterion.pk,
        "position": criterion.position,
        "section": criterion.section,
        "name": criterion.name,
        "weight": criterion.weight,
        "max_score": criterion.max_score,
        "descriptors": criterion.descriptors,
    }


def stage_out(stage: Stage) -> dict[str, Any]:
    fields = (
        "number",
        "name",
        "starts_on",
        "ends_on",
        "aggregation",
        "jurors_per_entry",
        "disagreement_margin",
        "audience_weight",
        "advancement",
        "advance_count",
        "advance_threshold",
        "results_computed_at",
        "results_published_at",
        "blind",
    )
    return {
        "id": stage.pk,
        "competition": stage.competition_id,
        "unit": stage.unit.code,
        "rubric": stage.rubric_version.rubric.name,
        "rubric_version": stage.rubric_version.number,
        **{name: getattr(stage, name) for name in fields},
    }
