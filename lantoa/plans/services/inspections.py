"""Inspections, their teams, conclusions and follow-ups."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Max
from django.utils.translation import gettext as _

from lantoa.core.audit import actor_or_none, audit_record
from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.core.text import clean_text
from lantoa.org.models import Unit
from lantoa.org.selectors import today, unit_is_within
from lantoa.plans.models import (
    CONCLUSIONS_MAX,
    INSPECTED_MAX,
    LONG_TEXT_MAX,
    MEMBERS_MAX,
    NAME_MAX,
    TEXT_MAX,
    TITLE_MAX,
    URL_MAX,
    Conclusion,
    FollowUp,
    InspectedUnit,
    Inspection,
    InspectionKind,
    PlannedInspection,
    TeamMember,
    TeamRole,
)
from lantoa.plans.services._common import _text, party_number

# --- Inspections -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class InspectionData:
    unit: Unit
    title: str
    deciding_body: str
    starts_on: dt.date
    ends_on: dt.date
    topics: str
    inspected: tuple[Unit, ...]
    kind: str = "inspection"
    decision_number: str = ""
    decided_on: dt.date | None = None
    findings: str = ""
    planned: PlannedInspection | None = None


def _check_planned(data: InspectionData, inspected: list[Unit]) -> None:
    """An inspection held as planned: by the planning unit, in the plan's year, of the planned unit, once."""
    planned = data.planned
    if planned is None:
        return
    if planned.plan.unit_id != data.unit.pk or planned.plan.year != data.starts_on.year:
        raise ValidationFailed(_("The planned inspection is another unit's, or of another year."),
                               code="planned_mismatch", extra={"field": "planned"})  # fmt: skip
    if planned.unit not in inspected:
        raise ValidationFailed(_("Name the planned unit among the inspected units."), code="planned_unit_missing",
                               extra={"field": "inspected"})  # fmt: skip
    if Inspection.objects.filter(planned=planned).exists():
        raise Conflict(_("That planned inspection has been held already."), code="planned_held",
                       extra={"field": "planned"})  # fmt: skip


@transaction.atomic
def inspection_create(*, by: Any, data: InspectionData) -> Inspection:
    title = _text(data.title, field="title", limit=TITLE_MAX)
    body = _text(data.deciding_body, field="deciding_body", limit=NAME_MAX)
    topics = _text(data.topics, field="topics", limit=LONG_TEXT_MAX, multiline=True)
    findings = _text(data.findings, field="findings", limit=LONG_TEXT_MAX, required=False, multiline=True)
    number = party_number(data.decision_number) if clean_text(data.decision_number) else ""
    if data.kind not in InspectionKind.values:
        raise ValidationFailed(_("Unknown kind."), code="invalid_kind", extra={"field": "kind"})
    if data.ends_on < data.starts_on:
        raise ValidationFailed(_("The end comes before the start."), code="end_before_start",
                               extra={"field": "ends_on"})  # fmt: skip
    if data.decided_on is not None and data.decided_on > data.starts_on:
        raise ValidationFailed(_("The decision comes after the inspection began."), code="decided_after_start",
                               extra={"field": "decided_on"})  # fmt: skip
    inspected = list(dict.fromkeys(data.inspected))
    if not inspected or len(inspected) > INSPECTED_MAX:
        raise ValidationFailed(
            _("Name between 1 and %(limit)d inspected units.") % {"limit": INSPECTED_MAX}, code="inspected_count",
            extra={"field": "inspected"},
        )  # fmt: skip
    _check_planned(data, inspected)
    inspection = Inspection.objects.create(
        unit=data.unit,
        year=data.starts_on.year,
        kind=data.kind,
        title=title,
        deciding_body=body,
        decision_number=number,
        decided_on=data.decided_on,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        topics=topics,
        findings=findings,
        planned=data.planned,
        created_by=actor_or_none(by),
    )
    InspectedUnit.objects.bulk_create([InspectedUnit(inspection=inspection, unit=unit) for unit in inspected])
    audit_record(action="lantoa.plans.inspection.created", by=by, target=inspection, unit=data.unit,
                 changed=["title", "deciding_body", "starts_on", "ends_on", "topics", "inspected"])  # fmt: skip
    return inspection


def _member_units(person: Any, user: Any, day: dt.date) -> list[int]:
    if person is not None:
        return [person.home_unit_id] if person.home_unit_id else []
    if user is not None:
        from lantoa.accounts.permissions import current_assignments

        return list(current_assignments(user, as_of=day).values_list("unit_id", flat=True))
    return []


@transaction.atomic
def team_member_add(
    *, by: Any, inspection: Inspection, role: str, person: Any = None, user: Any = None, name: str = ""
) -> TeamMember:
    """Add a member to the team. A member whose unit is an inspected unit or lies beneath one (as
    the tree stood on the inspection's first day) is refused: nobody inspects their own unit."""
    name = _text(name, field="name", limit=NAME_MAX, required=False)
    if sum(bool(x) for x in (person, user, name)) != 1:
        raise ValidationFailed(_("Name one person, one user or, for a team from outside, a name."),
                               code="one_identity", extra={"field": "person"})  # fmt: skip
    if role not in TeamRole.values:
        raise ValidationFailed(_("Unknown role."), code="invalid_role", extra={"field": "role"})
    Inspection.objects.select_for_update().filter(pk=inspection.pk).first()
    if inspection.team.count() >= MEMBERS_MAX:
        raise ValidationFailed(_("A team has at most %(limit)d members.") % {"limit": MEMBERS_MAX},
                               code="too_many_members")  # fmt: skip
    if role == TeamRole.CHIEF and inspection.team.filter(role=TeamRole.CHIEF).exists():
        raise Conflict(_("The team already has its head."), code="chief_exists", extra={"field": "role"})
    duplicate = (person is not None and inspection.team.filter(person=person).exists()) or (
        user is not None and inspection.team.filter(user=user).exists()
    )
    if duplicate:
        raise Conflict(_("Already on the team."), code="already_member", extra={"field": "person"})
    inspected = list(inspection.inspected.values_list("unit_id", flat=True))
    for unit_id in _member_units(person, user, inspection.starts_on):
        if unit_is_within(unit_id, inspected, as_of=inspection.starts_on):
            raise Conflict(
                _("A member from an inspected unit, or a unit beneath one, cannot inspect it."),
                code="member_conflict",
                extra={"field": "person"},
            )
    member = TeamMember.objects.create(inspection=inspection, person=person, user=user, name=name, role=role)
    audit_record(action="lantoa.plans.inspection.member_added", by=by, target=inspection, unit=inspection.unit,
                 changed=["team"])  # fmt: skip
    return member


@transaction.atomic
def conclusion_add(
    *, by: Any, inspection: Inspection, text: str, owner_unit: Unit | None = None, due_on: dt.date | None = None
) -> Conclusion:
    """The next numbered conclusion; one that asks for action (an owner unit and a deadline) opens a follow-up."""
    text = _text(text, field="text", limit=TEXT_MAX, multiline=True)
    if (owner_unit is None) != (due_on is None):
        raise ValidationFailed(_("A conclusion that asks for action needs both an owner unit and a deadline."),
                               code="follow_up_incomplete", extra={"field": "due_on"})  # fmt: skip
    if due_on is not None and due_on < inspection.starts_on:
        raise ValidationFailed(_("The deadline comes before the inspection."), code="due_before_inspection",
                               extra={"field": "due_on"})  # fmt: skip
    Inspection.objects.select_for_update().filter(pk=inspection.pk).first()
    existing = inspection.conclusions.aggregate(last=Max("number"), count=Count("pk"))
    if (existing["count"] or 0) >= CONCLUSIONS_MAX:
        raise ValidationFailed(_("An inspection has at most %(limit)d conclusions.") % {"limit": CONCLUSIONS_MAX},
                               code="too_many_conclusions")  # fmt: skip
    conclusion = Conclusion.objects.create(inspection=inspection, number=(existing["last"] or 0) + 1, text=text)
    changed = ["conclusions"]
    if owner_unit is not None and due_on is not None:
        FollowUp.objects.create(conclusion=conclusion, owner_unit=owner_unit, origin_unit=owner_unit, due_on=due_on)
        changed.append("follow_up")
    audit_record(action="lantoa.plans.inspection.concluded", by=by, target=inspection, unit=inspection.unit,
                 changed=changed)  # fmt: skip
    return conclusion


@transaction.atomic
def follow_up_close(*, by: Any, follow_up: FollowUp, closed_on: dt.date, evidence: str = "", url: str = "") -> FollowUp:
    """Close a follow-up with its evidence (a note, a link, or both)."""
    locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if locked.closed_on is not None:
        raise Conflict(_("This follow-up is closed already."), code="already_closed")
    evidence = _text(evidence, field="evidence", limit=TEXT_MAX, required=False, multiline=True)
    url = clean_text(url)
    if len(url) > URL_MAX or (url and not re.match(r"^https?://[^\s/]+\S*$", url)):
        raise ValidationFailed(_("Enter a link starting with http:// or https://."), code="invalid_url",
                               extra={"field": "url"})  # fmt: skip
    if not evidence and not url:
        raise ValidationFailed(_("Say what was done, or link the evidence."), code="evidence_required",
                               extra={"field": "evidence"})  # fmt: skip
    inspection = locked.conclusion.inspection
    if closed_on > today() + dt.timedelta(days=1):
        raise ValidationFailed(_("That date has not come yet."), code="date_in_future",
                               extra={"field": "closed_on"})  # fmt: skip
    if closed_on < inspection.starts_on:
        raise ValidationFailed(_("That date comes before the inspection."), code="date_before_inspection",
                               extra={"field": "closed_on"})  # fmt: skip
    locked.closed_on, locked.evidence, locked.evidence_url = closed_on, evidence, url
    locked.save()
    audit_record(action="lantoa.plans.follow_up.closed", by=by, target=locked, unit=locked.owner_unit,
                 changed=["closed_on", "evidence"] + (["evidence_url"] if url else []))  # fmt: skip
    return locked
