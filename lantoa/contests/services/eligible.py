"""A restricted contest's list of eligible people: imported by the organiser (a staff write,
audited), each person with a registration code that ties them to one contestant, once.

The code is how a cadre proves they are on the list without an account or an ID number: their
unit hands it out (the exported list), they type it at registration, and their name and unit
come from the list, not from what they type.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lantoa.contests.eligible_io import eligible_read
from lantoa.contests.models import INVITATION_LENGTH, Contest, Contestant, EligiblePerson
from lantoa.core.audit import actor_or_none, audit_record
from lantoa.core.errors import Conflict, ValidationFailed

# No 0/O, 1/I/L: a code is read aloud and typed on a phone.
INVITATION_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_NOT_CODE = re.compile(r"[\s\-.]")


@dataclass
class EligibleImport:
    rows: int

    def summary(self) -> str:
        return ngettext("%(count)s person added to the list.", "%(count)s people added to the list.", self.rows) % {
            "count": self.rows
        }


def new_invitation() -> str:
    return "".join(secrets.choice(INVITATION_ALPHABET) for _i in range(INVITATION_LENGTH))


def clean_invitation(text: str) -> str:
    """A code as typed ("abcd-efgh", "ABCD EFGH") in its stored form."""
    return _NOT_CODE.sub("", text or "").upper()


def eligible_import(*, by: Any, contest: Contest, file: IO[bytes] | bytes) -> EligibleImport:
    """Every row of ``file`` added to ``contest``'s list with a fresh registration code, or
    nothing (ImportRejected lists every problem)."""
    rows = eligible_read(contest=contest, file=file)
    now = timezone.now()
    actor = actor_or_none(by)
    with transaction.atomic():
        Contest.objects.select_for_update().filter(pk=contest.pk).first()  # one import of a contest at a time
        taken = set(EligiblePerson.objects.filter(contest=contest).values_list("invitation", flat=True))
        people = []
        for row in rows:
            code = new_invitation()
            while code in taken:
                code = new_invitation()
            taken.add(code)
            people.append(
                EligiblePerson(
                    contest=contest,
                    name=row.name,
                    unit=row.unit,
                    position=row.position,
                    invitation=code,
                    imported_at=now,
                    imported_by=actor,
                )
            )
        EligiblePerson.objects.bulk_create(people)
        audit_record(
            action="lantoa.contests.eligible.imported", by=by, target=contest, unit=contest.unit, changed=["eligible"]
        )
    return EligibleImport(rows=len(people))


def eligible_remove(*, by: Any, person: EligiblePerson) -> None:
    """Take someone off the list, while their code is unused (a registered contestant keeps theirs)."""
    with transaction.atomic():
        removed, _kinds = EligiblePerson.objects.filter(pk=person.pk, contestant__isnull=True).delete()
        if not removed:
            raise Conflict(
                _("This person has registered with their code and stays on the list."), code="eligible_registered"
            )
        audit_record(
            action="lantoa.contests.eligible.removed",
            by=by,
            target=person.contest,
            unit=person.contest.unit,
            changed=["eligible"],
        )


def invitation_to_claim(contest: Contest, typed: str) -> EligiblePerson:
    """The list entry a registration code names, still unused; an unknown and a used code answer
    alike, so trying codes tells nothing."""
    code = clean_invitation(typed)
    if not code:
        raise ValidationFailed(_("Enter the registration code your unit gave you."), extra={"field": "invitation"})
    person = None
    if len(code) == INVITATION_LENGTH:
        person = (
            EligiblePerson.objects.select_related("unit")
            .filter(contest=contest, invitation=code, contestant__isnull=True)
            .first()
        )
    if person is None:
        raise Conflict(
            _("This registration code is not on the contest's list, or it has been used."),
            code="invitation_unknown",
            extra={"field": "invitation"},
        )
    return person


def invitation_claim(person: EligiblePerson, contestant: Contestant) -> None:
    """Tie the code to the contestant just created, inside the registration's transaction: of two
    registrations with one code at once, the second finds it taken and its transaction is undone."""
    try:
        claimed = EligiblePerson.objects.filter(pk=person.pk, contestant__isnull=True).update(contestant=contestant)
    except IntegrityError:
        claimed = 0
    if claimed != 1:
        raise Conflict(
            _("This registration code is not on the contest's list, or it has been used."),
            code="invitation_unknown",
            extra={"field": "invitation"},
        )


__all__ = [
    "EligibleImport",
    "clean_invitation",
    "eligible_import",
    "eligible_remove",
    "invitation_claim",
    "invitation_to_claim",
    "new_invitation",
]
