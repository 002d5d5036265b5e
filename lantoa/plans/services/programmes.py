"""Programmes, their deadlines, tasks and progress."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils.translation import gettext as _

from lantoa.core.audit import actor_or_none, audit_record
from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.core.indicators import FIGURE_MAX, get_indicator
from lantoa.core.text import clean_text
from lantoa.org.models import Tier, Unit
from lantoa.org.selectors import ancestor_ids, subtree_ids, today
from lantoa.plans.models import (
    ROLE_MAX,
    TASKS_MAX,
    TEXT_MAX,
    TITLE_MAX,
    UPDATES_MAX,
    URL_MAX,
    ActionProgramme,
    IssueRequirement,
    ProgrammeTask,
    ProgressUpdate,
)
from lantoa.plans.services._common import _text, party_number

# --- Issue requirements --------------------------------------------------------------------------


def _tier_of(unit: Unit) -> int:
    return unit.kind.tier_id


def _requirement_for(programme_unit: Unit, document_id: int) -> IssueRequirement | None:
    """The requirement that applies to a programme of ``programme_unit`` for the document: one set
    by a unit above it (on the day it was due) for its tier; the nearest such unit's wins."""
    candidates = (
        IssueRequirement.objects.filter(document_id=document_id, tier_id=_tier_of(programme_unit))
        .exclude(unit=programme_unit)
        .select_related("unit__kind__tier")
        .order_by("-unit__kind__tier__rank", "pk")
    )
    for requirement in candidates:
        if ancestor_ids([programme_unit.pk], as_of=requirement.due_on).filter(ancestor_id=requirement.unit_id).exists():
            return requirement
    return None


@transaction.atomic
def requirement_set(
    *, by: Any, unit: Unit, document: Any, tier: Tier, due_on: dt.date, note: str = ""
) -> IssueRequirement:
    """``unit`` asks the units of ``tier`` beneath it to issue their programme for ``document``
    by ``due_on``. Setting it again changes the date. Programmes already issued are judged again."""
    note = _text(note, field="note", limit=TEXT_MAX, required=False, multiline=True)
    if tier.rank <= unit.kind.tier.rank:
        raise ValidationFailed(_("Choose a tier below the unit's own."), code="tier_not_below", extra={"field": "tier"})
    if document.issued_on and due_on < document.issued_on:
        raise ValidationFailed(
            _("The deadline comes before the document was issued."),
            code="due_before_document",
            extra={"field": "due_on"},
        )
    requirement, created = IssueRequirement.objects.get_or_create(
        unit=unit,
        document=document,
        tier=tier,
        defaults={"due_on": due_on, "note": note, "created_by": actor_or_none(by)},
    )
    changed = ["due_on", "note", "tier", "document"]
    if not created:
        changed = [name for name, value in (("due_on", due_on), ("note", note)) if getattr(requirement, name) != value]
        requirement.due_on, requirement.note = due_on, note
        requirement.save(update_fields=["due_on", "note", "updated_at"])
    # Programmes of the units of that tier beneath ``unit`` on the deadline are judged against it.
    beneath = subtree_ids(unit.pk, as_of=due_on)
    programmes = ActionProgramme.objects.filter(
        document=document, origin_unit__in=beneath, origin_unit__kind__tier=tier
    ).exclude(origin_unit=unit)
    programmes.filter(issued_on__lte=due_on).update(on_time=True)
    programmes.filter(issued_on__gt=due_on).update(on_time=False)
    audit_record(
        action="lantoa.plans.requirement.created" if created else "lantoa.plans.requirement.updated",
        by=by,
        target=requirement,
        unit=unit,
        changed=changed,
    )
    return requirement


# --- Programmes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeData:
    unit: Unit
    document: Any
    title: str
    decision_number: str
    issued_on: dt.date


@transaction.atomic
def programme_create(*, by: Any, data: ProgrammeData) -> ActionProgramme:
    title = _text(data.title, field="title", limit=TITLE_MAX)
    number = party_number(data.decision_number)
    if data.unit.closed_on and data.issued_on >= data.unit.closed_on:
        raise ValidationFailed(
            _("%(unit)s was closed before that date.") % {"unit": data.unit.name},
            code="unit_closed",
            extra={"field": "issued_on"},
        )
    if data.document.issued_on and data.issued_on < data.document.issued_on:
        raise ValidationFailed(
            _("A programme cannot be issued before the document it carries out."),
            code="issued_before_document",
            extra={"field": "issued_on"},
        )
    if ActionProgramme.objects.filter(origin_unit=data.unit, decision_number=number).exists():
        raise Conflict(
            _("%(unit)s already has a programme numbered %(number)s.") % {"unit": data.unit.name, "number": number},
            code="duplicate_number",
            extra={"field": "decision_number"},
        )
    requirement = _requirement_for(data.unit, data.document.pk)
    on_time = None if requirement is None else data.issued_on <= requirement.due_on
    try:
        with transaction.atomic():
            programme = ActionProgramme.objects.create(
                unit=data.unit,
                origin_unit=data.unit,
                document=data.document,
                title=title,
                decision_number=number,
                issued_on=data.issued_on,
                on_time=on_time,
                created_by=actor_or_none(by),
            )
    except IntegrityError as error:
        raise Conflict(_("This programme was recorded already."), code="duplicate_number") from error
    audit_record(
        action="lantoa.plans.programme.created",
        by=by,
        target=programme,
        unit=data.unit,
        changed=["document", "title", "decision_number", "issued_on"],
    )
    return programme


@dataclass(frozen=True)
class TaskData:
    title: str
    starts_on: dt.date
    due_on: dt.date
    owner_unit: Unit | None = None
    owner_role: str = ""
    expected_result: str = ""
    indicator: str = ""
    target_value: Decimal | None = None


@transaction.atomic
def task_add(*, by: Any, programme: ActionProgramme, data: TaskData) -> ProgrammeTask:
    title = _text(data.title, field="title", limit=TITLE_MAX)
    role = _text(data.owner_role, field="owner_role", limit=ROLE_MAX, required=False)
    expected = _text(data.expected_result, field="expected_result", limit=TEXT_MAX, required=False, multiline=True)
    if data.owner_unit is None and not role:
        raise ValidationFailed(
            _("Name the unit or the role that carries out the task."),
            code="owner_required",
            extra={"field": "owner_role"},
        )
    if data.due_on < data.starts_on:
        raise ValidationFailed(
            _("The deadline comes before the start."), code="due_before_start", extra={"field": "due_on"}
        )
    code = clean_text(data.indicator)
    if code and get_indicator(code) is None:
        raise ValidationFailed(
            _("No indicator with code %(code)s.") % {"code": code[:80]},
            code="unknown_indicator",
            extra={"field": "indicator"},
        )
    target = data.target_value
    if target is not None:
        if not code:
            raise ValidationFailed(
                _("A target needs an indicator to read it from."),
                code="target_without_indicator",
                extra={"field": "indicator"},
            )
        if not target.is_finite() or target < 0 or target > FIGURE_MAX:
            raise ValidationFailed(
                _("The target must lie between 0 and %(max)s.") % {"max": FIGURE_MAX},
                code="out_of_range",
                extra={"field": "target_value"},
            )
    ActionProgramme.objects.select_for_update().filter(pk=programme.pk).first()
    existing = programme.tasks.aggregate(last=Max("position"), count=Count("pk"))
    if (existing["count"] or 0) >= TASKS_MAX:
        raise ValidationFailed(
            _("A programme holds at most %(limit)d tasks.") % {"limit": TASKS_MAX}, code="too_many_tasks"
        )
    task = ProgrammeTask.objects.create(
        programme=programme,
        position=(existing["last"] or 0) + 1,
        title=title,
        owner_unit=data.owner_unit,
        owner_role=role,
        counted_unit=data.owner_unit or programme.unit,
        starts_on=data.starts_on,
        due_on=data.due_on,
        expected_result=expected,
        indicator=code,
        target_value=target,
    )
    audit_record(
        action="lantoa.plans.task.added",
        by=by,
        target=task,
        unit=programme.unit,
        changed=[name for name in ("title", "owner_unit", "owner_role", "starts_on", "due_on", "expected_result",
                                   "indicator", "target_value") if getattr(task, name) not in ("", None)],
    )  # fmt: skip
    return task


@dataclass(frozen=True)
class UpdateData:
    percent: int
    recorded_on: dt.date
    note: str = ""
    conference: Any = None
    document: Any = None
    url: str = ""


@transaction.atomic
def progress_record(*, by: Any, task: ProgrammeTask, data: UpdateData) -> ProgressUpdate:
    """Append one update; the task keeps its latest percentage (by the day recorded)."""
    if isinstance(data.percent, bool) or not isinstance(data.percent, int) or not 0 <= data.percent <= 100:
        raise ValidationFailed(
            _("The percentage done lies between 0 and 100."), code="out_of_range", extra={"field": "percent"}
        )
    note = _text(data.note, field="note", limit=TEXT_MAX, required=False, multiline=True)
    url = clean_text(data.url)
    if len(url) > URL_MAX:
        raise ValidationFailed(_("At most %(limit)d characters.") % {"limit": URL_MAX}, code="too_long",
                               extra={"field": "url"})  # fmt: skip
    if url and not re.match(r"^https?://[^\s/]+\S*$", url):
        raise ValidationFailed(_("Enter a link starting with http:// or https://."), code="invalid_url",
                               extra={"field": "url"})  # fmt: skip
    if data.recorded_on > today() + dt.timedelta(days=1):
        raise ValidationFailed(_("Progress cannot be reported for a day to come."), code="date_in_future",
                               extra={"field": "recorded_on"})  # fmt: skip
    if data.recorded_on < task.starts_on - dt.timedelta(days=366):
        raise ValidationFailed(_("That date is long before the task starts."), code="date_out_of_range",
                               extra={"field": "recorded_on"})  # fmt: skip
    locked = ProgrammeTask.objects.select_for_update().get(pk=task.pk)
    if locked.updates.count() >= UPDATES_MAX:
        raise ValidationFailed(_("A task holds at most %(limit)d updates.") % {"limit": UPDATES_MAX},
                               code="too_many_updates")  # fmt: skip
    update = ProgressUpdate.objects.create(
        task=locked,
        percent=data.percent,
        note=note,
        recorded_on=data.recorded_on,
        conference=data.conference,
        document=data.document,
        url=url,
        created_by=actor_or_none(by),
    )
    latest = locked.updates.order_by("-recorded_on", "-pk").first()
    assert latest is not None
    locked.percent_done, locked.last_update_on = latest.percent, latest.recorded_on
    locked.save(update_fields=["percent_done", "last_update_on", "updated_at"])
    task.percent_done, task.last_update_on = locked.percent_done, locked.last_update_on
    audit_record(
        action="lantoa.plans.progress.recorded",
        by=by,
        target=locked,
        unit=locked.programme.unit,
        changed=["percent"] + [name for name in ("note", "conference", "document", "url") if getattr(update, name)],
    )
    return update
