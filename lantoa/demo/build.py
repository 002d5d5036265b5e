"""The demo: the Lào Cai provincial Party organisation as it was (to June 2025) and as it is.

Where each piece comes from (see ``docs/demo.md``):

- the provincial, district-tier and commune-tier committees with their administrative
  areas: the pre-2025 snapshot of the ``vietnamadminunits`` package (:mod:`lantoa.org.vn_units`),
  for Lào Cai and for Yên Bái (which merged into it in 2025; imported only for its place in
  the tree, so it keeps no records);
- the commune the snapshot no longer has: xã Tà Chải, merged into thị trấn Bắc Hà on
  1 November 2024 (Nghị quyết số 1197/NQ-UBTVQH15), created here and merged by an event, so
  that July 2022 has Lào Cai's 152 communes;
- the 2025 reorganisation (province merger, commune arrangement, end of the district tier,
  the Propaganda Commission renamed), applied as restructuring events from the package's
  old → new mapping (:mod:`lantoa.org.vn_reorganise`);
- the Propaganda Commission and the five functional subordinate committees: the province's
  real structure, written out below;
- the grassroots organisations under the functional committees and the party cells of the
  villages and residential groups: generated (the package has no villages), deterministically,
  so every build is the same;
- the outreach network (:mod:`lantoa.people.demo`): boards, teams and their members in the
  numbers the province reported for July 2022, made of generated people, with reporters and
  activities;
- the study conferences (:mod:`lantoa.meetings.demo`): the 688 conferences, 577 online bridge
  points and 118,000-odd attendances of the XIII Congress study, 2021–2022, generated per site,
  and a few conferences under the 2025 structure;
- the question bank (:mod:`lantoa.contests.demo`): the commission's 40 questions on the
  Party's history and the XIII Congress resolution, in three chapters, and the 2021 contest on
  it: three weekly rounds, 300 contestants across the communes and their attempts;
- the judged contests (:mod:`lantoa.judging.demo`): the 14 subordinate committees' staged
  contests on the congress resolutions (2021–2022) and the 2022 best-reporter contest, 284
  reporters across its district and provincial stages, one second in the national final;
- the action programmes and recommendations (:mod:`lantoa.plans.demo`): the province's programme
  for the XIII Congress resolution and its 14 committees' (most on time, some late, one missing),
  and the commission's five recommendations upward of 8 August 2022 with invented answers;
- the data request (:mod:`lantoa.reports.demo`): the provincial committee's request to every
  commune of today's Lào Cai for the resolution's study results, some filed, some late, one
  approved after a correction;
- the anonymous survey (:mod:`lantoa.surveys.demo`): after the February 2026 XIV Congress study
  conference, one-time cards per commune of today's Lào Cai, a few thousand answers at varied
  rates, some communes small enough that their results are suppressed;
- one demo user per role, all with the password :data:`DEMO_PASSWORD`; a user whose unit
  closed in 2025 holds the role on its successor from 1 July 2025.

Everything is written through the services, inside one transaction.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.accounts.models import Assignment, User
from lantoa.accounts.roles import Role
from lantoa.accounts.services import assignment_create, user_create
from lantoa.contests import demo as contests
from lantoa.core import counters
from lantoa.core.errors import Conflict
from lantoa.core.services import data_value_record, period_ensure
from lantoa.judging import demo as judging
from lantoa.library import demo as library
from lantoa.library.models import PrintRun
from lantoa.meetings import demo as meetings
from lantoa.org.closure import rebuild_closure
from lantoa.org.defaults import ensure_default_kinds
from lantoa.org.models import Unit, UnitKind
from lantoa.org.restructuring import event_apply
from lantoa.org.selectors import default_successor, open_on, unit_children
from lantoa.org.services import unit_create
from lantoa.org.vn_reorganise import COMMUNES_ON, reorganise_2025
from lantoa.org.vn_units import BASELINE, find_provinces, import_provinces_named, load_legacy_provinces
from lantoa.people import demo as network
from lantoa.people.models import GroupMembership, Person
from lantoa.people.services import person_link_user
from lantoa.plans import demo as plans
from lantoa.reports import demo as reports
from lantoa.reports import report_demo
from lantoa.surveys import demo as surveys

DEMO_PROVINCE = "Lào Cai"
MERGED_PROVINCE = "Yên Bái"  # merged into Lào Cai on 12 June 2025; never used Lantoa
PROVINCE_CODE = "VN10"
BAT_XAT_CODE = "VN10-082"
BAT_XAT_COMMUNE_2025 = "VN10-25-02683"  # Xã Bát Xát from 1 July 2025 (the district seat's commune)
DEMO_PASSWORD = "lantoa-demo"  # noqa: S105 - printed on purpose: a demo database holds nothing worth protecting
CELL_SEED = "lantoa-demo"

# Xã Tà Chải (huyện Bắc Hà), merged whole into thị trấn Bắc Hà on 1 November 2024. The package's
# snapshot is later, so it lacks the commune (it keeps "xã Tà Chải" as a former name of thị trấn
# Bắc Hà); its official code is not in the package, so the unit has a Lantoa code and no area.
TA_CHAI = ("VN10-085-TACHAI", "Đảng bộ xã Tà Chải")
TA_CHAI_DISTRICT = "VN10-085"  # Đảng bộ huyện Bắc Hà
TA_CHAI_INTO = "VN10-085-02839"  # Đảng bộ thị trấn Bắc Hà
TA_CHAI_MERGED_ON = dt.date(2024, 11, 1)
TA_CHAI_LEGAL_BASIS = "Nghị quyết số 1197/NQ-UBTVQH15"
TA_CHAI_NOTE = (
    "Sắp xếp đơn vị hành chính cấp xã giai đoạn 2023–2025: nhập toàn bộ xã Tà Chải vào thị trấn Bắc Hà "
    "(huyện Bắc Hà), có hiệu lực từ ngày 1/11/2024 (Báo Lào Cai)."
)

COMMISSION = ("VN10-BTG", "Ban Tuyên giáo Tỉnh ủy")

# code, kind, name, the grassroots organisations beneath it (illustrative names, not an official list)
FUNCTIONAL_COMMITTEES: list[tuple[str, str, str, list[str]]] = [
    (
        "VN10-KCQ",
        "bloc_committee",
        "Đảng bộ Khối các cơ quan tỉnh",
        [
            "Chi bộ Sở Tư pháp",
            "Chi bộ Sở Nội vụ",
            "Đảng bộ Sở Giáo dục và Đào tạo",
            "Đảng bộ Sở Y tế",
            "Chi bộ Sở Văn hóa, Thể thao và Du lịch",
            "Chi bộ Sở Thông tin và Truyền thông",
        ],
    ),
    (
        "VN10-KDN",
        "bloc_committee",
        "Đảng bộ Khối doanh nghiệp tỉnh",
        [
            "Đảng bộ Công ty Điện lực tỉnh",
            "Chi bộ Công ty Cổ phần Cấp nước",
            "Chi bộ Công ty Cổ phần Môi trường đô thị",
            "Đảng bộ Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh tỉnh",
            "Chi bộ Công ty Xổ số kiến thiết",
        ],
    ),
    (
        "VN10-QS",
        "armed_forces_committee",
        "Đảng bộ Quân sự tỉnh",
        [
            "Chi bộ Phòng Tham mưu",
            "Chi bộ Phòng Chính trị",
            "Chi bộ Phòng Hậu cần – Kỹ thuật",
            "Chi bộ Đại đội Trinh sát",
        ],
    ),
    (
        "VN10-CA",
        "armed_forces_committee",
        "Đảng bộ Công an tỉnh",
        [
            "Chi bộ Phòng Tham mưu",
            "Chi bộ Phòng An ninh chính trị nội bộ",
            "Chi bộ Phòng Cảnh sát giao thông",
            "Chi bộ Phòng Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ",
            "Chi bộ Phòng Cảnh sát quản lý hành chính về trật tự xã hội",
        ],
    ),
    (
        "VN10-BP",
        "armed_forces_committee",
        "Đảng bộ Bộ đội Biên phòng tỉnh",
        [
            "Chi bộ Phòng Tham mưu",
            "Chi bộ Phòng Chính trị",
            "Chi bộ Đồn Biên phòng Cửa khẩu Quốc tế",
            "Chi bộ Đồn Biên phòng Y Tý",
            "Chi bộ Đồn Biên phòng Bản Lầu",
        ],
    ),
]

# Syllables common in the place names of Lào Cai's highland villages; two make a village name.
VILLAGE_FIRST = "Nậm Phìn Sín Tả Lũng Cốc Bản Na Khe Làng Séo Pờ Mường Ngòi Thào Lao Tùng Ma Cán Sả Lủ Mào Chu Háng"
VILLAGE_SECOND = (
    "Chải Pung Ngan Hồ Sáng Mới Xá Phố Dền Vai Lùng Cang Chư Thàng Mý Sử Tủng Pản Kho Cồ Khoang Bon Đẩy Tông"
)
VILLAGE_NAMES = [
    f"{first} {second}" for first, second in itertools.product(VILLAGE_FIRST.split(), VILLAGE_SECOND.split())
]
# 1,655 cells over the 152 communes of 2022: more villages than the province's 1,536 village
# outreach teams (2022), so some villages have no team.
CELLS_PER_COMMUNE = (9, 13)
URBAN_COMMUNE_KINDS = {"ward_committee", "township_committee"}  # divided into residential groups, not villages


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: str
    unit: Callable[[], Unit]  # the unit is looked up once the tree exists
    # Where the user holds the role from 1 July 2025 when ``unit`` closed in the reorganisation.
    unit_2025: Callable[[], Unit] | None = None


def _unit(code: str) -> Callable[[], Unit]:
    return lambda: Unit.objects.get(code=code)


def _first_commune_of_bat_xat() -> Unit:
    communes = unit_children(Unit.objects.get(code=BAT_XAT_CODE), as_of=BASELINE)
    return communes.filter(kind__code="commune_committee").order_by("code").first() or communes.order_by("code")[0]


def _successor_of_first_commune_of_bat_xat() -> Unit:
    """The default successor of that commune in 2025 (A Mú Sung and Nậm Chạc → Xã A Mú Sung)."""
    successor = default_successor(_first_commune_of_bat_xat())
    assert successor is not None, "the demo's 2025 reorganisation gives every Bát Xát commune a successor"
    return successor


DEMO_USERS = [
    DemoUser("admin", "Quản trị viên", Role.ADMINISTRATOR, _unit(PROVINCE_CODE)),
    DemoUser("quanly", "Cán bộ Ban Tuyên giáo Tỉnh ủy", Role.MANAGER, _unit(PROVINCE_CODE)),
    DemoUser("canbo.batxat", "Cán bộ Huyện ủy Bát Xát", Role.OFFICER, _unit(BAT_XAT_CODE), _unit(BAT_XAT_COMMUNE_2025)),
    DemoUser(
        "canbo.xa", "Cán bộ Đảng ủy xã", Role.OFFICER, _first_commune_of_bat_xat, _successor_of_first_commune_of_bat_xat
    ),
    DemoUser("thanhtra", "Thành viên đoàn kiểm tra", Role.INSPECTOR, _unit(PROVINCE_CODE)),
    DemoUser("xem", "Người xem", Role.VIEWER, _unit(PROVINCE_CODE)),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    unit_code: str
    unit_name: str
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


@dataclass
class DemoResult:
    units: int = 0
    cells: int = 0
    persons: int = 0
    activities: int = 0
    logins: list[DemoLogin] = field(default_factory=list)


class DemoRefused(Conflict):
    code = "demo_refused"


def demo_is_loaded() -> bool:
    """True when the database has any unit (demo or not): the demo never builds on top of data."""
    return Unit.objects.exists()


def demo_logins() -> list[DemoLogin]:
    """The demo users' assignments as they stand in the database, in the order of :data:`DEMO_USERS`,
    then the network member's login."""
    order = {user.username: index for index, user in enumerate(DEMO_USERS)}
    assignments = Assignment.objects.filter(user__username__in=order).select_related("user", "unit")
    logins = [
        DemoLogin(a.user.username, a.role, a.unit.code, a.unit.name, a.valid_from, a.valid_to) for a in assignments
    ]
    logins.sort(key=lambda login: (order[login.username], login.valid_from or BASELINE))
    member = Person.objects.filter(user__username=NETWORK_USER).first()
    team = (
        GroupMembership.objects.filter(person=member, is_leader=True, valid_to__isnull=True)
        .select_related("group__unit")
        .first()
        if member is not None
        else None
    )
    if team is not None:
        unit = team.group.unit
        logins.append(DemoLogin(NETWORK_USER, "team leader (no staff role)", unit.code, unit.name))
    return logins


def demo_build(*, reset: bool = False) -> DemoResult:
    """Build the demo in one transaction. ``reset`` first deletes ALL data in the database."""
    result = _build_in_one_transaction(reset=reset)
    # Buffered tallies (the check-in sites' totals) are written now, so the demo's pages and
    # figures are whole as soon as it is built.
    counters.flush_all()
    return result


def _build_in_one_transaction(*, reset: bool) -> DemoResult:
    with transaction.atomic():
        if reset:
            # PostgreSQL refuses to truncate tables with deferred foreign-key checks still pending
            # (rows written earlier in the same transaction): run those checks first.
            connection.check_constraints()
            # flush empties every table the project's models own, whatever references what.
            call_command("flush", interactive=False, verbosity=0)
        elif demo_is_loaded():
            raise DemoRefused(_("The database already has units; rebuild with --reset (this deletes all data)."))
        kinds = ensure_default_kinds()
        import_provinces_named([DEMO_PROVINCE], by=None)
        # Yên Bái never used Lantoa: its units keep no records (figures missing, not zero).
        import_provinces_named([MERGED_PROVINCE], by=None, keeps_records=False)
        province = Unit.objects.get(code=PROVINCE_CODE)
        new_ids = _create_functional_units(province, kinds)
        ta_chai = _create(
            kinds, code=TA_CHAI[0], name=TA_CHAI[1], kind="commune_committee", parent=_get(TA_CHAI_DISTRICT)
        )
        cell_ids = _create_party_cells(province, kinds)
        rebuild_closure([*new_ids, ta_chai.pk, *cell_ids])
        # The network is built on the tree as it was; the events below carry it along.
        built = network.build_network(province)
        _merge_ta_chai(ta_chai)
        _file_demo_figures(province)
        handbook_run = _build_library(province)
        bank = contests.build_bank(_get(COMMISSION[0]), handbook=handbook_run.document)
        contest_run = contests.build_contest(_get(COMMISSION[0]), bank, province=province)
        contests.build_results(contest_run.contest, bank, province=province)
        judging.build_judging(province, password=DEMO_PASSWORD)
        presenters = _province_reporters(province)
        meetings.build_study(province, presenters=presenters, handbook=handbook_run.document)
        plans.build_plans(
            province,
            commission=_get(COMMISSION[0]),
            committees=plans.committees_of(province, plans.PROVINCE_ISSUED),
            communes=plans.communes_of(_get(BAT_XAT_CODE), plans.PROVINCE_ISSUED),
        )
        # Groups of merged communes merge too (one board per commune): the province keeps the model.
        reorganise_2025(find_provinces([DEMO_PROVINCE, MERGED_PROVINCE], load_legacy_provinces()), by=None)
        recent = network.record_recent(province)
        meetings.build_recent(province, presenters=presenters)
        surveys.build_surveys(province, today=timezone.localdate())
        library.record_demo_reads(handbook_run, today=timezone.localdate())
        _create_demo_users()
        _create_network_user()
        # The commission's report to the inspection team, its figures generated from the records above.
        report_demo.build_report(province)
        # Sent three weeks ago to today's communes: the demo users find it filed, late or waiting.
        reports.build_requests(province)
        return DemoResult(
            units=Unit.objects.count(),
            cells=len(cell_ids),
            persons=built.persons,
            activities=built.activities + recent.activities,
            logins=demo_logins(),
        )


def _build_library(province: Unit) -> PrintRun:
    """The library's samples and the 2021 handbook, allocated to the district-tier and functional
    committees as they stood then (the printing happened before the reorganisations)."""
    printed = library.HANDBOOK_PRINTED_ON
    recipients = [
        unit
        for unit in unit_children(province, as_of=printed).select_related("kind__tier")
        if unit.kind.code != "commission"
    ]
    recipients.sort(key=lambda unit: (unit.code != BAT_XAT_CODE, unit.code))
    return library.build_library(province, _get(COMMISSION[0]), recipients)


def _province_reporters(province: Unit) -> list[Person]:
    """The province's own reporters, who present its conferences."""
    return list(
        Person.objects.filter(roles__role__code="reporter", roles__unit=province).distinct().order_by("sort_key")[:12]
    )


def _get(code: str) -> Unit:
    return Unit.objects.get(code=code)


def _merge_ta_chai(ta_chai: Unit) -> None:
    """Xã Tà Chải merges into thị trấn Bắc Hà: the event moves its cells, merges its outreach
    board into the township's (one board per commune) and moves the remaining roles."""
    event_apply(
        by=None,
        kind="merge",
        effective_on=TA_CHAI_MERGED_ON,
        payload={"predecessors": [ta_chai.code], "into": TA_CHAI_INTO},
        legal_basis=TA_CHAI_LEGAL_BASIS,
        note=TA_CHAI_NOTE,
    )


def _create(kinds: dict[str, UnitKind], *, code: str, name: str, kind: str, parent: Unit) -> Unit:
    return unit_create(
        by=None, code=code, name=name, kind=kinds[kind], parent=parent, opened_on=BASELINE, rebuild=False
    )


def _create_functional_units(province: Unit, kinds: dict[str, UnitKind]) -> list[int]:
    """The commission and the functional committees with their grassroots organisations."""
    code, name = COMMISSION
    created = [_create(kinds, code=code, name=name, kind="commission", parent=province)]
    for code, kind, name, grassroots in FUNCTIONAL_COMMITTEES:
        committee = _create(kinds, code=code, name=name, kind=kind, parent=province)
        created.append(committee)
        for number, grassroots_name in enumerate(grassroots, start=1):
            created.append(
                _create(
                    kinds,
                    code=f"{code}-{number:02d}",
                    name=grassroots_name,
                    kind="grassroots_committee",
                    parent=committee,
                )
            )
    return [unit.pk for unit in created]


def cell_names(commune: Unit) -> list[str]:
    """The generated party cells of ``commune``: the same names on every build."""
    rng = random.Random(f"{CELL_SEED}:{commune.code}")
    count = rng.randint(*CELLS_PER_COMMUNE)
    if commune.kind.code in URBAN_COMMUNE_KINDS:
        return [f"Chi bộ tổ dân phố số {number}" for number in range(1, count + 1)]
    return [f"Chi bộ thôn {village}" for village in rng.sample(VILLAGE_NAMES, count)]


def _create_party_cells(province: Unit, kinds: dict[str, UnitKind]) -> list[int]:
    communes = Unit.objects.filter(
        code__startswith=province.code + "-", kind__tier__code="commune", kind__is_territorial=True
    )
    created = []
    for commune in communes.select_related("kind").order_by("code"):
        for number, name in enumerate(cell_names(commune), start=1):
            cell = _create(kinds, code=f"{commune.code}-C{number:02d}", name=name, kind="party_cell", parent=commune)
            created.append(cell.pk)
    return created


FIGURE_YEARS = (2022, 2024)
FIGURE_SOURCE = "demo: generated"


def _file_demo_figures(province: Unit) -> None:
    """Generated population and party-member figures for Lào Cai's communes (pre-2025), so the
    figures pages and the values API have denominators to show. Yên Bái files none, so its
    communes show as missing in today's structure. The numbers are invented (same on every
    build) and say so in their source."""
    communes = Unit.objects.filter(
        code__startswith=province.code + "-", kind__tier__code="commune", kind__is_territorial=True
    ).order_by("code")
    for year in FIGURE_YEARS:
        period = period_ensure(kind="year", start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))
        # A commune files for a year it ends in (Tà Chải, merged in November 2024, files for 2022 only).
        for commune in communes.filter(open_on(period.end)):
            rng = random.Random(f"{CELL_SEED}:figures:{commune.code}")
            population = rng.randint(2_000, 9_000) + (year - FIGURE_YEARS[0]) * rng.randint(0, 60)
            members = population * rng.randint(35, 60) // 1000
            for indicator, value in (("population", population), ("party_members", members)):
                data_value_record(
                    by=None, indicator=indicator, unit=commune, period=period, value=value, source=FIGURE_SOURCE
                )


NETWORK_USER = "tuyentruyenvien"  # a propagandist who leads a village team; no staff role


def _create_network_user() -> None:
    """An account for a team leader of A Mú Sung (today's), so the demo shows the phone form and
    the monthly summary as a member of the network sees them."""
    commune = _successor_of_first_commune_of_bat_xat()
    today = timezone.localdate()
    leading = (
        GroupMembership.objects.filter(
            is_leader=True,
            valid_to__isnull=True,
            group__valid_to__isnull=True,
            group__kind__code="outreach_team",
            group__unit__in=unit_children(commune, as_of=today),
        )
        .select_related("person")
        .order_by("group__unit__code")
        .first()
    )
    if leading is None:
        return
    person = leading.person
    user = user_create(by=None, username=NETWORK_USER, full_name=person.full_name, password=DEMO_PASSWORD)
    person_link_user(by=None, person=person, user=user)


def _create_demo_users() -> None:
    for demo_user in DEMO_USERS:
        user = user_create(by=None, username=demo_user.username, full_name=demo_user.full_name, password=DEMO_PASSWORD)
        # Users are created after the reorganisation, so a unit that closed in 2025 gets an
        # assignment that ends with it and one on the unit that took over.
        ends = COMMUNES_ON if demo_user.unit_2025 is not None else None
        assignment_create(
            by=None, user=user, unit=demo_user.unit(), role=demo_user.role, valid_from=BASELINE, valid_to=ends
        )
        if demo_user.unit_2025 is not None:
            assignment_create(
                by=None, user=user, unit=demo_user.unit_2025(), role=demo_user.role, valid_from=COMMUNES_ON
            )
        if demo_user.role == Role.ADMINISTRATOR:
            # The demo administrator also opens Django's /admin/; accounts have no service for staff flags.
            User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
