"""A stage's jury and the conflicts of interest declared between a person and an entry. Staff
writes, atomic and audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lantoa.core.audit import audit_record
from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.core.results import Created
from lantoa.judging.models import REASON_MAX, DeclaredConflict, Entry, JuryMember, JuryRole, ScoreSheet, Stage
from lantoa.judging.services._common import _text
from lantoa.org.models import Unit
from lantoa.people.models import Person


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
