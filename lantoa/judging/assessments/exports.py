"""A campaign's results as XLSX: one row per subject with its self-assessed and verified scores,
the result, then the verified score of every criterion."""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.utils.translation import gettext as _
from openpyxl import Workbook

from lantoa.judging.assessments.models import Assessment, AssessmentCampaign
from lantoa.judging.models import Criterion

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_START = ("=", "+", "-", "@")


def _text(value: str) -> str:
    """Text that a spreadsheet program never reads as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def result_label(passed: bool | None) -> str:
    if passed is None:
        return ""
    return _("Passed") if passed else _("Not passed")


def results_xlsx(campaign: AssessmentCampaign, rows: Sequence[Assessment], criteria: Sequence[Criterion]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Results")[:31]
    sheet.append([_text(campaign.title), campaign.year])
    sheet.append([_("Pass score"), float(campaign.pass_score)])
    sheet.append([])
    sheet.append(
        [
            _("Unit code"),
            _("Unit"),
            _("Exemplary model"),
            _("Status"),
            _("Self-assessed score"),
            _("Verified score"),
            _("Result"),
            *(_text(f"{c.position}. {c.name} (/{c.max_score.normalize():f})") for c in criteria),
        ]
    )
    for row in rows:
        verified = {score.criterion_id: score.verified_value for score in row.scores.all()}
        sheet.append(
            [
                row.unit.code,
                _text(row.unit.name),
                _text(row.model_title),
                str(row.get_status_display()),
                None if row.self_total is None else float(row.self_total),
                None if row.verified_total is None else float(row.verified_total),
                result_label(row.passed),
                *(None if verified.get(c.pk) is None else float(verified[c.pk]) for c in criteria),  # type: ignore[arg-type]
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
