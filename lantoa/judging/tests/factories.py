"""Judged contests for tests, made through the real services."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field

from lantoa.accounts.tests.factories import make_user
from lantoa.judging import services
from lantoa.judging.models import Competition, Entry, JuryMember, Rubric, Stage
from lantoa.org.models import Unit
from lantoa.people.models import Person
from lantoa.people.services import person_link_user
from lantoa.people.tests.factories import make_person

_counter = itertools.count(1)
DAY = dt.date(2022, 5, 10)

CRITERIA = [
    services.CriterionData(section="Nội dung", name="Nội dung đúng, đủ", weight="40", max_score="10"),
    services.CriterionData(section="Nội dung", name="Liên hệ thực tiễn", weight="30", max_score="10"),
    services.CriterionData(section="Trình bày", name="Phong cách trình bày", weight="30", max_score="10"),
]


def make_rubric(unit: Unit, criteria: list[services.CriterionData] | None = None) -> Rubric:
    return services.rubric_create(
        by=None, unit=unit, name=f"Bộ tiêu chí {next(_counter)}", criteria=criteria or CRITERIA
    )


def make_competition(unit: Unit, *, kind: str = "best_reporter", starts_on: dt.date = DAY) -> Competition:
    return services.competition_create(
        by=None,
        data=services.CompetitionData(
            unit=unit,
            title=f"Hội thi {next(_counter)}",
            kind=kind,
            starts_on=starts_on,
            ends_on=starts_on + dt.timedelta(days=60),
        ),
    )


def make_stage(
    competition: Competition, rubric: Rubric, *, starts_on: dt.date | None = None, **options: object
) -> Stage:
    day = starts_on or competition.starts_on
    return services.stage_create(
        by=None,
        competition=competition,
        data=services.StageData(
            name=f"Vòng {competition.stages.count() + 1}",
            unit=competition.unit,
            starts_on=day,
            ends_on=day + dt.timedelta(days=10),
            rubric=rubric,
            **options,  # type: ignore[arg-type]
        ),
    )


def make_juror(stage: Stage, unit: Unit, *, role: str = "member", person: Person | None = None) -> JuryMember:
    person = person or make_person(home_unit=unit)
    if person.user_id is None:
        person_link_user(by=None, person=person, user=make_user(username=f"juror{next(_counter)}"))
    return services.jury_member_add(by=None, stage=stage, person=person, role=role).obj


def make_entry(competition: Competition, unit: Unit, *, person: Person | None = None, title: str = "") -> Entry:
    return services.entry_create(
        by=None,
        competition=competition,
        data=services.EntryData(
            unit=unit, person=person, title=title or f"Bài dự thi {next(_counter)}", members="Tổ 1"
        ),
    ).obj


@dataclass
class Setup:
    competition: Competition
    rubric: Rubric
    stage: Stage
    jurors: list[JuryMember] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
