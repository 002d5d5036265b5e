"""Writes for judged contests: competitions, rubrics (versioned), stages, entries, juries,
declared conflicts, assignment, scoring, submission and reopening, results and advancing.

Every write is atomic and audited (staff writes); services that may find their record already
there return :class:`~lantoa.core.results.Created`. The arithmetic lives in
:mod:`lantoa.judging.scoring`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.core.audit import actor_or_none, audit_record, audit_record_many
from lantoa.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lantoa.core.results import Created
from lantoa.core.rows import insert_values
from lantoa.core.text import clean_text
from lantoa.judging import scoring
from lantoa.judging.audience import selectors as audience_selectors
from lantoa.judging.models import (
    ADVANCE_COUNT_MAX,
    AUDIENCE_VOTES_MAX,
    CRITERIA_MAX,
    DESCRIPTORS_MAX,
    JURORS_PER_ENTRY_MAX,
    MATERIALS_MAX,
    MAX_SCORE_MAX,
    REASON_MAX,
    SCORE_SCALE,
    SCORING_ROLES,
    STAGES_MAX,
    TEXT_MAX,
    TITLE_MAX,
    URL_MAX,
    WEIGHT_MAX,
    Advancement,
    Aggregation,
    AudienceVote,
    Competition,
    CompetitionKind,
    Criterion,
    DeclaredConflict,
    Entry,
    EntryStage,
    JuryMember,
    JuryRole,
    ResultsWithdrawal,
    Rubric,
    RubricVersion,
    Score,
    ScoreSheet,
    SheetReopening,
    Stage,
)
from lantoa.judging.selectors import stage_conflicts, stage_criteria
from lantoa.org.models import Unit
from lantoa.people.models import Person

TWO = Decimal("0.01")


def _text(
    value: str, *, field_name: str, limit: int = TITLE_MAX, required: bool = False, multiline: bool = False
) -> str:
    text = clean_text(value, multiline=multiline)
    if required and not text:
        raise ValidationFailed(_("This field is required."), extra={"field": field_name})
    if len(text) > limit:
        raise ValidationFailed(
            _("This text is longer than %(max)s characters.") % {"max": limit}, extra={"field": field_name}
        )
    return text


def _number(value: Any, *, field_name: str, low: Decimal, high: Decimal, low_open: bool = False) -> Decimal:
    """A finite decimal with two places within [low, high] (or (low, high])."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        number = Decimal("NaN")
    if not number.is_finite() or number < low or number > high or (low_open and number == low):
        raise ValidationFailed(
            _("Enter a number between %(low)s and %(high)s.") % {"low": low, "high": high},
            extra={"field": field_name, "min": str(low), "max": str(high)},
        )
    if number != number.quantize(TWO):
        raise ValidationFailed(_("Use at most two decimal places."), extra={"field": field_name})
    return number.quantize(TWO)


def _dates(starts_on: dt.date, ends_on: dt.date) -> None:
    if ends_on < starts_on:
        raise ValidationFailed(_("The end date is before the start date."), extra={"field": "ends_on"})


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


def _materials(links: list[str]) -> list[str]:
    if len(links) > MATERIALS_MAX:
        raise ValidationFailed(_("At most %(max)s links.") % {"max": MATERIALS_MAX}, extra={"field": "materials"})
    cleaned = []
    for index, link in enumerate(links):
        text = _text(link, field_name=f"materials.{index}", limit=URL_MAX, required=True)
        if not text.startswith(("https://", "http://")):
            raise ValidationFailed(_("A link starts with https:// or http://."), extra={"field": f"materials.{index}"})
        cleaned.append(text)
    return cleaned


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


# --- Juries and conflicts -----------------------------------------------------------------------


def jury_member_add(
    *, by: Any, stage: Stage, person: Person, role: str = JuryRole.MEMBER, unit: Unit | None = None
) -> Created[JuryMember]:
    """A person of the outreach network on the stage's jury; they sign in with their account.
    Their unit (for conflicts) is the person's home unit unless another is named."""
    if role not in JuryRole.values:
        raise ValidationFailed(_("Choose a role on the jury."), extra={"field": "role"})
    if person.user_id is None:
        raise ValidationFailed(
            _("%(person)s has no user account; link one before adding them to a jury.") % {"person": person},
            extra={"field": "person"},
        )
    with transaction.atomic():
        existing = JuryMember.objects.filter(stage=stage, person=person).first()
        if existing is not None:
            return Created(existing, False)
        if role == JuryRole.CHAIR and stage.jurors.filter(role=JuryRole.CHAIR).exists():
            raise Conflict(_("This stage's jury already has a chair."), extra={"field": "role"})
        juror = JuryMember.objects.create(
            stage=stage, person=person, user_id=person.user_id, unit=unit or person.home_unit, role=role
        )
        audit_record(action="lantoa.judging.juror.added", by=by, target=juror, unit=stage.competition.unit)
    return Created(juror, True)


def conflict_declare(
    *, by: Any, person: Person, entry: Entry, declared_by: str, reason: str = ""
) -> Created[DeclaredConflict]:
    """A juror (or an entrant) declares that ``person`` should not score ``entry``. A sheet not
    yet submitted for them is withdrawn; a submitted one stays for the chair to judge."""
    if declared_by not in DeclaredConflict.DeclaredBy.values:
        raise ValidationFailed(_("Say who declares the conflict."), extra={"field": "declared_by"})
    reason = _text(reason, field_name="reason", limit=REASON_MAX)
    with transaction.atomic():
        existing = DeclaredConflict.objects.filter(person=person, entry=entry).first()
        if existing is not None:
            return Created(existing, False)
        conflict = DeclaredConflict.objects.create(person=person, entry=entry, declared_by=declared_by, reason=reason)
        ScoreSheet.objects.filter(entry=entry, juror__person=person, status=ScoreSheet.Status.OPEN).delete()
        audit_record(action="lantoa.judging.conflict.declared", by=by, target=entry, unit=entry.unit)
    return Created(conflict, True)


# --- Assignment ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssignmentResult:
    created: int
    loads: dict[int, int]


def stage_assign(*, by: Any, stage: Stage) -> AssignmentResult:
    """Give every entry of the stage ``jurors_per_entry`` scoring jurors, none in conflict, the
    loads balanced (within one sheet, counting sheets already there). Entries that already have
    their jurors are left as they are; running it again creates nothing."""
    with transaction.atomic():
        stage = Stage.objects.select_for_update().get(pk=stage.pk)
        jurors = list(stage.jurors.filter(role__in=SCORING_ROLES).order_by("pk").values_list("pk", flat=True))
        if not jurors:
            raise Conflict(_("Add the jury's scoring members before assigning entries."))
        entries = list(EntryStage.objects.filter(stage=stage).order_by("entry_id").values_list("entry_id", flat=True))
        already: dict[int, set[int]] = defaultdict(set)
        loads: dict[int, int] = defaultdict(int)
        for entry_id, juror_id in ScoreSheet.objects.filter(stage=stage, is_extra=False).values_list(
            "entry_id", "juror_id"
        ):
            already[entry_id].add(juror_id)
        for juror_id, count in ScoreSheet.objects.filter(stage=stage).values_list("juror_id").annotate(n=Count("pk")):
            loads[juror_id] = count
        conflicts = stage_conflicts(stage)
        try:
            plan = scoring.assign(entries, jurors, stage.jurors_per_entry, conflicts, loads=loads, already=already)
        except scoring.AssignmentImpossible as refused:
            raise Conflict(
                _("An entry has only %(n)s jurors without a conflict of interest; %(k)s are needed. Add jurors.")
                % {"n": refused.available, "k": stage.jurors_per_entry},
                code="assignment_impossible",
                extra={"entry": refused.entry},
            ) from refused
        created = _insert_sheets(stage, plan)
        for chosen in plan.values():
            for juror_id in chosen:
                loads[juror_id] += 1
        if created:
            audit_record(action="lantoa.judging.stage.assigned", by=by, target=stage, unit=stage.competition.unit)
    return AssignmentResult(created, {juror: loads.get(juror, 0) for juror in jurors})


def _insert_sheets(stage: Stage, plan: dict[int, list[int]]) -> int:
    """The new open sheets of an assignment, written without a model instance per row: on
    PostgreSQL one ``INSERT … SELECT`` over two arrays (entries, jurors), elsewhere plain tuples
    in one ``executemany`` (:func:`lantoa.core.rows.insert_values`). For 200,000 sheets,
    ``bulk_create``'s instances and statements cost more than the writing. Nothing listens to
    the sheets' ``post_save``; every row gets the same timestamps, prepared once."""
    stamp = ScoreSheet._meta.get_field("created_at").get_db_prep_value(timezone.now(), connection)
    status = ScoreSheet.Status.OPEN.value
    pairs = [(entry_id, juror_id) for entry_id, chosen in plan.items() for juror_id in chosen]
    if not pairs:
        return 0
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(ScoreSheet._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} "  # noqa: S608 - the model's own table and columns
                "(stage_id, entry_id, juror_id, status, is_extra, created_at, updated_at) "
                "SELECT %s, v.entry_id, v.juror_id, %s, false, %s, %s "
                "FROM unnest(string_to_array(%s, ',')::bigint[], string_to_array(%s, ',')::bigint[]) "
                "AS v(entry_id, juror_id)",
                [stage.pk, status, stamp, stamp, _text_array(p[0] for p in pairs), _text_array(p[1] for p in pairs)],
            )
    else:
        insert_values(
            ScoreSheet,
            ("stage", "entry", "juror", "status", "is_extra", "created_at", "updated_at"),
            [(stage.pk, entry_id, juror_id, status, False, stamp, stamp) for entry_id, juror_id in pairs],
        )
    return len(pairs)


# --- Scoring ------------------------------------------------------------------------------------


def _own_open_sheet(by: Any, sheet: ScoreSheet) -> ScoreSheet:
    locked = ScoreSheet.objects.select_for_update().select_related("juror", "stage").filter(pk=sheet.pk).first()
    if locked is None or locked.juror.user_id != getattr(by, "pk", None):
        raise NotFound(_("No such score sheet."), extra={"id": sheet.pk})
    if locked.is_locked:
        raise Conflict(
            _("This score sheet is submitted and locked; the jury's chair can reopen it."), code="sheet_locked"
        )
    return locked


def score_save(*, by: Any, sheet: ScoreSheet, criterion_id: int, value: Any) -> Created[Score]:
    """One criterion's score, saved as the juror goes. Between 0 and the criterion's maximum,
    at most two decimals; on a sheet assigned to ``by`` and not yet submitted."""
    with transaction.atomic():
        sheet = _own_open_sheet(by, sheet)
        criterion = Criterion.objects.filter(pk=criterion_id, version_id=sheet.stage.rubric_version_id).first()
        if criterion is None:
            raise ValidationFailed(_("No such criterion on this sheet."), extra={"field": "criterion"})
        number = _number(value, field_name=f"criterion_{criterion.pk}", low=Decimal(0), high=criterion.max_score)
        score, created = Score.objects.update_or_create(sheet=sheet, criterion=criterion, defaults={"value": number})
    return Created(score, created)


def sheet_submit(*, by: Any, sheet: ScoreSheet) -> ScoreSheet:
    """Submit and lock: every criterion must be scored. When the entry's submitted totals then
    differ by more than the stage's margin, one extra juror is assigned (once per entry)."""
    with transaction.atomic():
        sheet = _own_open_sheet(by, sheet)
        return _submit(by, sheet, stage_criteria(sheet.stage))


def _submit(by: Any, sheet: ScoreSheet, criteria: list[Criterion]) -> ScoreSheet:
    scores = {score.criterion_id: score.value for score in sheet.scores.all()}
    missing = [criterion.name for criterion in criteria if criterion.pk not in scores]
    if missing:
        raise ValidationFailed(
            _("Score every criterion before submitting: %(names)s.") % {"names": ", ".join(missing)},
            code="sheet_incomplete",
            extra={"missing": missing},
        )
    sheet.total = scoring.sheet_total(scoring.CriterionScore(scores[c.pk], c.max_score, c.weight) for c in criteria)
    sheet.status = ScoreSheet.Status.SUBMITTED
    sheet.submitted_at = timezone.now()
    sheet.save(update_fields=["total", "status", "submitted_at", "updated_at"])
    audit_record(action="lantoa.judging.sheet.submitted", by=by, target=sheet, unit=sheet.stage.unit)
    _maybe_extra_juror(sheet.stage, sheet.entry_id)
    return sheet


def sheet_record(*, by: Any, sheet: ScoreSheet, values: dict[int, Any]) -> ScoreSheet:
    """A whole paper sheet typed in at once (criterion id → score) and submitted: by the juror,
    by the stage's secretary, or by the system (``by=None``: an import, the demo). Every value
    is checked before anything is written."""
    with transaction.atomic():
        locked = ScoreSheet.objects.select_for_update().select_related("juror", "stage").filter(pk=sheet.pk).first()
        if locked is None or not _may_record(by, locked):
            raise NotFound(_("No such score sheet."), extra={"id": sheet.pk})
        if locked.is_locked:
            raise Conflict(
                _("This score sheet is submitted and locked; the jury's chair can reopen it."), code="sheet_locked"
            )
        criteria = stage_criteria(locked.stage)
        known = {criterion.pk for criterion in criteria}
        if set(values) - known:
            raise ValidationFailed(_("No such criterion on this sheet."), extra={"field": "criterion"})
        checked = {
            c.pk: _number(values[c.pk], field_name=f"criterion_{c.pk}", low=Decimal(0), high=c.max_score)
            for c in criteria
            if c.pk in values
        }
        Score.objects.filter(sheet=locked, criterion_id__in=list(checked)).delete()
        Score.objects.bulk_create([Score(sheet=locked, criterion_id=pk, value=value) for pk, value in checked.items()])
        return _submit(by, locked, criteria)


def _may_record(by: Any, sheet: ScoreSheet) -> bool:
    if by is None:
        return True
    user_id = getattr(by, "pk", None)
    if sheet.juror.user_id == user_id:
        return True
    return sheet.stage.jurors.filter(user_id=user_id or 0, role=JuryRole.SECRETARY).exists()


def _maybe_extra_juror(stage: Stage, entry_id: int) -> ScoreSheet | None:
    sheets = list(
        ScoreSheet.objects.filter(stage=stage, entry_id=entry_id).values_list("juror_id", "status", "total", "is_extra")
    )
    if any(is_extra for *_rest, is_extra in sheets):
        return None
    totals = [
        float(total) for _j, status, total, _e in sheets if status == ScoreSheet.Status.SUBMITTED and total is not None
    ]
    margin = float(stage.disagreement_margin) if stage.disagreement_margin is not None else None
    if not scoring.disagreement(totals, margin):
        return None
    jurors = list(stage.jurors.filter(role__in=SCORING_ROLES).order_by("pk").values_list("pk", flat=True))
    loads = dict(ScoreSheet.objects.filter(stage=stage).values_list("juror_id").annotate(n=Count("pk")))
    conflicted = stage_conflicts(stage, entry_ids=[entry_id]).get(entry_id, set())
    chosen = scoring.extra_juror(jurors, loads, {juror for juror, *_rest in sheets}, conflicted)
    if chosen is None:
        return None
    return ScoreSheet.objects.create(stage=stage, entry_id=entry_id, juror_id=chosen, is_extra=True)


def sheet_reopen(*, by: Any, sheet: ScoreSheet, reason: str) -> ScoreSheet:
    """The stage's chair reopens a submitted sheet, saying why (kept, and audited)."""
    reason = _text(reason, field_name="reason", limit=REASON_MAX, required=True)
    with transaction.atomic():
        sheet = ScoreSheet.objects.select_for_update().select_related("stage").get(pk=sheet.pk)
        chair = sheet.stage.jurors.filter(role=JuryRole.CHAIR).values_list("user_id", flat=True).first()
        if chair is None or chair != getattr(by, "pk", None):
            raise PermissionDenied(_("Only the jury's chair can reopen a score sheet."))
        if not sheet.is_locked:
            raise Conflict(_("This score sheet is not submitted."), code="sheet_open")
        sheet.status = ScoreSheet.Status.OPEN
        sheet.total = None
        sheet.submitted_at = None
        sheet.save(update_fields=["status", "total", "submitted_at", "updated_at"])
        SheetReopening.objects.create(sheet=sheet, by=actor_or_none(by), reason=reason)
        audit_record(
            action="lantoa.judging.sheet.reopened", by=by, target=sheet, unit=sheet.stage.unit, changed=["status"]
        )
    return sheet


# --- Results and advancing ----------------------------------------------------------------------


def stage_results_compute(*, by: Any, stage: Stage) -> int:
    """Score and rank the stage's entries from the submitted sheets by the stage's rule (with
    the audience component), writing each entry's score and rank. Entries without a submitted
    sheet get neither. Returns the number ranked."""
    with transaction.atomic():
        stage = Stage.objects.select_for_update().get(pk=stage.pk)
        if stage.results_published_at is not None:
            raise Conflict(
                _("The results are published: the chair withdraws them before they are computed again."),
                code="results_published",
            )
        scores: dict[int, dict[int, float]] = defaultdict(dict)
        for entry_id, juror_id, total in _submitted_totals(stage):
            scores[entry_id][juror_id] = total
        jury = scoring.aggregate(scores, stage.aggregation)
        rows: dict[int, int] = {}
        votes: dict[int, int] = {}
        for row_id, entry_id, audience in EntryStage.objects.filter(stage=stage).values_list(
            "pk", "entry_id", "audience_votes"
        ):
            rows[entry_id] = row_id
            votes[entry_id] = audience or 0
        if audience_selectors.has_poll(stage):
            # The electronic vote's counts replace the typed ones, and are kept on the rows.
            votes = _counted_votes(stage, rows)
        final = scoring.with_audience(jury, votes, float(stage.audience_weight))
        tie = _tie_break_values(stage, list(final)) if stage.tie_criterion_id else None
        ranked = scoring.rank(final, tie)
        places = dict(ranked)
        _write_results(
            (
                scoring.quantize(final[entry_id]) if entry_id in final else None,
                places.get(entry_id),
                row_id,
            )
            for entry_id, row_id in rows.items()
        )
        stage.results_computed_at = timezone.now()
        stage.save(update_fields=["results_computed_at", "updated_at"])
        audit_record(action="lantoa.judging.stage.results", by=by, target=stage, unit=stage.competition.unit)
    return len(ranked)


def _counted_votes(stage: Stage, rows: dict[int, int]) -> dict[int, int]:
    """The audience vote's count per entry (decision 0030), also written to each entry's row
    (one grouped query, one UPDATE)."""
    counted = audience_selectors.vote_counts(stage)
    per_entry = (
        AudienceVote.objects.filter(stage=stage, entry_id=OuterRef("entry_id"))
        .order_by()
        .values("entry_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    EntryStage.objects.filter(stage=stage).update(audience_votes=Coalesce(Subquery(per_entry), 0))
    return {entry_id: counted.get(entry_id, 0) for entry_id in rows}


def _submitted_totals(stage: Stage) -> list[tuple[int, int, float]]:
    """(entry, juror, total) of the stage's submitted sheets, the totals read as floats by the
    database: the ORM's row objects and a ``Decimal`` per total cost more than the reading."""
    table = connection.ops.quote_name(ScoreSheet._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT entry_id, juror_id, CAST(total AS DOUBLE PRECISION) FROM {table} "  # noqa: S608 - own table
            "WHERE stage_id = %s AND status = %s AND total IS NOT NULL",
            [stage.pk, ScoreSheet.Status.SUBMITTED.value],
        )
        return cursor.fetchall()


def _text_array(values: Iterable[object], *, nullable: bool = False) -> str:
    # Numbers (or nothing) joined for ``string_to_array``: one text parameter instead of an
    # array adapted element by element, which costs seconds for 100,000 values.
    if nullable:
        return ",".join("" if value is None else str(value) for value in values)
    return ",".join(map(str, values))


def _write_results(values: Iterable[tuple[Decimal | None, int | None, int]]) -> None:
    """Each entry's score and rank, by primary key: on PostgreSQL one UPDATE joined to the
    values (sent as three texts split by the server), elsewhere one prepared UPDATE run for
    every row. ``bulk_update`` builds a CASE arm per row, which takes minutes for 100,000
    entries. Rows whose score and rank are already those are not written again."""
    table = connection.ops.quote_name(EntryStage._meta.db_table)
    rows = list(values)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement: no round trip per row; an empty item of the texts is NULL.
            cursor.execute(
                f"UPDATE {table} AS t SET score = v.score, rank = v.rank "  # noqa: S608 - the model's own table
                "FROM unnest(string_to_array(%s, ',', '')::numeric[], string_to_array(%s, ',', '')::integer[], "
                "string_to_array(%s, ',')::bigint[]) AS v(score, rank, id) "
                "WHERE t.id = v.id AND (t.score IS DISTINCT FROM v.score OR t.rank IS DISTINCT FROM v.rank)",
                [_text_array((row[0] for row in rows), nullable=True),
                 _text_array((row[1] for row in rows), nullable=True), _text_array(row[2] for row in rows)],
            )  # fmt: skip
        else:
            sql = f"UPDATE {table} SET score = %s, rank = %s WHERE id = %s"  # noqa: S608 - the model's own table
            cursor.executemany(sql, rows)


def _tie_break_values(stage: Stage, entry_ids: list[int]) -> dict[int, float]:
    """The mean submitted score on the declared tie-break criterion, per entry."""
    rows = Score.objects.filter(
        sheet__stage=stage, sheet__status=ScoreSheet.Status.SUBMITTED, criterion__pk=stage.tie_criterion_id or 0
    ).values_list("sheet__entry_id", "value")
    found: dict[int, list[float]] = defaultdict(list)
    for entry_id, value in rows.iterator(chunk_size=5000):
        found[entry_id].append(float(value))
    return {entry_id: scoring.mean(values) for entry_id, values in found.items()}


def stage_advance(*, by: Any, stage: Stage) -> Created[list[EntryStage]]:
    """Those who advance by the stage's rule enter the next stage (their rows here are marked).
    Needs computed results; answers created False when they had already advanced."""
    with transaction.atomic():
        stage = Stage.objects.select_for_update().select_related("competition").get(pk=stage.pk)
        following = (
            Stage.objects.filter(competition=stage.competition, number__gt=stage.number).order_by("number").first()
        )
        if following is None or stage.advancement == Advancement.NONE:
            raise Conflict(_("Nothing advances from this stage: it is the last, or has no advancement rule."))
        if stage.results_computed_at is None:
            raise Conflict(_("Compute the stage's results first."), code="results_missing")
        rows = list(EntryStage.objects.filter(stage=stage, score__isnull=False).select_related("entry"))
        scores = {row.entry_id: float(row.score) for row in rows if row.score is not None}
        ranked = sorted(((row.entry_id, row.rank or 0) for row in rows), key=lambda pair: pair[1])
        chosen = set(
            scoring.advancing(
                ranked,
                scores,
                rule=stage.advancement,
                count=stage.advance_count,
                threshold=float(stage.advance_threshold) if stage.advance_threshold is not None else None,
            )
        )
        present = set(EntryStage.objects.filter(stage=following).values_list("entry_id", flat=True))
        created = []
        for row in rows:
            if row.entry_id in chosen:
                row.advanced = True
                if row.entry_id not in present:
                    created.append(_enter(row.entry, following))
        EntryStage.objects.bulk_update(rows, ["advanced"], batch_size=2000)
        if created:
            audit_record(action="lantoa.judging.stage.advanced", by=by, target=stage, unit=stage.competition.unit)
    return Created(created, bool(created))


def prize_award(*, by: Any, row: EntryStage, prize: str) -> EntryStage:
    text = _text(prize, field_name="prize")
    with transaction.atomic():
        row.prize = text
        row.save(update_fields=["prize"])
        audit_record(action="lantoa.judging.prize.awarded", by=by, target=row.entry, unit=row.unit, changed=["prize"])
    return row


def stage_publish(*, by: Any, stage: Stage) -> Stage:
    """The chair approves the stage's computed results and publishes them (with the date and
    who); publishing published results changes nothing."""
    with transaction.atomic():
        stage = Stage.objects.select_for_update().select_related("competition__unit").get(pk=stage.pk)
        if stage.results_computed_at is None:
            raise Conflict(_("Compute the results before publishing them."), code="results_not_computed")
        if stage.results_published_at is not None:
            return stage
        stage.results_published_at = timezone.now()
        stage.results_published_by = actor_or_none(by)
        stage.save(update_fields=["results_published_at", "results_published_by", "updated_at"])
        audit_record(
            action="lantoa.judging.stage.published",
            by=by,
            target=stage,
            unit=stage.competition.unit,
            changed=["results_published_at"],
        )
    return stage


def stage_unpublish(*, by: Any, stage: Stage, reason: str) -> Stage:
    """The chair withdraws published results, giving the reason (kept with the stage)."""
    text = _text(reason, field_name="reason", limit=REASON_MAX, required=True)
    with transaction.atomic():
        stage = Stage.objects.select_for_update().select_related("competition__unit").get(pk=stage.pk)
        if stage.results_published_at is None:
            raise Conflict(_("The results are not published."), code="results_not_published")
        ResultsWithdrawal.objects.create(
            stage=stage, by=actor_or_none(by), reason=text, published_at=stage.results_published_at
        )
        stage.results_published_at = None
        stage.results_published_by = None
        stage.save(update_fields=["results_published_at", "results_published_by", "updated_at"])
        audit_record(
            action="lantoa.judging.stage.unpublished",
            by=by,
            target=stage,
            unit=stage.competition.unit,
            changed=["results_published_at", "reason"],
        )
    return stage


def stage_certificates(*, by: Any, stage: Stage) -> bytes:
    """The certificates of the stage's prize winners as one PDF, a page each, in rank order
    (409 ``results_not_computed`` before the results, ``no_prizes`` when no prize is awarded).
    The download carries names of people, so it is audited like other exports of them."""
    from lantoa.judging import certificates

    if stage.results_computed_at is None:
        raise Conflict(_("Compute the results before printing certificates."), code="results_not_computed")
    rows = list(
        EntryStage.objects.filter(stage=stage)
        .exclude(prize="")
        .select_related("entry__person", "entry__unit", "unit")
        .order_by("rank", "entry__title", "pk")
    )
    if not rows:
        raise Conflict(_("No prize is awarded in this stage."), code="no_prizes")
    chair = JuryMember.objects.filter(stage=stage, role=JuryRole.CHAIR).select_related("person").order_by("pk").first()
    data = certificates.draw(
        stage=stage,
        certificates=certificates.certificates_of(rows, stage),
        chair=chair,
        issuer=stage.unit.name,
        day=certificates.certificate_day(stage),
    )
    audit_record(action="lantoa.judging.certificates.printed", by=by, target=stage, unit=stage.competition.unit)
    return data
