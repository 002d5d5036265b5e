"""The demo's judged contests (called by :mod:`lantoa.demo.build`).

What the province reported (``docs/demo.md``; PRODUCT.md's founding case): from March 2021 to
July 2022 its **14 subordinate party committees** — the nine district-tier committees and the
five functional committees — each staged a contest on the XIII Congress resolutions, and
**284 reporters** competed in the "best reporter" contest's district and provincial stages,
one of them winning second prize in the national final. Those two counts are not written
anywhere as numbers: they come out of the records built here, through the services, and the
indicators ``staged_contest_committees`` and ``best_reporter_entries`` read them back.

Everything else is generated with seeded random generators (the same on every build): the
contests' dates, the competing teams (units beneath each committee), the juries (reporters of
the network given accounts without a password), the scores and the audience's votes. The
reporters entered are the outreach network's reporters of the district-tier and functional
committees and their communes; when the network has fewer than 284, the missing ones are
created here as reporters of the district-tier committees, through the people services.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from lantoa.accounts.services import user_create
from lantoa.core.notify import Recipient
from lantoa.judging import services
from lantoa.judging.assessments.demo import build_assessments
from lantoa.judging.audience import selectors as audience_selectors
from lantoa.judging.audience import services as audience
from lantoa.judging.models import (
    Advancement,
    Aggregation,
    CompetitionKind,
    EntryStage,
    JuryMember,
    JuryRole,
    Rubric,
    ScoreSheet,
    Stage,
)
from lantoa.judging.selectors import stage_criteria
from lantoa.org.models import Unit
from lantoa.org.selectors import subtree_ids, unit_children, valid_on
from lantoa.people import bulk
from lantoa.people import services as people
from lantoa.people.models import NetworkRoleKind, Person, RoleAssignment
from lantoa.people.services import PersonData, person_link_user

SEED = "lantoa-demo:judging"
COMMITTEES = 14
REPORTERS = 284
STAGED_FROM = (dt.date(2021, 4, 1), dt.date(2022, 6, 15))
TEAMS_PER_CONTEST = (4, 7)
BEST_REPORTER_DAYS = {
    "district": (dt.date(2022, 4, 4), dt.date(2022, 5, 20)),
    "province": (dt.date(2022, 6, 20), dt.date(2022, 6, 24)),
    "national": (dt.date(2022, 10, 18), dt.date(2022, 10, 21)),
}
PROVINCIAL_FINALISTS = 20
DISTRICT_JURORS = 12
PROVINCIAL_JURORS = 5
AUDIENCE_BALLOTS = 500
AUDIENCE_PHONES = 12
VIETNAM = dt.timezone(dt.timedelta(hours=7))
NATIONAL_PRIZE = "Giải Nhì"
PRIZES = ("Giải Nhất", "Giải Nhì", "Giải Ba")
# Demo jurors who can sign in (with the demo password): the provincial stage's chair and two members.
JUROR_LOGINS = ("giamkhao.chutich", "giamkhao.1", "giamkhao.2")

STAGED_CRITERIA = [
    services.CriterionData(
        section="Nội dung",
        name="Nội dung bám sát nghị quyết, chính xác",
        weight="40",
        max_score="10",
        descriptors=[
            {"score": "9", "text": "Đầy đủ, chính xác, liên hệ sinh động với thực tiễn địa phương"},
            {"score": "7", "text": "Đủ nội dung chính, liên hệ thực tiễn còn ít"},
            {"score": "5", "text": "Thiếu một số nội dung trọng tâm"},
        ],
    ),
    services.CriterionData(section="Nghệ thuật", name="Hình thức sân khấu hóa", weight="30", max_score="10"),
    services.CriterionData(section="Nghệ thuật", name="Kỹ năng trình diễn", weight="20", max_score="10"),
    services.CriterionData(section="Chung", name="Đúng thời gian, ấn tượng chung", weight="10", max_score="10"),
]
REPORTER_CRITERIA = [
    services.CriterionData(section="Nội dung", name="Nội dung bài nói chuyện", weight="40", max_score="10"),
    services.CriterionData(section="Phương pháp", name="Phương pháp truyền đạt", weight="25", max_score="10"),
    services.CriterionData(section="Phương pháp", name="Kỹ năng trình bày, phong cách", weight="20", max_score="10"),
    services.CriterionData(
        section="Trả lời câu hỏi", name="Trả lời câu hỏi của ban giám khảo", weight="15", max_score="10"
    ),
]
TOPICS = [
    "Nghị quyết Đại hội XIII của Đảng",
    "Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XVI",
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "Bảo vệ nền tảng tư tưởng của Đảng",
    "Phát triển kinh tế nông nghiệp hàng hóa",
    "Xây dựng nông thôn mới",
]


@dataclass
class JudgingReport:
    staged_contests: int = 0
    reporters_entered: int = 0
    reporters_created: int = 0
    sheets: int = 0
    assessments_passed: int = 0


def _rng(*parts: object) -> random.Random:
    return random.Random(":".join([SEED, *map(str, parts)]))


def committees(province: Unit, day: dt.date) -> list[Unit]:
    """The province's subordinate party committees on ``day`` (its children but the commission)."""
    return [unit for unit in unit_children(province, as_of=day) if unit.kind.code != "commission"]


def build_judging(province: Unit, *, password: str, judge: bool = True) -> JudgingReport:
    """The staged contests of the 14 committees and the 2022 best-reporter contest. With
    ``judge`` False only the contests, stages and entries are built (what the indicators
    count), without the juries' work."""
    report = JudgingReport()
    staged = services.rubric_create(
        by=None, unit=province, name="Tiêu chí chấm hội thi sân khấu hóa", criteria=STAGED_CRITERIA
    )
    reporter_rubric = services.rubric_create(
        by=None, unit=province, name="Tiêu chí chấm hội thi báo cáo viên giỏi", criteria=REPORTER_CRITERIA
    )
    units = committees(province, STAGED_FROM[0])
    rng = _rng("staged")
    for number, committee in enumerate(units):
        starts = STAGED_FROM[0] + dt.timedelta(days=rng.randint(0, (STAGED_FROM[1] - STAGED_FROM[0]).days))
        report.sheets += _staged_contest(committee, staged, starts, number, judge=judge)
        report.staged_contests += 1
    entered, created, sheets = _best_reporter(province, reporter_rubric, units, password=password, judge=judge)
    report.reporters_entered, report.reporters_created = entered, created
    report.sheets += sheets
    report.assessments_passed = build_assessments(province).passed
    return report


# --- Juries -------------------------------------------------------------------------------------


def _jurors(
    stage: Stage, persons: Sequence[Person], prefix: str, *, logins: Sequence[str] = (), password: str = ""
) -> list[JuryMember]:
    """The persons on the stage's jury (the first chairs it), each given an account if they
    have none (without a password, except the named demo logins)."""
    members = []
    for index, person in enumerate(persons):
        if person.user_id is None:
            named = index < len(logins)
            user = user_create(
                by=None,
                username=logins[index] if named else f"{prefix}.{index + 1}",
                full_name=person.full_name,
                password=password if named else None,
            )
            person_link_user(by=None, person=person, user=user)
        role = JuryRole.CHAIR if index == 0 else JuryRole.MEMBER
        members.append(services.jury_member_add(by=None, stage=stage, person=person, role=role).obj)
    return members


def _reporters_of(units: Sequence[Unit]) -> list[Person]:
    """The units' reporters in the network (at any time: a jury is no network role), earliest first."""
    rows = RoleAssignment.objects.filter(role__code="reporter", unit__in=list(units)).select_related("person")
    persons: dict[int, Person] = {}
    for row in rows.order_by("valid_from", "pk"):
        persons.setdefault(row.person_id, row.person)
    return list(persons.values())


# --- Scores -------------------------------------------------------------------------------------


def _score_stage(stage: Stage, rng: random.Random) -> int:
    """Every sheet of the stage, typed in as paper sheets: each entry has a quality, each juror a
    leaning, each score some noise, to the quarter point."""
    criteria = stage_criteria(stage)
    quality: dict[int, float] = {}
    leaning: dict[int, float] = {}
    count = 0
    sheets = list(ScoreSheet.objects.filter(stage=stage, status=ScoreSheet.Status.OPEN).order_by("pk"))
    while sheets:
        for sheet in sheets:
            base = quality.setdefault(sheet.entry_id, rng.uniform(5.5, 9.3))
            lean = leaning.setdefault(sheet.juror_id, rng.uniform(-0.8, 0.6))
            values = {}
            for criterion in criteria:
                raw = base + lean + rng.uniform(-0.7, 0.7)
                values[criterion.pk] = Decimal(str(round(min(float(criterion.max_score), max(0.0, raw)) * 4) / 4))
            services.sheet_record(by=None, sheet=sheet, values=values)
            count += 1
        # Sheets of extra jurors called by a disagreement, if any.
        sheets = list(ScoreSheet.objects.filter(stage=stage, status=ScoreSheet.Status.OPEN).order_by("pk"))
    return count


def _award(stage: Stage, prizes: Sequence[str]) -> None:
    for row in EntryStage.objects.filter(stage=stage, rank__lte=len(prizes)).order_by("rank", "pk"):
        services.prize_award(by=None, row=row, prize=prizes[(row.rank or 1) - 1])


# --- The staged contests ------------------------------------------------------------------------


def _staged_contest(committee: Unit, rubric: Rubric, starts: dt.date, number: int, *, judge: bool) -> int:
    rng = _rng("staged", committee.code)
    competition = services.competition_create(
        by=None,
        data=services.CompetitionData(
            unit=committee,
            title=f"Hội thi sân khấu hóa tìm hiểu Nghị quyết Đại hội Đảng các cấp — {committee.name}",
            kind=CompetitionKind.STAGED,
            starts_on=starts,
            ends_on=starts + dt.timedelta(days=2),
        ),
    )
    stage = services.stage_create(
        by=None,
        competition=competition,
        data=services.StageData(
            name="Vòng chung khảo",
            unit=committee,
            starts_on=starts,
            ends_on=starts + dt.timedelta(days=2),
            rubric=rubric,
            aggregation=Aggregation.MEAN,
            jurors_per_entry=3,
            audience_weight="0.2",
            tie_criterion_position=1,
        ),
    )
    teams = list(unit_children(committee, as_of=starts).exclude(kind__code="party_cell"))
    if not teams:
        teams = list(unit_children(committee, as_of=starts))
    chosen = sorted(rng.sample(teams, min(len(teams), rng.randint(*TEAMS_PER_CONTEST))), key=lambda unit: unit.code)
    for unit in chosen:
        services.entry_create(
            by=None,
            competition=competition,
            data=services.EntryData(
                unit=unit,
                title=f"{rng.choice(TOPICS)} — đội {unit.name}",
                members=f"Đội thi {unit.name} (8 thành viên)",
            ),
        )
    if not judge:
        return 0
    _jurors(stage, _reporters_of([committee])[:3], f"giamkhao.{committee.code.lower()}.{number + 1}")
    services.stage_assign(by=None, stage=stage)
    sheets = _score_stage(stage, rng)
    if number == 0:
        _audience_vote(stage, starts, rng)
    else:
        for row in EntryStage.objects.filter(stage=stage).select_related("entry"):
            services.audience_votes_record(by=None, row=row, votes=rng.randint(40, 400))
    services.stage_results_compute(by=None, stage=stage)
    _award(stage, PRIZES)
    return sheets


class _DemoPhones:
    """The demo's SMS channel: keeps the codes it was asked to send, so that the demo's phone
    voters can type them (no message leaves the machine)."""

    name = "demo-sms"

    def __init__(self) -> None:
        self.codes: list[str] = []

    def can_reach(self, recipient: Recipient) -> bool:
        return bool(recipient.phone)

    def send(self, recipient: Recipient, subject: str, body: str) -> bool:
        self.codes.append(next(word for word in body.replace(".", " ").split() if word.isdigit() and len(word) == 6))
        return True


def _audience_vote(stage: Stage, day: dt.date, rng: random.Random) -> None:
    """The first staged contest's audience vote, cast through the services: 500 printed ballots
    handed out in the hall (most of them used) and a few phones verified by a code."""
    opens = dt.datetime.combine(day, dt.time(19, 0), tzinfo=VIETNAM)
    audience.poll_open(by=None, stage=stage, opens_at=opens, closes_at=opens + dt.timedelta(hours=3))
    audience.ballots_issue(by=None, stage=stage, count=AUDIENCE_BALLOTS)
    during = opens + dt.timedelta(hours=2)
    entries = list(EntryStage.objects.filter(stage=stage).order_by("entry_id").values_list("entry_id", flat=True))
    weights = [rng.randint(1, 6) for _entry in entries]
    codes = audience_selectors.ballot_codes(stage, 1)
    for code in codes[: rng.randint(380, 460)]:
        entry_id = rng.choices(entries, weights)[0]
        audience.vote_by_ballot(stage=stage, entry_id=entry_id, ballot=code, address="demo", now=during)
    phones = _DemoPhones()
    for index in range(AUDIENCE_PHONES):
        token = audience.code_request(
            stage=stage, phone=f"0912{index:06d}", address=f"demo-{index}", now=during, channels=[phones]
        )
        entry_id = rng.choices(entries, weights)[0]
        audience.vote_by_phone(
            stage=stage, entry_id=entry_id, token=token, code=phones.codes[-1], address=f"demo-{index}", now=during
        )


# --- The best-reporter contest ------------------------------------------------------------------


def _entrants(province: Unit, units: Sequence[Unit], day: dt.date) -> tuple[list[Person], dict[int, Unit], int]:
    """The 284 reporters: those of the committees and the units beneath them (not the
    province's own, who judge), topped up with new reporters of the district-tier committees."""
    within = Unit.objects.filter(pk__in=subtree_ids([unit.pk for unit in units], as_of=day))
    rows = (
        RoleAssignment.objects.filter(valid_on(day), role__code="reporter", unit__in=within)
        .select_related("person", "unit")
        .order_by("unit__code", "person__sort_key", "pk")
    )
    persons: list[Person] = []
    unit_of: dict[int, Unit] = {}
    for row in rows:
        if row.person_id not in unit_of:
            persons.append(row.person)
            unit_of[row.person_id] = row.unit
    persons = persons[:REPORTERS]
    created = 0
    if len(persons) < REPORTERS:
        districts = [unit for unit in units if unit.kind.tier.code == "district" and unit.kind.is_territorial] or list(
            units
        )
        rng = _rng("reporters")
        homes = [districts[index % len(districts)] for index in range(REPORTERS - len(persons))]
        data = [
            PersonData(
                family_name=rng.choice(["Nguyễn", "Lò", "Hoàng", "Vàng", "Giàng", "Trần", "Lý"]),
                middle_name=rng.choice(["Văn", "Thị", "Đức", "Minh", "Seo"]),
                given_name=rng.choice(["Hùng", "Lan", "Thắng", "Mai", "Chinh", "Dung", "Phử", "Sơn"]),
                birth_year=rng.randint(1965, 1995),
                home_unit=home,
            )
            for home in homes
        ]
        role = NetworkRoleKind.objects.get(code="reporter")
        for person, home in zip(bulk.persons_create_many(by=None, data=data), homes, strict=True):
            people.role_assign(by=None, person=person, role=role, unit=home, valid_from=day - dt.timedelta(days=30))
            persons.append(person)
            unit_of[person.pk] = home
            created += 1
    return persons, unit_of, created


def _best_reporter(
    province: Unit, rubric: Rubric, units: Sequence[Unit], *, password: str, judge: bool
) -> tuple[int, int, int]:
    rng = _rng("best-reporter")
    first, last = BEST_REPORTER_DAYS["district"][0], BEST_REPORTER_DAYS["national"][1]
    competition = services.competition_create(
        by=None,
        data=services.CompetitionData(
            unit=province,
            title="Hội thi báo cáo viên giỏi tỉnh Lào Cai năm 2022",
            kind=CompetitionKind.BEST_REPORTER,
            starts_on=first,
            ends_on=last,
        ),
    )
    stages = []
    plan = [
        (
            "district",
            "Vòng sơ khảo cấp huyện và tương đương",
            Aggregation.NORMALISED,
            2,
            Advancement.TOP_N,
            PROVINCIAL_FINALISTS,
        ),
        ("province", "Vòng chung khảo cấp tỉnh", Aggregation.TRIMMED_MEAN, PROVINCIAL_JURORS, Advancement.TOP_N, 1),
        ("national", "Vòng chung kết toàn quốc (Trung ương tổ chức)", Aggregation.MEAN, 1, Advancement.NONE, None),
    ]
    for key, name, rule, k, advancement, count in plan:
        starts, ends = BEST_REPORTER_DAYS[key]
        stages.append(
            services.stage_create(
                by=None,
                competition=competition,
                data=services.StageData(
                    name=name,
                    unit=province,
                    starts_on=starts,
                    ends_on=ends,
                    rubric=rubric,
                    aggregation=rule,
                    jurors_per_entry=k,
                    disagreement_margin="20" if key == "district" else None,
                    tie_criterion_position=1,
                    advancement=advancement,
                    advance_count=count,
                ),
            )
        )
    district, provincial, national = stages
    entrants, unit_of, created = _entrants(province, units, first)
    services.entries_create_many(
        by=None,
        competition=competition,
        items=[
            services.EntryData(unit=unit_of[person.pk], person=person, title=rng.choice(TOPICS)) for person in entrants
        ],
    )
    if not judge:
        return len(entrants), created, 0
    judges = _reporters_of([province])
    _jurors(district, judges[PROVINCIAL_JURORS : PROVINCIAL_JURORS + DISTRICT_JURORS], "giamkhao.sokhao")
    _jurors(provincial, judges[:PROVINCIAL_JURORS], "giamkhao.chungkhao", logins=JUROR_LOGINS, password=password)
    sheets = 0
    for stage in (district, provincial):
        services.stage_assign(by=None, stage=stage)
        sheets += _score_stage(stage, rng)
        services.stage_results_compute(by=None, stage=stage)
        services.stage_advance(by=None, stage=stage)
    _award(provincial, PRIZES)
    # The provincial stage's chair approves and publishes its results: the public results page
    # and the prize certificates of a published stage can be shown.
    chair = provincial.jurors.filter(role=JuryRole.CHAIR).select_related("user").first()
    services.stage_publish(by=chair.user if chair else None, stage=provincial)
    for row in EntryStage.objects.filter(stage=national):
        services.prize_award(by=None, row=row, prize=NATIONAL_PRIZE)
    return len(entrants), created, sheets
