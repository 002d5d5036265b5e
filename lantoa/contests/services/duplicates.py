"""What organisers do about likely duplicate contestants (staff writes, audited): mark a pair
"not a duplicate", or exclude a contestant from the rankings (their attempts are kept; the
rankings drop them when each round is next closed) and include them again."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.contests.models import Contest, Contestant, DuplicateDismissal
from lantoa.core.audit import actor_or_none, audit_record
from lantoa.core.errors import NotFound, ValidationFailed


def _contestant(contest: Contest, pk: int) -> Contestant:
    found = Contestant.objects.filter(contest_id=contest.pk, pk=pk).first()
    if found is None:
        raise NotFound(_("No such contestant in this contest."), extra={"id": pk})
    return found


@transaction.atomic
def duplicate_dismiss(
    *, by: Any, contest: Contest, first: int, second: int, now: dt.datetime | None = None
) -> DuplicateDismissal:
    """Record that two contestants are two people; doing it again changes nothing."""
    if first == second:
        raise ValidationFailed(_("Choose two different contestants."), extra={"field": "second"})
    low, high = sorted((_contestant(contest, first), _contestant(contest, second)), key=lambda c: c.pk)
    existing = DuplicateDismissal.objects.filter(first=low, second=high).first()
    if existing is not None:
        return existing
    dismissal = DuplicateDismissal(
        contest=contest, first=low, second=high, dismissed_at=now or timezone.now(), dismissed_by=actor_or_none(by)
    )
    try:
        with transaction.atomic():
            dismissal.save()
    except IntegrityError:  # marked at the same moment by someone else
        return DuplicateDismissal.objects.get(first=low, second=high)
    audit_record(action="lantoa.contests.duplicate.dismissed", by=by, target=dismissal, unit=contest.unit)
    return dismissal


@transaction.atomic
def contestant_exclude(
    *, by: Any, contest: Contest, contestant_id: int, excluded: bool, now: dt.datetime | None = None
) -> Contestant:
    """Exclude a contestant from the rankings (or include them again) from the next close."""
    person = Contestant.objects.select_for_update().filter(contest_id=contest.pk, pk=contestant_id).first()
    if person is None:
        raise NotFound(_("No such contestant in this contest."), extra={"id": contestant_id})
    if (person.excluded_at is not None) == excluded:
        return person
    person.excluded_at = (now or timezone.now()) if excluded else None
    person.save(update_fields=["excluded_at"])
    if excluded:
        audit_record(
            action="lantoa.contests.contestant.excluded",
            by=by,
            target=person,
            unit=contest.unit,
            changed=["excluded_at"],
        )
    else:
        audit_record(
            action="lantoa.contests.contestant.included",
            by=by,
            target=person,
            unit=contest.unit,
            changed=["excluded_at"],
        )
    return person
