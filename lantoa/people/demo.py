"""The demo's outreach network: boards, teams, their members and reporters, and what they did.

Four counts come from the province's own report for July 2022 (see ``docs/demo.md``, "The
outreach network"): :data:`BOARDS` outreach boards in the communes, :data:`TEAMS` outreach teams
in villages and residential groups, :data:`COMMUNE_CADRES` commune outreach cadres (the boards'
members) and :data:`VILLAGE_PROPAGANDISTS` village propagandists (the teams' members). They are
not written anywhere as numbers: they come out of the records built here.

Everything else is generated with seeded random generators, so every build is the same: the
people (invented: **these people do not exist**), which villages have a team, the dates, the
reporters, collaborators and persons of prestige, and the activities.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from lantoa.core.errors import Conflict
from lantoa.org.models import Unit, UnitParent
from lantoa.org.selectors import subtree_ids, today, valid_on
from lantoa.people import bulk, services
from lantoa.people.defaults import load_defaults
from lantoa.people.models import (
    Activity,
    ActivityKind,
    GroupKind,
    GroupMembership,
    NetworkGroup,
    NetworkRoleKind,
    Person,
)
from lantoa.people.services import ActivityData, PersonData

SEED = "lantoa-demo:people"

# What the provincial Propaganda Commission reported for July 2022.
REPORTED_ON = dt.date(2022, 7, 1)
BOARDS = 152
TEAMS = 1_536
COMMUNE_CADRES = 1_707
VILLAGE_PROPAGANDISTS = 4_068
PROPAGANDISTS_PER_TEAM = (2, 4)

BOARDS_FORMED = (dt.date(2020, 3, 1), dt.date(2021, 6, 30))
TEAMS_FORMED_BY = dt.date(2022, 3, 31)
ROLES_FROM = (dt.date(2020, 1, 1), dt.date(2022, 6, 30))
SUMMARY_MONTHS_2022 = [(2022, month) for month in range(1, 8)]
SUMMARY_MONTHS_RECENT = [(2026, 9), (2026, 10)]
RECENT_UNCONFIRMED = (2026, 10)  # the last month's records wait for the commune's check

# Reporters per unit (generated; the report gives no such breakdown).
REPORTERS_PROVINCE = 24
REPORTERS_COMMISSION = 8
REPORTERS_PER_DISTRICT = (10, 20)
REPORTERS_PER_BLOC = (4, 8)
REPORTERS_PER_FORCE = (3, 6)
COMMUNES_WITH_REPORTERS = 0.4
COLLABORATORS_PROVINCE = 10
COLLABORATORS_PER_DISTRICT = 3
PRESTIGIOUS_PERSONS = 30

# Names common in Lào Cai: Kinh, Tày, Nùng, Giáy, and the Mông, Dao and Hà Nhì of the highlands.
FAMILY_NAMES = [
    "Nguyễn", "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Hoàng", "Vũ", "Đỗ", "Lò", "Lò", "Giàng", "Giàng", "Giàng",
    "Vàng", "Vàng", "Lý", "Lý", "Thào", "Thào", "Sùng", "Sùng", "Lù", "Hầu", "Tẩn", "Tẩn", "Phàn", "Phàn", "Triệu",
    "Ma", "Nông", "Lục", "Bàn", "Chảo", "Sần", "Hà", "Mã", "Hờ", "Thèn", "Chu",
]  # fmt: skip
MIDDLE_NAMES = {
    "male": ["Văn", "Văn", "Văn", "Seo", "Seo", "A", "A", "Mí", "Đức", "Minh", "Quang", "Xuân", "Hữu", "Láo"],
    "female": ["Thị", "Thị", "Thị", "Thị", "Ngọc", "Thu", "Kim"],
}
GIVEN_NAMES = {
    "male": [
        "Hùng", "Dũng", "Thắng", "Minh", "Tuấn", "Sơn", "Long", "Cường", "Thành", "Trung", "Kiên", "Hải", "Quyết",
        "Phử", "Dình", "Chúng", "Páo", "Chứ", "Sử", "Lử", "Pao", "Lềnh", "Vần", "Chư", "Dín", "Sàng", "Lở", "Mìn",
        "Thàng", "Tiến", "Bình", "Hưng", "Lâm", "Khánh", "Chinh", "Quân",
    ],
    "female": [
        "Mai", "Hoa", "Lan", "Hương", "Thu", "Mỷ", "Dợ", "Sa", "Vân", "Hằng", "Dung", "Chi", "Nga", "Pà", "Mẩy",
        "Dua", "Xua", "Vi", "Thảo", "Huyền", "Linh", "Ly", "Dính", "Chử", "Sính",
    ],
}  # fmt: skip
FEMALE_SHARE = 0.4
PHONE_SHARE = 0.5

TOPICS_2022 = [
    "Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII của Đảng",
    "Phòng, chống dịch COVID-19, tiêm vắc-xin",
    "Xây dựng nông thôn mới",
    "Phòng, chống tảo hôn và hôn nhân cận huyết thống",
    "Phòng, chống mua bán người",
    "Bảo vệ và phát triển rừng, phòng cháy chữa cháy rừng",
    "Phòng, chống ma túy",
    "Bảo vệ đường biên, mốc giới",
    "Phòng, chống thiên tai mùa mưa lũ",
]
TOPICS_RECENT = [
    "Nghị quyết Đại hội Đảng bộ tỉnh nhiệm kỳ 2025–2030",
    "Chính quyền địa phương hai cấp: thủ tục hành chính ở xã mới",
    "Dịch vụ công trực tuyến, chuyển đổi số",
    "Phòng, chống lừa đảo qua mạng",
    "Phòng, chống thiên tai mùa mưa lũ",
    "Xây dựng nông thôn mới",
]
# Activity kind, share of the team's monthly summaries, people reached per session.
SUMMARY_KINDS = [
    ("village_meeting", 50, (25, 70)),
    ("home_visits", 20, (5, 15)),
    ("loudspeaker", 20, (40, 120)),
    ("community_event", 10, (30, 150)),
]
BOARD_ACTIVITY_KINDS = ["dialogue", "community_event", "online", "printed_material"]
SUMMARY_SKIP = 0.1  # a team that does not file a given month


@dataclass
class NetworkReport:
    persons: int = 0
    boards: int = 0
    teams: int = 0
    activities: int = 0
    villages_without_team: int = 0


class DemoNetworkRefused(Conflict):
    code = "demo_network_refused"


# --- Names and people -----------------------------------------------------------------------


def _rng(*parts: object) -> random.Random:
    return random.Random(":".join([SEED, *map(str, parts)]))


class _People:
    """Invented persons: a name, sex, year of birth, sometimes a phone."""

    def __init__(self) -> None:
        self.rng = _rng("persons")
        self.phones: set[str] = set()
        self.created = 0

    def data(self, home_unit: Unit, *, born: tuple[int, int] = (1960, 2000)) -> PersonData:
        rng = self.rng
        sex = "female" if rng.random() < FEMALE_SHARE else "male"
        phone = ""
        if rng.random() < PHONE_SHARE:
            while not phone or phone in self.phones:
                phone = f"09{rng.randrange(10**8):08d}"
            self.phones.add(phone)
        return PersonData(
            family_name=rng.choice(FAMILY_NAMES),
            middle_name=rng.choice(MIDDLE_NAMES[sex]),
            given_name=rng.choice(GIVEN_NAMES[sex]),
            sex=sex,
            birth_year=rng.randint(*born),
            phone=phone,
            home_unit=home_unit,
        )

    def create_many(self, home_units: Sequence[Unit], *, born: tuple[int, int]) -> list[Person]:
        # Generated names repeat (a village has several Giàng Seo Phử): no duplicate check.
        persons = bulk.persons_create_many(by=None, data=[self.data(unit, born=born) for unit in home_units])
        self.created += len(persons)
        return persons


def _day_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _label(unit_name: str, prefix: str) -> str:
    """The name without its ``prefix``: "Đảng bộ xã Bản Cái" → "xã Bản Cái"."""
    return unit_name[len(prefix) :] if unit_name.startswith(prefix) else unit_name


def board_name(commune: Unit) -> str:
    return f"Ban tuyên vận {_label(commune.name, 'Đảng bộ ')}"


def team_name(village: Unit) -> str:
    return f"Tổ tuyên vận {_label(village.name, 'Chi bộ ')}"


# --- The network as it was in July 2022 ------------------------------------------------------


def _units(province: Unit, day: dt.date, **filters: Any) -> list[Unit]:
    return list(
        Unit.objects.filter(pk__in=subtree_ids(province.pk, as_of=day), **filters)
        .select_related("kind__tier")
        .order_by("code")
    )


def _spread(total: int, slots: int, low: int, high: int, rng: random.Random) -> list[int]:
    """``total`` shared over ``slots``, each between ``low`` and ``high``, deterministically."""
    if not slots * low <= total <= slots * high:
        raise ValueError(f"cannot share {total} over {slots} slots of {low}–{high}")
    counts = [low] * slots
    room = [index for index in range(slots) if counts[index] < high]
    for _extra in range(total - slots * low):
        index = rng.choice(room)
        counts[index] += 1
        if counts[index] == high:
            room.remove(index)
    return counts


def build_network(province: Unit) -> NetworkReport:
    """Boards, teams, their members, reporters and the other roles, and the 2022 activities.

    Run on the pre-2025 tree (before the restructuring events of 2024 and 2025, which carry
    all of it along). Refuses a tree that does not have the communes and villages the July 2022
    figures need.
    """
    load_defaults(NetworkRoleKind, GroupKind, ActivityKind)
    day = REPORTED_ON
    communes = _units(province, day, kind__tier__code="commune", kind__is_territorial=True)
    villages = _units(province, day, kind__tier__code="village")
    if len(communes) != BOARDS or len(villages) <= TEAMS:
        raise DemoNetworkRefused(
            _("The demo's outreach network needs %(boards)s communes and more than %(teams)s villages.")
            % {"boards": BOARDS, "teams": TEAMS}
        )
    people = _People()
    report = NetworkReport()
    boards = _build_boards(communes, people)
    teams = _build_teams(villages, boards, people)
    report.boards, report.teams = len(boards), len(teams)
    report.villages_without_team = len(villages) - len(teams)
    _build_other_roles(province, communes, villages, people)
    report.persons = people.created
    report.activities = _record_summaries(teams, SUMMARY_MONTHS_2022, TOPICS_2022)
    report.activities += _record_board_activities(list(boards.values()), SUMMARY_MONTHS_2022, TOPICS_2022)
    bulk.activities_confirm_all(by=None, activities=Activity.objects.filter(status=Activity.Status.SUBMITTED))
    return report


def _build_groups(
    kind_code: str,
    specs: list[tuple[Unit, str, dt.date, int]],  # unit, name, formed on, number of members
    people: _People,
    born: tuple[int, int],
) -> list[NetworkGroup]:
    """Groups formed with their members (the first one leads), each member living in the unit."""
    kind = GroupKind.objects.get(code=kind_code)
    groups = bulk.groups_create_many(
        by=None, specs=[bulk.GroupSpec(kind, unit, name, formed) for unit, name, formed, _size in specs]
    )
    persons = iter(people.create_many([unit for unit, _name, _formed, size in specs for _ in range(size)], born=born))
    members = [
        bulk.MemberSpec(group, next(persons), group.valid_from, is_leader=number == 0)
        for group, (_unit, _name, _formed, size) in zip(groups, specs, strict=True)
        for number in range(size)
    ]
    bulk.group_members_add_many(by=None, specs=members)
    return groups


def _build_boards(communes: list[Unit], people: _People) -> dict[int, NetworkGroup]:
    rng = _rng("boards")
    low = COMMUNE_CADRES // len(communes)
    sizes = _spread(COMMUNE_CADRES, len(communes), low, low + 1, rng)
    specs = [
        (commune, board_name(commune), _day_between(rng, *BOARDS_FORMED), size)
        for commune, size in zip(communes, sizes, strict=True)
    ]
    boards = _build_groups("outreach_board", specs, people, born=(1965, 1995))
    return {board.unit_id: board for board in boards}


def _build_teams(villages: list[Unit], boards: dict[int, NetworkGroup], people: _People) -> list[NetworkGroup]:
    rng = _rng("teams")
    chosen = sorted(rng.sample(range(len(villages)), TEAMS))
    sizes = _spread(VILLAGE_PROPAGANDISTS, TEAMS, *PROPAGANDISTS_PER_TEAM, rng)
    commune_of = _parents(villages, REPORTED_ON)
    specs = []
    for index, size in zip(chosen, sizes, strict=True):
        village = villages[index]
        board_formed = boards[commune_of[village.pk]].valid_from
        formed = _day_between(rng, board_formed + dt.timedelta(days=14), TEAMS_FORMED_BY)
        specs.append((village, team_name(village), formed, size))
    return _build_groups("outreach_team", specs, people, born=(1960, 2000))


def _parents(units: Sequence[Unit], day: dt.date) -> dict[int, int]:
    links = UnitParent.objects.filter(valid_on(day), unit__in=list(units)).values_list("unit_id", "parent_id")
    return dict(links)


def _build_other_roles(province: Unit, communes: list[Unit], villages: list[Unit], people: _People) -> None:
    """Reporters, public-opinion collaborators and persons of prestige (generated counts)."""
    roles = {role.code: role for role in NetworkRoleKind.objects.all()}
    rng = _rng("roles")
    day = REPORTED_ON
    plan: list[tuple[str, Unit, int]] = [("reporter", province, REPORTERS_PROVINCE)]
    plan += [("reporter", unit, REPORTERS_COMMISSION) for unit in _units(province, day, kind__code="commission")]
    for unit in _units(province, day, kind__tier__code="district"):
        if unit.kind.is_territorial:
            plan.append(("reporter", unit, rng.randint(*REPORTERS_PER_DISTRICT)))
            plan.append(("opinion_collaborator", unit, COLLABORATORS_PER_DISTRICT))
        elif unit.kind.code == "bloc_committee":
            plan.append(("reporter", unit, rng.randint(*REPORTERS_PER_BLOC)))
        else:
            plan.append(("reporter", unit, rng.randint(*REPORTERS_PER_FORCE)))
    plan += [("reporter", unit, rng.randint(1, 2)) for unit in communes if rng.random() < COMMUNES_WITH_REPORTERS]
    plan.append(("opinion_collaborator", province, COLLABORATORS_PROVINCE))
    plan += [("prestigious_person", unit, 1) for unit in rng.sample(villages, PRESTIGIOUS_PERSONS)]
    holders = [(code, unit) for code, unit, count in plan for _number in range(count)]
    persons = people.create_many([unit for _code, unit in holders], born=(1955, 1998))
    # A few hundred roles: the one-at-a-time service is quick enough.
    for (code, unit), person in zip(holders, persons, strict=True):
        services.role_assign(
            by=None, person=person, role=roles[code], unit=unit, valid_from=_day_between(rng, *ROLES_FROM)
        )


# --- Activities ------------------------------------------------------------------------------


def _kinds() -> dict[str, ActivityKind]:
    return {kind.code: kind for kind in ActivityKind.objects.all()}


def _leaders(groups: Sequence[NetworkGroup], day: dt.date) -> dict[int, Person]:
    members = GroupMembership.objects.filter(valid_on(day), group__in=[g.pk for g in groups], is_leader=True)
    return {m.group_id: m.person for m in members.select_related("person")}


def _record_summaries(teams: Sequence[NetworkGroup], months: Sequence[tuple[int, int]], topics: Sequence[str]) -> int:
    """Each team leader's monthly summary for the whole team (most teams, most months)."""
    kinds = _kinds()
    weights = [share for _code, share, _reach in SUMMARY_KINDS]
    data = []
    for year, month in months:
        rng = _rng("summaries", year, month)
        held_on = _month_end(year, month)
        open_teams = [team for team in teams if team.valid_from <= dt.date(year, month, 1)]
        leaders = _leaders(open_teams, held_on)
        for team in open_teams:
            if rng.random() < SUMMARY_SKIP:
                continue
            code, _share, reach = rng.choices(SUMMARY_KINDS, weights=weights)[0]
            sessions = rng.randint(1, 6)
            data.append(
                ActivityData(
                    unit=team.unit,
                    held_on=held_on,
                    kind=kinds[code],
                    topic=rng.choice(topics),
                    sessions=sessions,
                    people_reached=sessions * rng.randint(*reach),
                    group=team,
                    person=leaders.get(team.pk),
                    is_summary=True,
                )
            )
    return len(bulk.activities_record_many(by=None, data=data))


def _record_board_activities(
    boards: Sequence[NetworkGroup], months: Sequence[tuple[int, int]], topics: Sequence[str]
) -> int:
    """A few activities of the commune outreach cadres themselves: dialogues, events, online."""
    kinds = _kinds()
    rng = _rng("board-activities", *months[0])
    members_of: dict[int, list[Person]] = defaultdict(list)
    memberships = GroupMembership.objects.filter(valid_on(_month_end(*months[-1])), group__in=[b.pk for b in boards])
    for membership in memberships.select_related("person").order_by("pk"):
        members_of[membership.group_id].append(membership.person)
    data = []
    for board in boards:
        members = members_of[board.pk]
        for year, month in sorted(rng.sample(list(months), min(3, len(months)))):
            held_on = dt.date(year, month, rng.randint(1, 28))
            if not board.is_open_on(held_on):
                continue
            data.append(
                ActivityData(
                    unit=board.unit,
                    held_on=held_on,
                    kind=kinds[rng.choice(BOARD_ACTIVITY_KINDS)],
                    topic=rng.choice(topics),
                    people_reached=rng.randint(30, 200),
                    person=rng.choice(members) if members else None,
                )
            )
    return len(bulk.activities_record_many(by=None, data=data))


def record_recent(province: Unit) -> NetworkReport:
    """Activities of recent months, in today's structure (after the 2025 reorganisation)."""
    report = NetworkReport()
    # Fixed months, so every build is the same; a clock set earlier skips what has not happened.
    months = [month for month in SUMMARY_MONTHS_RECENT if _month_end(*month) <= today()]
    if not months:
        return report
    day = _month_end(*months[-1])
    inside = subtree_ids(province.pk, as_of=day)
    open_groups = (
        NetworkGroup.objects.filter(valid_on(day), unit_id__in=inside).select_related("unit", "kind").order_by("pk")
    )
    teams = [g for g in open_groups if g.kind.code == "outreach_team"]
    boards = [g for g in open_groups if g.kind.code == "outreach_board"]
    report.boards, report.teams = len(boards), len(teams)
    report.activities = _record_summaries(teams, months, TOPICS_RECENT)
    report.activities += _record_board_activities(boards, months, TOPICS_RECENT)
    year, month = RECENT_UNCONFIRMED
    earlier = Activity.objects.filter(status=Activity.Status.SUBMITTED, held_on__lt=dt.date(year, month, 1))
    bulk.activities_confirm_all(by=None, activities=earlier)
    return report


__all__ = [
    "BOARDS",
    "COMMUNE_CADRES",
    "REPORTED_ON",
    "TEAMS",
    "VILLAGE_PROPAGANDISTS",
    "board_name",
    "build_network",
    "record_recent",
    "team_name",
]
