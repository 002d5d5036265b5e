"""Building data sets and requests for the data-request tests through the real services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lantoa.org.models import Unit
from lantoa.reports.models import DataRequest, DataSet
from lantoa.reports.request_services import FieldSpec, RuleSpec, data_set_create, request_send

SENT_ON = dt.date(2022, 8, 1)
DEADLINE = dt.date(2022, 8, 15)
BEFORE_DEADLINE = dt.date(2022, 8, 10)
AFTER_DEADLINE = dt.date(2022, 8, 20)


def make_data_set(unit: Unit, *, code: str = "hoi-nghi", by: Any = None) -> DataSet:
    """Conferences (computed), sites and online points (typed), a note; online points ≤
    conferences × sites blocks, sites ≤ 50 × conferences warns."""
    data_set, _created = data_set_create(
        by=by,
        unit=unit,
        code=code,
        name="Số liệu học tập, quán triệt nghị quyết",
        fields=[
            FieldSpec(code="conferences", label="Số hội nghị", kind="indicator", indicator="conferences_held"),
            FieldSpec(code="sites", label="Số điểm cầu mỗi hội nghị", kind="integer", min_value=0, max_value=500),
            FieldSpec(code="online_points", label="Số điểm cầu trực tuyến", kind="integer", max_value=100_000),
            FieldSpec(code="note", label="Ghi chú", kind="text", required=False, max_length=200),
        ],
        rules=[
            RuleSpec(
                expression="online_points <= conferences * sites",
                severity="block",
                message="Số điểm cầu trực tuyến không thể vượt số hội nghị × số điểm cầu.",
            ),
            RuleSpec(expression="sites <= 50 * conferences", severity="warn", message="Số điểm cầu có vẻ lớn."),
        ],
    )
    return data_set


def make_request(
    unit: Unit,
    *,
    data_set: DataSet | None = None,
    tier: str = "commune",
    by: Any = None,
    cutoff: dt.date | None = None,
) -> DataRequest:
    return request_send(
        by=by,
        data_set=data_set or make_data_set(unit),
        unit=unit,
        tier_code=tier,
        start=dt.date(2021, 3, 1),
        end=dt.date(2022, 7, 31),
        deadline=DEADLINE,
        cutoff=cutoff,
        title="Báo cáo kết quả học tập nghị quyết",
        sent_on=SENT_ON,
    )
