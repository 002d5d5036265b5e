"""Template helpers of the surveys module: one question of the answer page."""

from __future__ import annotations

from typing import Any

from django import template

from lantoa.surveys.models import QuestionKind, QuestionVersion

register = template.Library()


@register.inclusion_tag("surveys/partials/_question.html")
def question_field(version: QuestionVersion, submitted: dict[str, list[str]], errors: dict[str, str]) -> dict[str, Any]:
    key = str(version.question_id)
    values = submitted.get(key, [])
    options = [
        {"value": str(option.pk), "label": option.text, "checked": str(option.pk) in values}
        for option in version.options.all()
    ]
    if version.kind == QuestionKind.RATING:
        options = [
            {"value": str(point), "label": str(point), "checked": str(point) in values}
            for point in range(1, (version.scale or 1) + 1)
        ]
    return {
        "version": version,
        "name": f"q{key}",
        "key": key,
        "value": values[0] if values else "",
        "options": options,
        "error": errors.get(key, ""),
        "kinds": QuestionKind,
    }
