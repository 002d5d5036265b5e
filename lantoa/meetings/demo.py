"""The demo's study conferences: Lào Cai's study of the XIII Congress resolution, and a few
conferences under the 2025 structure.

The provincial press reported that from March 2021 to July 2022 the province organised 688
conferences to study the XIII Congress resolution, linked to 577 online bridge points, with over
118,000 attendances by cadres and party members. Those three figures are reproduced here from
generated records — which unit held which conference, on which day, with whom, is invented
(the same on every build) and says so in each conference's notes:

* the province holds a few conferences, the hybrid ones relayed to the district-tier and
  functional committees; each district-tier committee holds its own, twice relayed to all of
  its communes; the functional committees relay to their grassroots organisations; the
  communes hold the rest in person;
* every site reports a headcount per category and its denominators (party members summoned,
  those exempt, everyone summoned), so both attendance rates have something to show;
* the party cells report study reflection counts for the study handbook.

Under the 2025 structure: the XIV Congress study conference of February 2026 relayed to every
commune of today's province (one site checked in per person), and the monthly reporters'
conference as a series with its next conference planned. See docs/demo.md, "Study conferences".
"""

from __future__ import annotations

import datetime as dt
import io
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lantoa.meetings import services
from lantoa.meetings.defaults import load_defaults
from lantoa.meetings.models import BridgePoint, Category, Conference, ConferenceKind, Format, Level
from lantoa.org.models import Unit
from lantoa.org.selectors import open_on, unit_children

SEED = "lantoa-demo:meetings"
STUDY_START = dt.date(2021, 3, 1)
STUDY_END = dt.date(2022, 7, 31)
# The province's report (Báo Lào Cai): 688 conferences, 577 online bridge points, "over 118,000"
# attendances. The demo's total of attendances is this number, above the reported floor.
CONFERENCES = 688
ONLINE_POINTS = 577
ATTENDANCES = 118_215
NOTE = "Bản ghi do bản trình diễn Lantoa tạo ra: số liệu tổng khớp báo cáo của tỉnh, chi tiết là minh họa."

PROVINCE_TOPICS = [
    (
        dt.date(2021, 3, 18),
        "Hội nghị trực tuyến học tập, quán triệt Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII",
    ),
    (dt.date(2021, 4, 22), "Hội nghị học tập Nghị quyết Đại hội XIII cho cán bộ chủ chốt cấp tỉnh"),
    (dt.date(2021, 6, 10), "Hội nghị quán triệt Chương trình hành động thực hiện Nghị quyết Đại hội XIII"),
    (dt.date(2021, 9, 16), "Hội nghị chuyên đề về công tác xây dựng Đảng theo Nghị quyết Đại hội XIII"),
    (dt.date(2021, 11, 25), "Hội nghị trực tuyến quán triệt Nghị quyết Hội nghị Trung ương 4 khóa XIII"),
    (dt.date(2022, 2, 17), "Hội nghị học tập chuyên đề năm 2022"),
    (dt.date(2022, 5, 19), "Hội nghị sơ kết việc học tập, thực hiện Nghị quyết Đại hội XIII"),
    (dt.date(2022, 7, 14), "Hội nghị trực tuyến quán triệt Nghị quyết Hội nghị Trung ương 5 khóa XIII"),
]
# Which of the province's conferences are relayed (hybrid) to the district-tier committees.
PROVINCE_RELAYED = {0, 4, 7}


@dataclass
class Plan:
    """One conference to create: its organiser, day, format and sites (host first)."""

    organiser: Unit
    day: dt.date
    title: str
    level: str
    kind: str = "resolution_study"
    format: str = Format.IN_PERSON
    sites: list[Unit] = field(default_factory=list)


@dataclass
class MeetingsReport:
    conferences: int = 0
    online_points: int = 0
    attendances: int = 0


def _rng(*parts: object) -> random.Random:
    return random.Random(":".join([SEED, *map(str, parts)]))


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    day = start + dt.timedelta(days=rng.randrange((end - start).days + 1))
    return day if day.weekday() < 5 else day - dt.timedelta(days=day.weekday() - 4)


def _children(unit: Unit, day: dt.date, **filters: Any) -> list[Unit]:
    return list(unit_children(unit, as_of=day).filter(**filters).select_related("kind__tier").order_by("code"))


def _study_plans(province: Unit) -> list[Plan]:
    """The 688 conferences of the study period, with 577 relayed sites in all."""
    mid = dt.date(2021, 9, 1)
    committees = _children(province, mid, kind__tier__code="district")
    districts = [u for u in committees if u.kind.is_territorial]
    functional = [u for u in committees if not u.kind.is_territorial]
    plans: list[Plan] = []
    for number, (day, title) in enumerate(PROVINCE_TOPICS):
        relayed = number in PROVINCE_RELAYED
        plans.append(
            Plan(
                province,
                day,
                title,
                Level.PROVINCE,
                kind="resolution_study" if number % 3 != 1 else "thematic",
                format=Format.HYBRID if relayed else Format.IN_PERSON,
                sites=committees if relayed else [],
            )
        )
    relayed_points = sum(len(p.sites) for p in plans)
    # Each district-tier committee relays two conferences to all of its communes.
    for district in districts:
        for round_number, (start, end) in enumerate(
            ((dt.date(2021, 4, 1), dt.date(2021, 6, 30)), (dt.date(2021, 12, 1), dt.date(2022, 6, 30)))
        ):
            day = _day(_rng("district", district.code, round_number), start, end)
            communes = _children(district, day, kind__tier__code="commune")
            plans.append(
                Plan(
                    district,
                    day,
                    f"Hội nghị trực tuyến học tập Nghị quyết Đại hội XIII — {district.name} (đợt {round_number + 1})",
                    Level.DISTRICT,
                    format=Format.HYBRID,
                    sites=communes,
                )
            )
            relayed_points += len(communes)
    # The functional committees relay to their grassroots organisations until 577 are reached.
    round_number = 0
    while relayed_points < ONLINE_POINTS:
        for committee in functional:
            rng = _rng("functional", committee.code, round_number)
            day = _day(rng, dt.date(2021, 5, 1), dt.date(2022, 7, 15))
            grassroots = _children(committee, day)[: ONLINE_POINTS - relayed_points]
            if not grassroots:
                continue
            plans.append(
                Plan(
                    committee,
                    day,
                    f"Hội nghị trực tuyến quán triệt Nghị quyết Đại hội XIII — {committee.name}",
                    Level.DISTRICT,
                    format=Format.HYBRID,
                    sites=grassroots,
                )
            )
            relayed_points += len(grassroots)
            if relayed_points >= ONLINE_POINTS:
                break
        round_number += 1
    # Every district-tier committee also holds conferences in person.
    for committee in committees:
        for number in range(3):
            day = _day(_rng("own", committee.code, number), STUDY_START, STUDY_END)
            plans.append(
                Plan(
                    committee,
                    day,
                    f"Hội nghị học tập chuyên đề Nghị quyết Đại hội XIII — {committee.name}",
                    Level.DISTRICT,
                    kind="thematic" if number else "resolution_study",
                )
            )
    # The communes hold the rest in person, spread over the communes open at the time.
    communes = _children_of_all(districts, mid)
    rng = _rng("communes")
    remaining = CONFERENCES - len(plans)
    for number in range(remaining):
        commune = communes[number % len(communes)]
        day = _day(rng, STUDY_START, STUDY_END)
        if commune.closed_on and day >= commune.closed_on:
            day = STUDY_START + dt.timedelta(days=number % 400)
        plans.append(
            Plan(
                commune,
                day,
                f"Hội nghị học tập, quán triệt Nghị quyết Đại hội XIII — {commune.name}",
                Level.COMMUNE,
            )
        )
    return plans


def _children_of_all(parents: Sequence[Unit], day: dt.date) -> list[Unit]:
    return [child for parent in parents for child in _children(parent, day, kind__tier__code="commune")]


def _create(plans: Sequence[Plan], kinds: dict[str, ConferenceKind], presenters: Sequence[Any]) -> list[Conference]:
    created = []
    for number, plan in enumerate(plans):
        rng = _rng("time", number)
        start = _at(plan.day, rng.choice([7, 8, 8, 13, 14]), rng.choice([0, 30]))
        data = services.ConferenceData(
            title=plan.title,
            kind=kinds[plan.kind],
            organiser=plan.organiser,
            level=plan.level,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=3 if plan.sites else 2),
            format=plan.format,
            is_mandatory=plan.level != Level.COMMUNE,
            notes=NOTE,
            presenters=[services.PresenterData(person=presenters[number % len(presenters)])] if presenters else [],
            client_key=f"demo-{number}",
        )
        sites = [services.SiteData(unit=plan.organiser, is_host=True, location=_location(plan.organiser))]
        sites += [services.SiteData(unit=unit, location=_location(unit)) for unit in plan.sites]
        conference = services.conference_create(by=None, data=data, sites=sites).obj
        created.append(services.conference_mark_held(by=None, conference=conference))
    return created


def _location(unit: Unit) -> str:
    return f"Hội trường {unit.name.removeprefix('Đảng bộ ').removeprefix('Chi bộ ')}"


# --- Attendance ---------------------------------------------------------------------------------

# Present at a site, by the kind of site: (low, high) before the total is brought to ATTENDANCES.
SIZES: dict[tuple[str, bool], tuple[int, int]] = {
    (Level.PROVINCE, True): (260, 420),
    (Level.DISTRICT, True): (110, 230),
    (Level.COMMUNE, True): (45, 140),
    (Level.DISTRICT, False): (50, 130),
    (Level.COMMUNE, False): (35, 90),
    (Level.GRASSROOTS, False): (15, 45),
}


def _headcounts(points: Sequence[BridgePoint]) -> list[tuple[BridgePoint, services.Headcount]]:
    """A headcount for every site, adding up to exactly :data:`ATTENDANCES`."""
    sizes = [_rng("size", p.pk).randint(*SIZES.get((p.level, p.is_host), (20, 60))) for p in points]
    scale = ATTENDANCES / sum(sizes)
    present = [max(5, round(size * scale)) for size in sizes]
    gap = ATTENDANCES - sum(present)
    step = 1 if gap > 0 else -1
    index = 0
    while gap:
        if present[index % len(present)] > 5 or step > 0:
            present[index % len(present)] += step
            gap -= step
        index += 1
    return [(point, _split(point, total)) for point, total in zip(points, present, strict=True)]


def _split(point: BridgePoint, total: int) -> services.Headcount:
    rng = _rng("split", point.pk)
    members = round(total * rng.uniform(0.78, 0.92))
    cadres = round((total - members) * rng.uniform(0.2, 0.5))
    students = rng.choice([0, 0, 0, round((total - members - cadres) * 0.3)])
    non_members = total - members - cadres - students
    member_rate = rng.uniform(0.86, 0.98)
    members_expected = max(members, math.ceil(members / member_rate))
    exempt = round(members_expected * rng.uniform(0.02, 0.06))
    summoned = max(total, math.ceil(total / rng.uniform(0.85, 0.97)))
    late: dict[str, int] = {Category.PARTY_MEMBERS: round(members * rng.uniform(0, 0.04))}
    absent = summoned - total
    excused = round(absent * rng.uniform(0.5, 0.9))
    return services.Headcount(
        present={
            Category.PARTY_MEMBERS: members,
            Category.CADRES: cadres,
            Category.NON_MEMBERS: non_members,
            Category.STUDENTS: students,
        },
        late=late,
        members_summoned=members_expected + exempt,
        members_exempt=exempt,
        summoned=summoned,
        absent_excused=excused,
        absent_unexcused=absent - excused,
    )


def _connection_logs(conferences: Sequence[Conference]) -> None:
    """What the commune operators reported on the day: most connected; a few dropped a while."""
    for conference in conferences:
        if conference.format == Format.IN_PERSON:
            continue
        for point in conference.points.filter(is_host=False):
            rng = _rng("link", point.pk)
            start = conference.starts_at - dt.timedelta(minutes=30)
            services.connection_report(by=None, point=point, status="connected", at=start)
            trouble = rng.random()
            if trouble < 0.06:
                services.connection_report(
                    by=None, point=point, status="dropped", note="Mất kết nối mạng", at=start + dt.timedelta(minutes=70)
                )
                services.connection_report(
                    by=None, point=point, status="connected", at=start + dt.timedelta(minutes=85)
                )
            elif trouble < 0.09:
                services.connection_report(
                    by=None, point=point, status="no_sound", note="Mất tiếng", at=start + dt.timedelta(minutes=50)
                )
                services.connection_report(
                    by=None, point=point, status="connected", at=start + dt.timedelta(minutes=58)
                )


def _reflections(province: Unit, handbook: Any) -> int:
    """Study reflection counts of the party cells of 2021's communes, for the study handbook."""
    if handbook is None:
        return 0
    day = dt.date(2021, 6, 30)
    cells = Unit.objects.filter(code__startswith=province.code + "-", kind__code="party_cell").filter(open_on(day))
    count = 0
    for cell in cells.order_by("code"):
        rng = _rng("reflections", cell.code)
        required = rng.randint(8, 40)
        exempt = rng.randint(0, 3)
        submitted = required - exempt - rng.choice([0, 0, 0, 1, 2])
        services.reflections_record(
            by=None,
            data=services.ReflectionCounts(
                unit=cell,
                recorded_on=day,
                document=handbook,
                required=required,
                exempt=exempt,
                submitted=max(0, submitted),
                graded=max(0, submitted - rng.choice([0, 0, 1])),
                makeup_sessions=rng.choice([0, 0, 1]),
            ),
        )
        count += 1
    return count


# --- Entry points ------------------------------------------------------------------------------


def build_study(province: Unit, *, presenters: Sequence[Any] = (), handbook: Any = None) -> MeetingsReport:
    """The study of the XIII Congress resolution, on the tree as it stood in 2021–2022."""
    load_defaults(ConferenceKind)
    kinds = {kind.code: kind for kind in ConferenceKind.objects.all()}
    conferences = _create(_study_plans(province), kinds, presenters)
    points = list(BridgePoint.objects.filter(conference__in=conferences).order_by("pk"))
    services.attendance_record_many(by=None, rows=_headcounts(points))
    _connection_logs(conferences)
    _reflections(province, handbook)
    return MeetingsReport(
        conferences=len(conferences),
        online_points=sum(1 for p in points if not p.is_host),
        attendances=ATTENDANCES,
    )


XIV_DAY = dt.date(2026, 2, 26)
REPORTERS_SERIES_TITLE = "Hội nghị báo cáo viên Tỉnh ủy định kỳ"


def build_recent(province: Unit, *, presenters: Sequence[Any] = ()) -> int:
    """Conferences under the 2025 structure: the XIV Congress study conference relayed to
    every commune of today's province (one commune checks in per person), and the monthly
    reporters' conference series with its last conferences and the next one planned."""
    kinds = {kind.code: kind for kind in ConferenceKind.objects.all()}
    communes = _children(province, XIV_DAY, kind__tier__code="commune")
    start = _at(XIV_DAY, 7, 30)
    data = services.ConferenceData(
        title="Hội nghị trực tuyến học tập, quán triệt Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIV của Đảng",
        kind=kinds["resolution_study"],
        organiser=province,
        level=Level.PROVINCE,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=4),
        format=Format.HYBRID,
        is_mandatory=True,
        notes=NOTE,
        presenters=[services.PresenterData(person=p) for p in presenters[:2]],
        client_key="demo-xiv",
    )
    sites = [services.SiteData(unit=province, is_host=True, location="Hội trường Tỉnh ủy")]
    sites += [
        services.SiteData(
            unit=unit,
            location=_location(unit),
            mode=BridgePoint.Mode.PER_PERSON if number == 0 else BridgePoint.Mode.HEADCOUNT,
        )
        for number, unit in enumerate(communes)
    ]
    conference = services.conference_create(by=None, data=data, sites=sites).obj
    conference = services.conference_mark_held(by=None, conference=conference)
    points = list(conference.points.order_by("pk"))
    headcount = [(p, _split(p, _rng("xiv", p.pk).randint(40, 160))) for p in points if p.mode == "headcount"]
    services.attendance_record_many(by=None, rows=headcount)
    _check_ins(next(p for p in points if p.mode == BridgePoint.Mode.PER_PERSON), start)
    services.attachment_add(by=None, conference=conference, upload=_minutes(conference), kind="minutes")
    series = _reporters_series(province, kinds, communes[:12])
    return 1 + series


def _minutes(conference: Conference) -> SimpleUploadedFile:
    """Generated minutes (a DOCX that says it was written for the demo)."""
    from docx import Document

    document = Document()
    document.add_heading("Biên bản hội nghị", level=1)
    document.add_paragraph(conference.title)
    document.add_paragraph(
        f"Thời gian: {timezone.localtime(conference.starts_at):%H:%M, %d/%m/%Y}. "
        f"Hình thức: trực tiếp kết hợp trực tuyến, {conference.points.count()} điểm cầu."
    )
    document.add_paragraph(NOTE)
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile("bien-ban-hoi-nghi.docx", buffer.getvalue())


def _check_ins(point: BridgePoint, start: dt.datetime) -> None:
    """Thirty people check in on their phones at the per-person site; one scans twice."""
    rng = _rng("checkin", point.pk)
    for number in range(30):
        scan = services.CheckIn(
            code=point.code,
            client_key=f"demo-phone-{number}",
            name=f"Người dự số {number + 1}",
            category=Category.PARTY_MEMBERS if rng.random() < 0.85 else Category.NON_MEMBERS,
            method="qr",
        )
        at = start + dt.timedelta(minutes=rng.randint(-40, 25))
        services.check_in(by=None, data=scan, now=at)
        if number == 3:
            services.check_in(by=None, data=scan, now=at + dt.timedelta(minutes=1))


def _reporters_series(province: Unit, kinds: dict[str, ConferenceKind], sites: Sequence[Unit]) -> int:
    series = services.series_create(
        by=None,
        data=services.SeriesData(
            title=REPORTERS_SERIES_TITLE,
            kind=kinds["reporters_monthly"],
            organiser=province,
            level=Level.PROVINCE,
            recurrence="monthly",
            starts_at_time=dt.time(8, 0),
            day_of_month=5,
            duration_minutes=150,
            format=Format.HYBRID,
            notes=NOTE,
        ),
        sites=[services.SiteData(unit=province, is_host=True, location="Hội trường Tỉnh ủy")]
        + [services.SiteData(unit=unit, location=_location(unit)) for unit in sites],
    )
    today = timezone.localdate()
    first = dt.date(today.year, today.month, 5) - dt.timedelta(days=92)
    created = 0
    day = services.series_next_date(series, after=first)
    while True:
        conference = services.series_plan_next(by=None, series=series, on=day).obj
        created += 1
        if day >= today:
            break  # the next one stays planned
        conference = services.conference_mark_held(by=None, conference=conference)
        rows = [(p, _split(p, _rng("series", p.pk).randint(15, 60))) for p in conference.points.order_by("pk")]
        services.attendance_record_many(by=None, rows=rows)
        day = services.series_next_date(series)
    return created
