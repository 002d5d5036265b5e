"""The demo's action programmes, inspection and recommendations (called by :mod:`lantoa.demo.build`).

The story of the founding article, from records: the province issued its action programme for
the XIII Congress resolution and asked its 14 subordinate committees (the district-tier and
functional committees) to issue theirs within 45 days of the resolution's dissemination; most
did on time, some late, one not at all — the coverage page shows which. Two communes of Bát Xát
issued theirs too; after the 2025 merger their programmes continue at the commune they became.
The Politburo's inspection team worked with the provincial Propaganda Commission on 8 August
2022: its topics and conclusions are recorded, the directions as follow-ups of the commission
(two closed, one still open). The commission sent five recommendations upward at that
session; the answers recorded here are invented for the demo and say so in their text.

Programme numbers, dates and tasks are made up for the demo (the note of the requirement says
so); everything is written through the services, with seeded random generators.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass
from decimal import Decimal

from lantoa.library import services as library
from lantoa.library.models import Document, DocumentKind
from lantoa.org.models import Tier, Unit
from lantoa.org.selectors import unit_children
from lantoa.plans import services
from lantoa.plans.models import ActionProgramme, Inspection, IssueRequirement, Recommendation, RecommendationStatus

SEED = "lantoa-demo:plans"
RESOLUTION_TITLE = "Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII của Đảng"
RESOLUTION_ISSUED = dt.date(2021, 2, 1)
PROVINCE_ISSUED = dt.date(2021, 3, 12)
DUE = dt.date(2021, 4, 26)  # 45 days after the province's programme
MISSING = 1  # committees that never issued theirs
LATE = 3
INSPECTION_DAY = dt.date(2022, 8, 8)
CENTRAL_COMMISSION = "Ban Tuyên giáo Trung ương"
DEMO_NOTE = "Bản trình diễn: số, ngày văn bản và nhiệm vụ do bản trình diễn đặt."
INVENTED = "(Nội dung trả lời do bản trình diễn Lantoa tự đặt, không phải văn bản thật.)"

PROVINCE_TASKS = [
    ("Tổ chức học tập, quán triệt Nghị quyết cho cán bộ chủ chốt cấp tỉnh", "Ban Tuyên giáo Tỉnh ủy chủ trì",
     (2021, 3, 15), (2021, 5, 31), "conferences_held", Decimal("20")),
    ("Biên soạn, phát hành sổ tay học tập Nghị quyết", "Ban Tuyên giáo Tỉnh ủy",
     (2021, 3, 15), (2021, 6, 30), "", None),
    ("Hướng dẫn các đảng bộ trực thuộc xây dựng chương trình hành động", "Văn phòng Tỉnh ủy",
     (2021, 3, 12), (2021, 3, 31), "", None),
    ("Tổ chức hội thi tìm hiểu Nghị quyết trong cán bộ, đảng viên", "Ban Tuyên giáo Tỉnh ủy",
     (2021, 4, 1), (2022, 6, 30), "", None),
    ("Sơ kết việc học tập, thực hiện Nghị quyết", "Ban Thường vụ Tỉnh ủy", (2022, 4, 1), (2022, 7, 31), "", None),
]  # fmt: skip
COMMITTEE_TASKS = [
    ("Tổ chức học tập, quán triệt Nghị quyết cho cán bộ, đảng viên", (0, 75)),
    ("Cụ thể hóa Nghị quyết vào chương trình công tác năm", (30, 120)),
    ("Kiểm tra việc học tập Nghị quyết ở các chi bộ", (90, 300)),
]

RECOMMENDATIONS = [
    ("Trung tâm chính trị cấp huyện",
     "Đề nghị ban hành tiêu chí chuẩn hóa trung tâm chính trị cấp huyện, làm căn cứ đầu tư cơ sở vật chất và "
     "bố trí đội ngũ giảng viên.", RecommendationStatus.ANSWERED, 70,
     "Ban Tuyên giáo Trung ương ghi nhận, đang phối hợp xây dựng tiêu chí trung tâm chính trị cấp huyện."),
    ("Nhà truyền thống, lịch sử đảng bộ",
     "Đề nghị có hướng dẫn việc xây dựng nhà truyền thống và biên soạn lịch sử đảng bộ địa phương.",
     RecommendationStatus.IMPLEMENTED, 120, "Đã ban hành hướng dẫn biên soạn lịch sử đảng bộ địa phương."),
    ("Tổ chức bộ máy, biên chế",
     "Đề nghị thống nhất tổ chức bộ máy, biên chế của ban tuyên giáo các cấp.",
     RecommendationStatus.CONSIDERING, 0, ""),
    ("Khen thưởng tổng kết 10 năm",
     "Đề nghị hướng dẫn việc khen thưởng trong tổng kết 10 năm thực hiện các nghị quyết, chỉ thị chuyên đề.",
     RecommendationStatus.ANSWERED, 40, "Thực hiện theo hướng dẫn chung về thi đua, khen thưởng của Trung ương."),
    ("Bồi dưỡng cán bộ tuyên giáo",
     "Đề nghị mở các lớp tập huấn, bồi dưỡng nghiệp vụ cho cán bộ ban tuyên giáo cấp tỉnh, cấp huyện.",
     RecommendationStatus.RECEIVED, 0, ""),
]  # fmt: skip


@dataclass
class PlansReport:
    programmes: int = 0
    tasks: int = 0
    updates: int = 0
    recommendations: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    follow_ups: int = 0
    planned: int = 0
    planned_held: int = 0
    papers: int = 0
    reminders: int = 0


def _rng() -> random.Random:
    return random.Random(SEED)


def resolution(owner: Unit) -> Document:
    """The XIII Congress resolution in the library (written once)."""
    found = Document.objects.filter(title=RESOLUTION_TITLE).first()
    if found is not None:
        return found
    kind, _created = DocumentKind.objects.get_or_create(
        code="resolution", defaults={"name_vi": "Nghị quyết", "name_en": "Resolution"}
    )
    return library.document_create(
        by=None,
        data=library.DocumentData(
            kind=kind,
            title=RESOLUTION_TITLE,
            owner_unit=owner,
            issuer="Đại hội đại biểu toàn quốc lần thứ XIII của Đảng",
            issued_on=RESOLUTION_ISSUED,
            summary="Bản trình diễn: mục lục và tóm tắt do bản trình diễn tự viết.",
            tags=("Đại hội XIII",),
        ),
    )


def _programme(unit: Unit, document: Document, number: str, title: str, issued_on: dt.date) -> ActionProgramme:
    return services.programme_create(
        by=None,
        data=services.ProgrammeData(
            unit=unit, document=document, title=title, decision_number=number, issued_on=issued_on
        ),
    )


def _report(task, percents: list[int], start: dt.date, report: PlansReport) -> None:  # type: ignore[no-untyped-def]
    for step, percent in enumerate(percents, start=1):
        services.progress_record(
            by=None,
            task=task,
            data=services.UpdateData(
                percent=percent,
                recorded_on=min(start + dt.timedelta(days=30 * step), task.due_on + dt.timedelta(days=10)),
                note="Báo cáo tiến độ định kỳ.",
            ),
        )
        report.updates += 1


def build_plans(province: Unit, *, commission: Unit, committees: list[Unit], communes: list[Unit]) -> PlansReport:
    """The province's programme and the 14 committees' (most on time, some late, one missing), two
    communes' programmes, and the commission's five recommendations upward."""
    rng = _rng()
    report = PlansReport()
    document = resolution(commission)
    own = _programme(
        province, document, "05-CTr/TU",
        "Chương trình hành động thực hiện Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII của Đảng",
        PROVINCE_ISSUED,
    )  # fmt: skip
    report.programmes += 1
    for title, role, start, due, indicator, target in PROVINCE_TASKS:
        task = services.task_add(
            by=None,
            programme=own,
            data=services.TaskData(
                title=title, owner_role=role, starts_on=dt.date(*start), due_on=dt.date(*due),
                indicator=indicator, target_value=target,
            ),
        )  # fmt: skip
        report.tasks += 1
        _report(task, [50, 100] if due < (2022, 7, 1) else [40, 80], dt.date(*start), report)
    services.requirement_set(
        by=None, unit=province, document=document, tier=Tier.objects.get(code="district"), due_on=DUE,
        note="Các đảng bộ trực thuộc ban hành chương trình hành động trong 45 ngày kể từ ngày Tỉnh ủy ban hành "
        f"Chương trình số 05-CTr/TU. {DEMO_NOTE}",
    )  # fmt: skip
    order = list(committees)
    rng.shuffle(order)
    missing, late = set(order[:MISSING]), set(order[MISSING : MISSING + LATE])
    for number, committee in enumerate(committees, start=10):
        if committee in missing:
            report.missing += 1
            continue
        if committee in late:
            issued = DUE + dt.timedelta(days=rng.randint(5, 40))
            report.late += 1
        else:
            issued = PROVINCE_ISSUED + dt.timedelta(days=rng.randint(10, 44))
            report.on_time += 1
        symbol = "ĐU" if committee.kind.code != "district_committee" else "HU"
        programme = _programme(
            committee, document, f"{number:02d}-CTr/{symbol}",
            f"Chương trình hành động thực hiện Nghị quyết Đại hội XIII — {committee.name}", issued,
        )  # fmt: skip
        report.programmes += 1
        for title, (start_after, due_after) in COMMITTEE_TASKS:
            begins = issued + dt.timedelta(days=start_after)
            task = services.task_add(
                by=None,
                programme=programme,
                data=services.TaskData(
                    title=title, owner_role="Ban Thường vụ chỉ đạo", starts_on=begins,
                    due_on=issued + dt.timedelta(days=due_after),
                ),
            )  # fmt: skip
            report.tasks += 1
            steps = rng.choice([[100], [50, 100], [30, 60], [20], []])
            _report(task, steps, begins, report)
    for index, commune in enumerate(communes[:2], start=1):
        programme = _programme(
            commune, document, f"{index:02d}-KH/ĐU",
            f"Kế hoạch thực hiện Nghị quyết Đại hội XIII — {commune.name}",
            PROVINCE_ISSUED + dt.timedelta(days=50 + index),
        )  # fmt: skip
        report.programmes += 1
        task = services.task_add(
            by=None,
            programme=programme,
            data=services.TaskData(
                title="Tổ chức học tập Nghị quyết cho đảng viên ở các chi bộ thôn", owner_unit=commune,
                starts_on=programme.issued_on, due_on=programme.issued_on + dt.timedelta(days=60),
            ),
        )  # fmt: skip
        report.tasks += 1
        _report(task, [60, 100], programme.issued_on, report)
    inspection, report.follow_ups = _inspection(commission)
    report.papers = _minutes(inspection)
    report.recommendations = _recommendations(commission, inspection)
    report.planned, report.planned_held = _inspection_plan(province, committees)
    report.reminders = _reminders(province, inspection)
    return report


def _reminders(province: Unit, inspection: Inspection) -> int:
    """Reminders sent and kept: a week after the deadline, to the committees without a programme;
    the Politburo team's open direction; and an open recommendation (an outside body: the text to
    copy only)."""
    requirement = IssueRequirement.objects.get(unit=province)
    waiting = Recommendation.objects.filter(inspection=inspection, status=RecommendationStatus.RECEIVED).first()
    reminders = [
        services.requirement_reminder(requirement, on=DUE + dt.timedelta(days=7)),
        services.inspection_reminder(inspection),
        services.recommendation_reminder(waiting) if waiting is not None else None,
    ]
    sent = 0
    for reminder in reminders:
        if reminder is not None:
            services.reminder_send(by=None, reminder=reminder)
            sent += len(reminder.targets)
    return sent


MINUTES = (
    "BIÊN BẢN BUỔI LÀM VIỆC",
    "Đoàn công tác của Bộ Chính trị làm việc với Ban Tuyên giáo Tỉnh ủy, ngày 08/8/2022.",
    "Ban Tuyên giáo Tỉnh ủy báo cáo kết quả học tập, quán triệt Nghị quyết Đại hội XIII và nêu năm kiến nghị.",
    "Bản trình diễn: biên bản do bản trình diễn Lantoa tự soạn, không phải văn bản thật.",
)


def _docx(paragraphs: tuple[str, ...]) -> bytes:
    from docx import Document as new_document

    document = new_document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _minutes(inspection: Inspection) -> int:
    """The minutes of the working session, written in memory as a small DOCX and uploaded."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.inspection_file_add(
        by=None, inspection=inspection, upload=SimpleUploadedFile("bien-ban-lam-viec-08-8-2022.docx", _docx(MINUTES)),
        kind="minutes", dated_on=INSPECTION_DAY, title="Biên bản buổi làm việc ngày 08/8/2022",
    )  # fmt: skip
    return 1


PLAN_MONTHS = (4, 6, 9, 11)
PLAN_HELD = 3  # the last planned inspection was never held


def _inspection_plan(province: Unit, committees: list[Unit]) -> tuple[int, int]:
    """The Standing Committee's 2022 plan to inspect four subordinate committees; three were held,
    each leaving a follow-up (one carried out), the fourth not."""
    chosen = sorted(committees, key=lambda unit: unit.code)[: len(PLAN_MONTHS)]
    topic = "Việc học tập, quán triệt và xây dựng chương trình hành động thực hiện Nghị quyết Đại hội XIII"
    plan = services.inspection_plan_create(
        by=None, unit=province, year=2022, title="Kế hoạch kiểm tra, giám sát năm 2022 của Ban Thường vụ Tỉnh ủy",
        decision_number="12-KH/TU", decided_on=dt.date(2022, 1, 14),
        items=tuple(services.PlannedData(unit=unit, topic=topic, month=month)
                    for unit, month in zip(chosen, PLAN_MONTHS, strict=False)),
    )  # fmt: skip
    for item in plan.items.order_by("position")[:PLAN_HELD]:
        day = dt.date(2022, item.month, 15)
        held = services.inspection_create(
            by=None,
            data=services.InspectionData(
                unit=province, title=f"Kiểm tra {item.unit.name}: {topic[:1].lower()}{topic[1:]}",
                deciding_body="Ban Thường vụ Tỉnh ủy", decision_number=f"{100 + item.position}-QĐ/TU",
                decided_on=day - dt.timedelta(days=20), starts_on=day, ends_on=day + dt.timedelta(days=2),
                topics=topic, inspected=(item.unit,), planned=item,
            ),
        )  # fmt: skip
        conclusion = services.conclusion_add(
            by=None, inspection=held, owner_unit=item.unit, due_on=day + dt.timedelta(days=90),
            text="Bổ sung nhiệm vụ, lộ trình thực hiện vào chương trình hành động; báo cáo kết quả về Ban Thường vụ.",
        )  # fmt: skip
        if item.position == 1:
            services.follow_up_close(by=None, follow_up=conclusion.follow_up, closed_on=day + dt.timedelta(days=60),
                                     evidence="Đã bổ sung chương trình hành động (bản trình diễn tự đặt).")  # fmt: skip
    return plan.items.count(), min(PLAN_HELD, plan.items.count())


INSPECTION_TOPICS = (
    "1. Việc học tập, quán triệt, tuyên truyền Nghị quyết Đại hội XIII của Đảng và việc cụ thể hóa thành "
    "chương trình hành động ở các cấp.\n"
    "2. Công tác bảo vệ nền tảng tư tưởng của Đảng, đấu tranh phản bác các quan điểm sai trái, thù địch.\n"
    "3. Xây dựng đội ngũ báo cáo viên, tuyên truyền viên, cộng tác viên dư luận xã hội.\n"
    "4. Tổ chức bộ máy, biên chế và những khó khăn, kiến nghị của Ban Tuyên giáo Tỉnh ủy."
)
CONCLUSIONS = [
    ("Ghi nhận Ban Tuyên giáo Tỉnh ủy đã tham mưu tổ chức học tập, quán triệt Nghị quyết kịp thời, nhiều hình "
     "thức phù hợp với địa bàn vùng cao.", None, None),
    ("Tiếp tục đổi mới nội dung, phương thức tuyên truyền Nghị quyết, gắn với việc cụ thể hóa ở từng cơ sở.",
     dt.date(2022, 12, 31), "Đã ban hành Kế hoạch tuyên truyền năm 2023 (bản trình diễn tự đặt)."),
    ("Kiện toàn, bồi dưỡng đội ngũ báo cáo viên, tuyên truyền viên cơ sở, nhất là ở các xã vùng đồng bào "
     "dân tộc thiểu số.", dt.date(2023, 6, 30), None),
    ("Nâng cao hiệu quả công tác bảo vệ nền tảng tư tưởng của Đảng trên không gian mạng.",
     dt.date(2023, 3, 31), "Đã kiện toàn Ban Chỉ đạo 35 và tổ chuyên gia (bản trình diễn tự đặt)."),
]  # fmt: skip


def _inspection(commission: Unit) -> tuple[Inspection, int]:
    """The Politburo team's working session with the commission (8 August 2022): its topics, its
    conclusions, and the directions that ask for action as follow-ups of the commission."""
    inspection = services.inspection_create(
        by=None,
        data=services.InspectionData(
            unit=commission,
            kind="inspection",
            title="Đoàn công tác của Bộ Chính trị làm việc với Ban Tuyên giáo Tỉnh ủy",
            deciding_body="Bộ Chính trị",
            starts_on=INSPECTION_DAY,
            ends_on=INSPECTION_DAY,
            topics=INSPECTION_TOPICS,
            findings="Bản trình diễn: các kết luận dưới đây do bản trình diễn tóm lược, không phải văn bản thật.",
            inspected=(commission,),
        ),
    )
    services.team_member_add(by=None, inspection=inspection, role="chief", name="Trưởng Đoàn công tác Bộ Chính trị")
    follow_ups = 0
    for text, due, evidence in CONCLUSIONS:
        conclusion = services.conclusion_add(
            by=None, inspection=inspection, text=text, owner_unit=commission if due else None, due_on=due
        )
        if due is not None:
            follow_ups += 1
            if evidence:
                services.follow_up_close(
                    by=None, follow_up=conclusion.follow_up, closed_on=due - dt.timedelta(days=10), evidence=evidence
                )
    return inspection, follow_ups


def _recommendations(commission: Unit, inspection: Inspection) -> int:
    for topic, text, status, days, answer in RECOMMENDATIONS:
        item = services.recommendation_send(
            by=None,
            data=services.RecommendationData(
                unit=commission,
                topic=topic,
                text=text,
                sent_on=INSPECTION_DAY,
                addressee_name=CENTRAL_COMMISSION,
                source="Báo cáo của Ban Tuyên giáo Tỉnh ủy tại buổi làm việc với Đoàn công tác của Bộ Chính trị, "
                "ngày 08/8/2022",
                due_on=INSPECTION_DAY + dt.timedelta(days=90),
                inspection=inspection,
            ),
        )
        if status in (RecommendationStatus.RECEIVED, RecommendationStatus.CONSIDERING):
            services.recommendation_advance(by=None, recommendation=item, status=RecommendationStatus.RECEIVED,
                                            on=INSPECTION_DAY + dt.timedelta(days=7))  # fmt: skip
        if status == RecommendationStatus.CONSIDERING:
            item.refresh_from_db()
            services.recommendation_advance(by=None, recommendation=item, status=status,
                                            on=INSPECTION_DAY + dt.timedelta(days=30))  # fmt: skip
        if status in (RecommendationStatus.ANSWERED, RecommendationStatus.IMPLEMENTED):
            item = services.recommendation_advance(
                by=None, recommendation=item, status=RecommendationStatus.ANSWERED,
                on=INSPECTION_DAY + dt.timedelta(days=days), answer=f"{answer} {INVENTED}",
            )  # fmt: skip
        if status == RecommendationStatus.IMPLEMENTED:
            services.recommendation_advance(by=None, recommendation=item, status=status,
                                            on=INSPECTION_DAY + dt.timedelta(days=days + 200))  # fmt: skip
    return Recommendation.objects.filter(unit=commission).count()


def committees_of(province: Unit, day: dt.date) -> list[Unit]:
    """The province's subordinate committees on ``day`` (its children but the commissions)."""
    return [unit for unit in unit_children(province, as_of=day) if unit.kind.code != "commission"]


def communes_of(committee: Unit, day: dt.date) -> list[Unit]:
    return [unit for unit in unit_children(committee, as_of=day) if unit.kind.tier.code == "commune"]
