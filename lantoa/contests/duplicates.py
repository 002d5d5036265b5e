"""Likely duplicate contestants of a contest: people sharing a phone number or an e-mail address
— the same person registered twice when the folded name and the unit are the same too, else one
contact given under different names. Found by grouped queries (contact keys used more than once),
then the members of those groups only, their attempts counted in one grouped query, and the
pairs an organiser marked "not a duplicate" left out: five queries, whatever the contest's size."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from lantoa.contests.models import Attempt, Contest, Contestant, DuplicateDismissal
from lantoa.core.masking import mask_email, mask_phone

SAME_PERSON = "same_person"
SAME_CONTACT = "same_contact"
PAIRS_MAX = 500


@dataclass
class Pair:
    first: Contestant
    second: Contestant
    reason: str
    attempts: tuple[int, int]


def duplicate_pairs(contest: Contest) -> list[Pair]:
    """The likely duplicate pairs, the same person first, then by the first contestant's id;
    at most :data:`PAIRS_MAX`."""
    people = Contestant.objects.filter(contest_id=contest.pk)
    phones = _shared(people, "phone_key")
    emails = _shared(people, "email_key")
    if not phones and not emails:
        return []
    members = list(
        people.filter(Q(phone_key__in=phones) | Q(email_key__in=emails)).select_related("unit").order_by("pk")
    )
    groups: dict[tuple[str, str], list[Contestant]] = {}
    for person in members:
        if person.phone_key in phones:
            groups.setdefault(("phone", person.phone_key), []).append(person)
        if person.email_key in emails:
            groups.setdefault(("email", person.email_key), []).append(person)
    pairs: dict[tuple[int, int], tuple[Contestant, Contestant]] = {}
    for group in groups.values():
        for a, b in itertools.combinations(group, 2):
            pairs[(a.pk, b.pk)] = (a, b)
    dismissed = set(DuplicateDismissal.objects.filter(contest_id=contest.pk).values_list("first_id", "second_id"))
    counts = dict(
        Attempt.objects.filter(contestant_id__in=[p.pk for p in members], submitted_at__isnull=False)
        .values("contestant_id")
        .annotate(n=Count("pk"))
        .values_list("contestant_id", "n")
    )
    found = [
        Pair(a, b, _reason(a, b), (counts.get(a.pk, 0), counts.get(b.pk, 0)))
        for key, (a, b) in pairs.items()
        if key not in dismissed
    ]
    found.sort(key=lambda p: (p.reason != SAME_PERSON, p.first.pk, p.second.pk))
    return found[:PAIRS_MAX]


def _shared(people: Any, key: str) -> set[str]:
    rows = people.exclude(**{key: ""}).values(key).annotate(n=Count("pk")).filter(n__gt=1).values_list(key, flat=True)
    return set(rows)


def _reason(a: Contestant, b: Contestant) -> str:
    return SAME_PERSON if a.name_key == b.name_key and a.unit_id == b.unit_id else SAME_CONTACT


def person_out(person: Contestant, attempts: int) -> dict[str, Any]:
    """One side of a pair, its contacts masked (the page, the API alike)."""
    return {
        "id": person.pk,
        "name": person.name,
        "unit_name": person.unit.name if person.unit is not None else "",
        "phone": mask_phone(person.phone),
        "email": mask_email(person.email),
        "attempts": attempts,
        "excluded": person.excluded_at is not None,
        "registered_at": person.created_at,
    }


def pair_out(pair: Pair) -> dict[str, Any]:
    return {
        "reason": pair.reason,
        "first": person_out(pair.first, pair.attempts[0]),
        "second": person_out(pair.second, pair.attempts[1]),
    }
