"""The demo's data request: the Lào Cai provincial committee asks every commune of today's Lào Cai
for the results of studying the XIII Congress resolution (1 March 2021 – 31 July 2022). The
conferences, online bridge points and attendances are computed from the demo's records; each
commune types its study reflections and its number of study sites. Sent three weeks ago and due a
week ago: some communes have filed, one filing was approved, corrected with a reason and
approved again, another approved once, and the rest are late (and were reminded once). A
commune where a demo officer works is left to file, so that officer finds it on the home page.
Written through the services, like everything else."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from lantoa.accounts.models import Assignment
from lantoa.org.models import Unit
from lantoa.reports.models import AssignmentStatus, DataRequest, DataRequestAssignment, DataSet
from lantoa.reports.request_services import (
    FieldSpec,
    RuleSpec,
    computed_figures,
    data_set_create,
    request_remind_late,
    request_send,
    submission_approve,
    submission_file,
)

SEED = "lantoa-demo-requests"
DATA_SET_CODE = "hoc-tap-nghi-quyet-xiii"
PERIOD = (dt.date(2021, 3, 1), dt.date(2022, 7, 31))
FILED_SHARE = 0.55  # of the communes, the share that has filed
TITLE = "Báo cáo kết quả học tập, quán triệt Nghị quyết Đại hội XIII (01/3/2021 – 31/7/2022)"
INSTRUCTIONS = (
    "Các đảng ủy xã, phường kiểm tra số liệu hội nghị do Lantoa tổng hợp từ hồ sơ; nếu số liệu của đơn vị "
    "khác, ghi rõ lý do. Nhập số bài thu hoạch và số địa điểm tổ chức học tập của đơn vị."
)


def build_data_set(province: Unit) -> DataSet:
    data_set, _created = data_set_create(
        by=None,
        unit=province,
        code=DATA_SET_CODE,
        name="Kết quả học tập, quán triệt Nghị quyết Đại hội XIII",
        description="Số liệu hội nghị học tập, quán triệt và bài thu hoạch của cán bộ, đảng viên.",
        fields=[
            FieldSpec(
                code="conferences", label="Số hội nghị đã tổ chức", kind="indicator", indicator="conferences_held"
            ),
            FieldSpec(
                code="online_points", label="Số điểm cầu trực tuyến", kind="indicator", indicator="online_bridge_points"
            ),
            FieldSpec(
                code="attendances",
                label="Số lượt cán bộ, đảng viên tham dự",
                kind="indicator",
                indicator="conference_attendances",
            ),
            FieldSpec(
                code="sites",
                label="Số địa điểm tổ chức học tập của đơn vị",
                kind="integer",
                min_value=0,
                max_value=500,
                help_text="Hội trường, nhà văn hóa thôn, tổ dân phố có thể làm điểm cầu.",
            ),
            FieldSpec(code="reflections", label="Số bài thu hoạch", kind="integer", min_value=0, max_value=1_000_000),
            FieldSpec(code="note", label="Ghi chú", kind="text", required=False, max_length=300),
        ],
        rules=[
            RuleSpec(
                expression="online_points <= conferences * sites",
                severity="block",
                message="Số điểm cầu trực tuyến không thể vượt số hội nghị × số địa điểm của đơn vị.",
            ),
            RuleSpec(
                expression="reflections <= attendances",
                severity="warn",
                message="Số bài thu hoạch nhiều hơn số lượt tham dự: kiểm tra lại.",
            ),
        ],
    )
    return data_set


def _values(assignment: DataRequestAssignment, rng: random.Random, fields: list) -> dict[str, int | str] | None:  # type: ignore[type-arg]
    """Typed figures that pass the blocking rule for this commune's computed ones (None when no
    figure can: online points without any conference)."""
    computed = computed_figures(assignment, fields)
    conferences = computed.get("conferences") or 0
    online = computed.get("online_points") or 0
    attendances = computed.get("attendances") or 0
    if online and not conferences:
        return None
    sites = max(1, -(-online // conferences) if conferences else 1) + rng.randint(0, 3)
    reflections = int(attendances * rng.uniform(0.5, 0.9)) if attendances else rng.randint(20, 200)
    return {"sites": sites, "reflections": reflections}


def build_requests(province: Unit, *, today: dt.date | None = None) -> DataRequest:
    """Send the request to today's communes and file, approve, correct and remind as described
    above."""
    day = today or timezone.localdate()
    rng = random.Random(SEED)
    data_set = build_data_set(province)
    request = request_send(
        by=None,
        data_set=data_set,
        unit=province,
        tier_code="commune",
        start=PERIOD[0],
        end=PERIOD[1],
        deadline=day - dt.timedelta(days=7),
        sent_on=day - dt.timedelta(days=21),
        title=TITLE,
        instructions=INSTRUCTIONS,
    )
    fields = list(data_set.fields.all())
    assignments = list(request.assignments.select_related("unit", "request__period").order_by("unit__code"))
    officers = set(Assignment.objects.filter(unit__in=[a.unit for a in assignments]).values_list("unit_id", flat=True))
    candidates = [a for a in assignments if a.unit_id not in officers]
    rng.shuffle(candidates)
    filed = []
    for assignment in candidates[: round(len(assignments) * FILED_SHARE)]:
        values = _values(assignment, rng, fields)
        if values is None:
            continue
        submission_file(by=None, assignment=assignment, values=values)
        filed.append(assignment)
    if filed:
        corrected = filed[0]
        submission_approve(by=None, assignment=corrected)
        current = corrected.current
        assert current is not None
        submission_file(
            by=None,
            assignment=corrected,
            values={
                **{k: v for k, v in current.values.items() if k in ("sites", "reflections", "note")},
                "reflections": int(current.values["reflections"]) + 12,
                "note": "Bổ sung 12 bài thu hoạch của chi bộ thôn nộp muộn.",
            },
            reason="Bổ sung bài thu hoạch của một chi bộ nộp sau ngày báo cáo.",
        )
        submission_approve(by=None, assignment=corrected)
    for assignment in filed[1:2]:
        submission_approve(by=None, assignment=assignment)
    request_remind_late(by=None, request=request, today=day)
    assert request.assignments.filter(status=AssignmentStatus.APPROVED).exists() or not filed
    return request
