"""Setting a judged contest up: competitions, rubrics (versioned), stages, entries, and the
audience's votes typed in for an entry. Staff writes, atomic and audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from lantoa.core.audit import actor_or_none, audit_record, audit_record_many
from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.core.results import Created
from lantoa.judging.audience import selectors as audience_selectors
from lantoa.judging.models import (
    ADVANCE_COUNT_MAX,
    AUDIENCE_VOTES_MAX,
    CRITERIA_MAX,
    DESCRIPTORS_MAX,
    JURORS_PER_ENTRY_MAX,
    MAX_SCORE_MAX,
    REASON_MAX,
    SCORE_SCALE,
    STAGES_MAX,
    TEXT_MAX,
    WEIGHT_MAX,
    Advancement,
    Aggregation,
    Competition,
    CompetitionKind,
    Criterion,
    Entry,
    EntryStage,
    Rubric,
    RubricVersion,
    Stage,
)
from lantoa.judging.services._common import _dates, _materials, _number, _text
from lantoa.org.models import Unit
from lantoa.people.models import Person

# --- Competitions -------------------------------------------------------------------------------


@dataclass
class CompetitionData:
    unit: Unit
    title: str
    kind: str
    starts_on: dt.date
    ends_on: dt.date
    description: str = ""


def competition_create(*, by: Any, data: CompetitionData) -> Competition:
    if data.kind not in CompetitionKind.values:
        raise ValidationFailed(_("Choose a kind of contest."), extra={"field": "kind"})
    _dates(data.starts_on, data.ends_on)
    with transaction.atomic():
        competition = Competition.objects.create(
            unit=data.unit,
            title=_text(data.title, field_name="title", required=True),
            kind=data.kind,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            description=_text(data.description, field_name="description", limit=TEXT_MAX, multiline=True),
        )
        audit_record(action="lantoa.judging.competition.created", by=by, target=competition, unit=data.unit)
    return competition


# --- Rubrics ------------------------------------------------------------------------------------


@dataclass
class CriterionData:
    name: str
    weight: Any
    max_score: Any
    section: str = ""
    descriptors: list[dict[str, Any]] = field(default_factory=list)


def _criteria_rows(criteria: list[CriterionData]) -> list[dict[str, Any]]:
    if not criteria:
        raise ValidationFailed(_("A rubric needs at least one criterion."), extra={"field": "criteria"})
    if len(criteria) > CRITERIA_MAX:
        raise ValidationFailed(
            _("A rubric has at most %(max)s criteria.") % {"max": CRITERIA_MAX}, extra={"field": "criteria"}
        )
    rows = []
    for index, item in enumerate(criteria):
        where = f"criteria.{index}"
        max_score = _number(
            item.max_score, field_name=f"{where}.max_score", low=Decimal(0), high=MAX_SCORE_MAX, low_open=True
        )
        if len(item.descriptors) > DESCRIPTORS_MAX:
            raise ValidationFailed(
                _("A criterion has at most %(max)s level descriptors.") % {"max": DESCRIPTORS_MAX},
                extra={"field": f"{where}.descriptors"},
            )
        descriptors = []
        for number, level in enumerate(item.descriptors):
            score = _number(
                level.get("score"), field_name=f"{where}.descriptors.{number}.score", low=Decimal(0), high=max_score
            )
            text = _text(
                str(level.get("text", "")),
                field_name=f"{where}.descriptors.{number}.text",
                limit=REASON_MAX,
                required=True,
            )
            descriptors.append({"score": str(score), "text": text})
        descriptors.sort(key=lambda level: Decimal(level["score"]), reverse=True)
        rows.append(
            {
                "position": index + 1,
                "section": _text(item.section, field_name=f"{where}.section"),
                "name": _text(item.name, field_name=f"{where}.name", required=True),
                "weight": _number(
                    item.weight, field_name=f"{where}.weight", low=Decimal(0), high=WEIGHT_MAX, low_open=True
                ),
                "max_score": max_score,
                "descriptors": descriptors,
            }
        )
    return rows


def _write_version(rubric: Rubric, rows: list[dict[str, Any]], by: Any) -> RubricVersion:
    number = (rubric.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = RubricVersion.objects.create(rubric=rubric, number=number, created_by=actor_or_none(by))
    Criterion.objects.bulk_create([Criterion(version=version, **row) for row in rows])
    rubric.current = version
    rubric.save(update_fields=["current", "updated_at"])
    return version


def rubric_create(*, by: Any, unit: Unit, name: str, criteria: list[CriterionData]) -> Rubric:
    rows = _criteria_rows(criteria)
    with transaction.atomic():
        rubric = Rubric.objects.create(unit=unit, name=_text(name, field_name="name", required=True))
        _write_version(rubric, rows, by)
        audit_record(action="lantoa.judging.rubric.created", by=by, target=rubric, unit=unit)
    return rubric


def rubric_revise(*, by: Any, rubric: Rubric, criteria: list[CriterionData]) -> RubricVersion:
    """A new version with these criteria; stages set up on an earlier version keep it."""
    rows = _criteria_rows(criteria)
    with transaction.atomic():
        rubric = Rubric.objects.select_for_update().get(pk=rubric.pk)
        version = _write_version(rubric, rows, by)
        audit_record(
            action="lantoa.judging.rubric.revised", by=by, target=rubric, unit=rubric.unit, changed=["criteria"]
        )
    return version


# --- Stages -------------------------------------------------------------------------------------


@dataclass
class StageData:
    name: str
    unit: Unit
    starts_on: dt.date
    ends_on: dt.date
    rubric: Rubric
    aggregation: str = Aggregation.MEAN
    jurors_per_entry: int = 2
    disagreement_margin: Any = None
    audience_weight: Any = Decimal("0")
    tie_criterion_position: int | None = None
    advancement: str = Advancement.NONE
    advance_count: int | None = None
    advance_threshold: Any = None
    blind: bool = False


def stage_create(*, by: Any, competition: Competition, data: StageData) -> Stage:
    """The next stage of ``competition``, on the rubric's current version (kept from then on)."""
    _dates(data.starts_on, data.ends_on)
    if data.blind and competition.kind == CompetitionKind.STAGED:
        raise ValidationFailed(
            _("Blind judging is for written entries: a live or staged performance cannot be judged blind."),
            code="blind_not_offered",
            extra={"field": "blind"},
        )
    if data.aggregation not in Aggregation.values:
        raise ValidationFailed(_("Choose an aggregation rule."), extra={"field": "aggregation"})
    if data.advancement not in Advancement.values:
        raise ValidationFailed(_("Choose how entries advance."), extra={"field": "advancement"})
    if not 1 <= data.jurors_per_entry <= JURORS_PER_ENTRY_MAX:
        raise ValidationFailed(
            _("Between 1 and %(max)s jurors per entry.") % {"max": JURORS_PER_ENTRY_MAX},
            extra={"field": "jurors_per_entry"},
        )
    margin = None
    if data.disagreement_margin is not None:
        margin = _number(data.disagreement_margin, field_name="disagreement_margin", low=Decimal(0), high=SCORE_SCALE)
    audience = _number(data.audience_weight, field_name="audience_weight", low=Decimal(0), high=Decimal(1))
    count = threshold = None
    if data.advancement == Advancement.TOP_N:
        if data.advance_count is None or not 1 <= data.advance_count <= ADVANCE_COUNT_MAX:
            raise ValidationFailed(
                _("Say how many entries advance (1 to %(max)s).") % {"max": ADVANCE_COUNT_MAX},
                extra={"field": "advance_count"},
            )
        count = data.advance_count
    if data.advancement == Advancement.THRESHOLD:
        if data.advance_threshold is None:
            raise ValidationFailed(_("Give the threshold score."), extra={"field": "advance_threshold"})
        threshold = _number(data.advance_threshold, field_name="advance_threshold", low=Decimal(0), high=SCORE_SCALE)
    version = data.rubric.current
    if version is None:
        raise ValidationFailed(_("This rubric has no criteria yet."), extra={"field": "rubric"})
    tie = None
    if data.tie_criterion_position is not None:
        tie = Criterion.objects.filter(version=version, position=data.tie_criterion_position).first()
        if tie is None:
            raise ValidationFailed(_("No such criterion in this rubric."), extra={"field": "tie_criterion"})
    with transaction.atomic():
        competition = Competition.objects.select_for_update().get(pk=competition.pk)
        last = competition.stages.aggregate(last=Max("number"))["last"] or 0
        if last >= STAGES_MAX:
            raise Conflict(_("A contest has at most %(max)s stages.") % {"max": STAGES_MAX})
        previous = competition.stages.filter(number=last).first()
        if previous is not None and data.starts_on < previous.starts_on:
            raise ValidationFailed(
                _("A stage starts no earlier than the stage before it."), extra={"field": "starts_on"}
            )
        stage = Stage.objects.create(
            competition=competition,
            number=last + 1,
            name=_text(data.name, field_name="name", required=True),
            unit=data.unit,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            rubric_version=version,
            aggregation=data.aggregation,
            jurors_per_entry=data.jurors_per_entry,
            disagreement_margin=margin,
            audience_weight=audience,
            tie_criterion=tie,
            advancement=data.advancement,
            advance_count=count,
            advance_threshold=threshold,
            blind=data.blind,
        )
        audit_record(action="lantoa.judging.stage.created", by=by, target=stage, unit=competition.unit)
    return stage


# --- Entries ------------------------------------------------------------------------------------


@dataclass
class EntryData:
    unit: Unit
    title: str
    person: Person | None = None
    members: str = ""
    materials: list[str] = field(default_factory=list)


def _first_stage(competition: Competition) -> Stage:
    stage = competition.stages.order_by("number").first()
    if stage is None:
        raise Conflict(_("Set up the contest's first stage before adding entries."), extra={"field": "stage"})
    return stage


def entry_create(*, by: Any, competition: Competition, data: EntryData) -> Created[Entry]:
    """An entry in the competition's first stage. A person enters a competition once: entering
    them again answers the existing entry (created False)."""
    title = _text(data.title, field_name="title", required=True)
    members = _text(data.members, field_name="members", limit=TEXT_MAX, multiline=True)
    materials = _materials(data.materials)
    if data.person is None and not members and competition.kind != CompetitionKind.STAGED:
        raise ValidationFailed(_("Name the person, or the team's members."), extra={"field": "person"})
    with transaction.atomic():
        stage = _first_stage(competition)
        if data.person is not None:
            existing = Entry.objects.filter(competition=competition, person=data.person).first()
            if existing is not None:
                return Created(existing, False)
        entry = Entry.objects.create(
            competition=competition,
            unit=data.unit,
            person=data.person,
            title=title,
            members=members,
            materials=materials,
        )
        _enter(entry, stage)
        audit_record(action="lantoa.judging.entry.created", by=by, target=entry, unit=data.unit)
    return Created(entry, True)


def _enter(entry: Entry, stage: Stage) -> EntryStage:
    return EntryStage.objects.create(
        entry=entry,
        stage=stage,
        unit_id=entry.unit_id,
        person_id=entry.person_id,
        kind=stage.competition.kind,
        entered_on=stage.starts_on,
    )


def entries_create_many(*, by: Any, competition: Competition, items: list[EntryData]) -> int:
    """Many entries at once (an import, the demo, the benchmark): validated like one, inserted in
    batches, one audit entry per entry."""
    with transaction.atomic():
        stage = _first_stage(competition)
        taken = set(
            Entry.objects.filter(competition=competition, person__isnull=False).values_list("person_id", flat=True)
        )
        rows = []
        for item in items:
            if item.person is not None and item.person.pk in taken:
                continue
            if item.person is not None:
                taken.add(item.person.pk)
            rows.append(
                Entry(
                    competition=competition,
                    unit=item.unit,
                    person=item.person,
                    title=_text(item.title, field_name="title", required=True),
                    members=_text(item.members, field_name="members", limit=TEXT_MAX, multiline=True),
                    materials=_materials(item.materials),
                )
            )
        entries = Entry.objects.bulk_create(rows, batch_size=1000)
        EntryStage.objects.bulk_create(
            [
                EntryStage(
                    entry=entry,
                    stage=stage,
                    unit_id=entry.unit_id,
                    person_id=entry.person_id,
                    kind=competition.kind,
                    entered_on=stage.starts_on,
                )
                for entry in entries
            ],
            batch_size=1000,
        )
        audit_record_many(
            action="lantoa.judging.entry.created", by=by, targets=[(entry, competition.unit) for entry in entries]
        )
    return len(entries)


def audience_votes_record(*, by: Any, row: EntryStage, votes: int) -> EntryStage:
    """The audience's count for an entry in a stage (counted apart from the jury's scores)."""
    if isinstance(votes, bool) or not isinstance(votes, int) or not 0 <= votes <= AUDIENCE_VOTES_MAX:
        raise ValidationFailed(
            _("Enter a whole number between 0 and %(max)s.") % {"max": AUDIENCE_VOTES_MAX},
            extra={"field": "votes"},
        )
    if audience_selectors.has_poll(row.stage):
        raise Conflict(
            _("This stage has an electronic audience vote: its count comes from the votes cast."),
            code="electronic_vote",
        )
    with transaction.atomic():
        changed = row.audience_votes != votes
        row.audience_votes = votes
        row.save(update_fields=["audience_votes"])
        if changed:
            audit_record(
                action="lantoa.judging.votes.recorded",
                by=by,
                target=row.entry,
                unit=row.unit,
                changed=["audience_votes"],
            )
    return row
