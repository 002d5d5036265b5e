"""Writes for persons, network roles, groups and activities. Nothing else writes these tables.

Every staff write is audited with the names of the fields it set, never their values.
Activities are the network's own high-volume records: they are not audited one by one, but
they are never edited — a wrong one is withdrawn with a reason, and that is audited.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lantoa.core.audit import actor_or_none, audit_record, audit_record_many
from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.core.masking import clean_phone, phone_digits
from lantoa.core.results import Created
from lantoa.core.text import clean_text, fold, person_sort_text
from lantoa.org.models import Unit
from lantoa.people.models import (
    Activity,
    ActivityKind,
    GroupEvent,
    GroupKind,
    GroupMembership,
    NetworkGroup,
    NetworkRoleKind,
    Person,
    RoleAssignment,
)

SENSITIVE_FIELDS = ("ethnicity", "is_party_member")
PERSON_FIELDS = (
    "family_name",
    "middle_name",
    "given_name",
    "sex",
    "birth_year",
    "home_unit",
    "phone",
    "email",
    *SENSITIVE_FIELDS,
)
ANONYMOUS_GIVEN_NAME = "—"
NAME_LIMIT = Person._meta.get_field("name_folded").max_length or 200
SORT_KEY_LIMIT = Person._meta.get_field("sort_key").max_length or 600
DECISION_LIMIT = RoleAssignment._meta.get_field("decision_ref").max_length or 120


def _decision(text: str) -> str:
    ref = clean_text(text)
    if len(ref) > DECISION_LIMIT:
        raise ValidationFailed(
            _("The decision reference is longer than %(max)s characters.") % {"max": DECISION_LIMIT},
            extra={"field": "decision_ref"},
        )
    return ref


def sensitive_fields_enabled() -> tuple[str, ...]:
    """The sensitive fields this deployment keeps (none unless it says so)."""
    enabled = set(getattr(settings, "LANTOA_PERSON_SENSITIVE_FIELDS", ()))
    return tuple(name for name in SENSITIVE_FIELDS if name in enabled)


def _open_on(day: dt.date) -> Q:
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gt=day))


# --- Persons ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonData:
    """What a form, an API call or an import row says about a person, already parsed."""

    given_name: str
    home_unit: Unit
    family_name: str = ""
    middle_name: str = ""
    sex: str = ""
    birth_year: int | None = None
    phone: str = ""
    email: str = ""
    ethnicity: str = ""
    is_party_member: bool | None = None
    # Whether the sender set the sensitive fields (a form or call by a role that may see them).
    # When not, a correction keeps what is stored and a new record stores nothing.
    sets_sensitive: bool = False

    def values(self) -> dict[str, Any]:
        values = {name: getattr(self, name) for name in PERSON_FIELDS}
        for name in SENSITIVE_FIELDS:
            if name not in sensitive_fields_enabled() or not self.sets_sensitive:
                # Not kept in this deployment: whatever was sent is dropped, not stored.
                values[name] = "" if name == "ethnicity" else None
        for name in ("family_name", "middle_name", "given_name", "email", "ethnicity"):
            values[name] = clean_text(str(values[name] or ""))
        values["phone"] = clean_phone(str(values["phone"] or ""))
        return values


def person_validate(data: PersonData) -> dict[str, Any]:
    """The cleaned values, or ValidationFailed naming the first field that is wrong."""
    values = data.values()
    if not values["given_name"]:
        raise ValidationFailed(_("A person needs at least a given name."), extra={"field": "given_name"})
    if values["sex"] and values["sex"] not in Person.Sex.values:
        raise ValidationFailed(_("Unknown sex %(sex)s.") % {"sex": values["sex"]}, extra={"field": "sex"})
    year = values["birth_year"]
    this_year = timezone.localdate().year
    if year is not None and not (this_year - 110 <= year <= this_year - 10):
        raise ValidationFailed(
            _("The year of birth must be between %(low)s and %(high)s.")
            % {"low": this_year - 110, "high": this_year - 10},
            extra={"field": "birth_year"},
        )
    for name in ("family_name", "middle_name", "given_name", "phone", "email", "ethnicity"):
        field = Person._meta.get_field(name)
        limit = getattr(field, "max_length", None) or 0
        if len(values[name]) > limit:
            raise ValidationFailed(
                _("%(field)s is longer than %(max)s characters.")
                % {"field": getattr(field, "verbose_name", name), "max": limit},
                extra={"field": name},
            )
    if values["email"]:
        try:
            validate_email(values["email"])
        except DjangoValidationError as exc:
            raise ValidationFailed(
                _("%(email)s is not an e-mail address.") % {"email": values["email"]}, extra={"field": "email"}
            ) from exc
    full = " ".join(part for part in (values["family_name"], values["middle_name"], values["given_name"]) if part)
    if (
        len(fold(full)) > NAME_LIMIT
        or len(person_sort_text(values["family_name"], values["middle_name"], values["given_name"])) > SORT_KEY_LIMIT
    ):
        raise ValidationFailed(_("The name is too long."), extra={"field": "given_name"})
    digits = phone_digits(values["phone"])
    if values["phone"] and not (8 <= len(digits) <= 12):
        raise ValidationFailed(
            _("%(phone)s is not a phone number.") % {"phone": values["phone"]}, extra={"field": "phone"}
        )
    return values


def person_derived(values: dict[str, Any]) -> dict[str, Any]:
    """The columns derived from a person's values (search, Vietnamese order, phone lookup)."""
    full = " ".join(part for part in (values["family_name"], values["middle_name"], values["given_name"]) if part)
    return {
        "name_folded": fold(full),
        "sort_key": person_sort_text(values["family_name"], values["middle_name"], values["given_name"]),
        "phone_digits": phone_digits(values["phone"]),
    }


def person_duplicates(values: dict[str, Any], *, exclude: int | None = None) -> list[Person]:
    """Persons who are probably the same: same folded name, year of birth and home unit — or
    the same phone number."""
    derived = person_derived(values)
    same = Q(name_folded=derived["name_folded"], birth_year=values["birth_year"], home_unit=values["home_unit"])
    if derived["phone_digits"]:
        same |= Q(phone_digits=derived["phone_digits"])
    found = Person.objects.filter(same, anonymised_at__isnull=True)
    if exclude is not None:
        found = found.exclude(pk=exclude)
    return list(found.select_related("home_unit")[:5])


class DuplicatePerson(Conflict):
    code = "duplicate_person"


def _refuse_duplicates(values: dict[str, Any], *, exclude: int | None = None, visible: Any = None) -> None:
    """Refuse a probable duplicate. Only matches in ``visible`` (the caller's scope; None = all)
    are named: an officer learns nothing about people outside their subtrees but that a match
    exists."""
    matches = person_duplicates(values, exclude=exclude)
    if not matches:
        return
    shown_ids = (
        {p.pk for p in matches}
        if visible is None
        else set(visible.filter(pk__in=[p.pk for p in matches]).values_list("pk", flat=True))
    )
    shown = [p for p in matches if p.pk in shown_ids]
    hidden = len(matches) - len(shown)
    if shown:
        message = _("This person may already be recorded: %(names)s. Check, or confirm that this is someone else.") % {
            "names": ", ".join(f"{p.full_name} ({p.home_unit.code})" for p in shown)
        }
    else:
        message = _(
            "This person may already be recorded in a unit outside your scope. Check, or confirm that this is "
            "someone else."
        )
    raise DuplicatePerson(message, extra={"field": "given_name", "matches": [p.pk for p in shown], "hidden": hidden})


@transaction.atomic
def person_create(*, by: Any, data: PersonData, allow_duplicate: bool = False, visible: Any = None) -> Person:
    """Record a person. ``visible``: the persons the caller may see, to name duplicates."""
    values = person_validate(data)
    if not allow_duplicate:
        _refuse_duplicates(values, visible=visible)
    person = Person.objects.create(**values, **person_derived(values))
    audit_record(
        action="lantoa.people.person.created",
        by=by,
        target=person,
        unit=person.home_unit,
        changed=[name for name, value in values.items() if value not in ("", None)],
    )
    return person


@transaction.atomic
def person_update(
    *, by: Any, person: Person, data: PersonData, allow_duplicate: bool = False, visible: Any = None
) -> Person:
    """Correct a person's record (the data subject's right to correction goes through here too)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.anonymised_at is not None:
        raise Conflict(_("This person has been anonymised; the record can no longer be changed."))
    values = person_validate(data)
    if not data.sets_sensitive:
        for name in SENSITIVE_FIELDS:
            values[name] = getattr(person, name)
    changed = [name for name, value in values.items() if getattr(person, name) != value]
    if not changed:
        return person
    if not allow_duplicate and {"family_name", "middle_name", "given_name", "birth_year", "home_unit", "phone"} & set(
        changed
    ):
        _refuse_duplicates(values, exclude=person.pk, visible=visible)
    for name, value in {**values, **person_derived(values)}.items():
        setattr(person, name, value)
    person.save()
    audit_record(action="lantoa.people.person.updated", by=by, target=person, unit=person.home_unit, changed=changed)
    return person


@transaction.atomic
def person_link_user(*, by: Any, person: Person, user: Any | None) -> Person:
    """Link the person to a user account (so they can log their own activities), or unlink."""
    if user is not None and Person.objects.filter(user=user).exclude(pk=person.pk).exists():
        raise Conflict(_("This account is already linked to another person."), extra={"field": "user"})
    person.user = user
    person.save(update_fields=["user", "updated_at"])
    audit_record(
        action="lantoa.people.person.user_linked", by=by, target=person, unit=person.home_unit, changed=["user"]
    )
    return person


@transaction.atomic
def person_anonymise(*, by: Any, person: Person) -> Person:
    """Remove the person's identity but keep what they held and did, so every count stays.

    Names, contact, year of birth, sex, sensitive fields and the account link are erased.
    Roles, memberships and activities stay attached to the anonymous record.
    """
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.anonymised_at is not None:
        return person
    erased = {
        "family_name": "",
        "middle_name": "",
        "given_name": ANONYMOUS_GIVEN_NAME,
        "sex": "",
        "birth_year": None,
        "phone": "",
        "email": "",
        "ethnicity": "",
        "is_party_member": None,
        "user": None,
    }
    changed = [name for name, value in erased.items() if getattr(person, name) != value]
    for name, value in erased.items():
        setattr(person, name, value)
    person.name_folded = ""
    person.phone_digits = ""
    # Anonymous records sort after everyone.
    person.sort_key = "~"
    person.anonymised_at = timezone.now()
    person.save()
    audit_record(
        action="lantoa.people.person.anonymised",
        by=by,
        target=person,
        unit=person.home_unit,
        changed=[*changed, "anonymised_at"],
    )
    return person


def person_export_record(*, by: Any, person: Person, include_sensitive: bool) -> dict[str, Any]:
    """Everything held about the person (right of access), written to the audit log. Sensitive
    fields go only to roles that may see them; the others get them named in ``withheld``."""
    from lantoa.people.selectors import person_export

    export = person_export(person)
    withheld = [] if include_sensitive else [name for name in SENSITIVE_FIELDS if name in export["person"]]
    for name in withheld:
        export["person"].pop(name)
    export["withheld"] = withheld
    audit_record(
        action="lantoa.people.person.exported",
        by=by,
        target=person,
        unit=person.home_unit,
        changed=[name for name in SENSITIVE_FIELDS if name not in withheld],
    )
    return export


# --- Network roles ---------------------------------------------------------------------------


def _check_dates(valid_from: dt.date, valid_to: dt.date | None, field: str = "valid_to") -> None:
    if valid_to is not None and valid_to <= valid_from:
        raise ValidationFailed(_("The end date must come after the start date."), extra={"field": field})


def _check_unit_open(unit: Unit, day: dt.date, field: str = "unit") -> None:
    if not unit.is_open_on(day):
        raise ValidationFailed(
            _("%(unit)s is not open on %(day)s.") % {"unit": unit.name, "day": date_format(day, "SHORT_DATE_FORMAT")},
            extra={"field": field},
        )


@transaction.atomic
def role_assign(
    *,
    by: Any,
    person: Person,
    role: NetworkRoleKind,
    unit: Unit,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    decision_ref: str = "",
) -> RoleAssignment:
    """Record that ``person`` holds ``role`` in ``unit`` from ``valid_from``."""
    _check_dates(valid_from, valid_to)
    _check_unit_open(unit, valid_from)
    if person.anonymised_at is not None:
        raise Conflict(_("This person has been anonymised; no new role can be recorded."))
    overlapping = RoleAssignment.objects.filter(person=person, role=role, unit=unit).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=valid_from)
    )
    if valid_to is not None:
        overlapping = overlapping.filter(valid_from__lt=valid_to)
    if overlapping.exists():
        raise ValidationFailed(
            _("%(person)s already holds this role in this unit for part of that time.") % {"person": person.full_name},
            extra={"field": "role"},
        )
    assignment = RoleAssignment.objects.create(
        person=person,
        role=role,
        unit=unit,
        valid_from=valid_from,
        valid_to=valid_to,
        decision_ref=_decision(decision_ref),
    )
    audit_record(
        action="lantoa.people.role.assigned",
        by=by,
        target=assignment,
        unit=unit,
        changed=["person", "role", "unit", "valid_from", "valid_to", "decision_ref"],
    )
    return assignment


@transaction.atomic
def role_end(*, by: Any, assignment: RoleAssignment, on: dt.date) -> RoleAssignment:
    """End a role on ``on`` (the first day no longer held). Roles are ended, never deleted."""
    assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    if on <= assignment.valid_from:
        raise ValidationFailed(_("The end date must come after the start date."), extra={"field": "valid_to"})
    if assignment.valid_to is not None and assignment.valid_to <= on:
        raise ValidationFailed(_("This role had already ended by then."), extra={"field": "valid_to"})
    assignment.valid_to = on
    assignment.save(update_fields=["valid_to", "updated_at"])
    audit_record(
        action="lantoa.people.role.ended", by=by, target=assignment, unit=assignment.unit, changed=["valid_to"]
    )
    return assignment


# --- Groups ----------------------------------------------------------------------------------


def _event(
    group: NetworkGroup, kind: str, day: dt.date, by: Any, other: NetworkGroup | None = None, ref: str = ""
) -> GroupEvent:
    return GroupEvent(
        group=group, kind=kind, happened_on=day, other=other, decision_ref=ref, recorded_by=actor_or_none(by)
    )


@transaction.atomic
def group_create(
    *, by: Any, kind: GroupKind, unit: Unit, name: str, valid_from: dt.date, decision_ref: str = ""
) -> NetworkGroup:
    name = clean_text(name)
    if not name:
        raise ValidationFailed(_("A group needs a name."), extra={"field": "name"})
    _check_unit_open(unit, valid_from)
    if kind.tier_code and unit.kind.tier.code != kind.tier_code:
        raise ValidationFailed(
            _("A %(kind)s belongs to a unit of the %(tier)s tier.") % {"kind": kind.name, "tier": kind.tier_code},
            extra={"field": "unit"},
        )
    if NetworkGroup.objects.filter(kind=kind, unit=unit).filter(_open_on(valid_from)).exists():
        raise ValidationFailed(
            _("%(unit)s already has a %(kind)s on that date.") % {"unit": unit.name, "kind": kind.name},
            extra={"field": "unit"},
        )
    ref = _decision(decision_ref)
    group = NetworkGroup.objects.create(kind=kind, unit=unit, name=name, valid_from=valid_from, decision_ref=ref)
    _event(group, GroupEvent.Kind.FORMED, valid_from, by, ref=ref).save()
    audit_record(
        action="lantoa.people.group.formed",
        by=by,
        target=group,
        unit=unit,
        changed=["kind", "unit", "name", "valid_from", "decision_ref"],
    )
    return group


def _member_role(group: NetworkGroup) -> NetworkRoleKind | None:
    """The network role that membership of this kind of group carries (a team member is a
    propagandist of the village; a board member an outreach cadre of the commune)."""
    code = MEMBER_ROLES.get(group.kind.code)
    return NetworkRoleKind.objects.filter(code=code).first() if code else None


MEMBER_ROLES = {"outreach_team": "propagandist", "outreach_board": "outreach_cadre"}


@transaction.atomic
def group_member_add(
    *,
    by: Any,
    group: NetworkGroup,
    person: Person,
    valid_from: dt.date,
    is_leader: bool = False,
    decision_ref: str = "",
) -> GroupMembership:
    """Add ``person`` to ``group``; they also take the role the group's kind carries, in its unit."""
    if not group.is_open_on(valid_from):
        raise ValidationFailed(_("The group does not exist on that date."), extra={"field": "valid_from"})
    if person.anonymised_at is not None:
        raise Conflict(_("This person has been anonymised; they cannot join a group."))
    if (
        GroupMembership.objects.filter(group=group, person=person)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=valid_from))
        .exists()
    ):
        raise ValidationFailed(
            _("%(person)s is already a member of this group.") % {"person": person.full_name}, extra={"field": "person"}
        )
    if is_leader:
        _end_leadership(group, valid_from)
    membership = GroupMembership.objects.create(group=group, person=person, is_leader=is_leader, valid_from=valid_from)
    role = _member_role(group)
    if role is not None:
        held = RoleAssignment.objects.filter(person=person, role=role, unit=group.unit).filter(_open_on(valid_from))
        if not held.exists():
            role_assign(
                by=by, person=person, role=role, unit=group.unit, valid_from=valid_from, decision_ref=decision_ref
            )
    audit_record(
        action="lantoa.people.group.member_added",
        by=by,
        target=group,
        unit=group.unit,
        changed=["person", "is_leader", "valid_from"],
    )
    return membership


def _end_leadership(group: NetworkGroup, day: dt.date) -> None:
    """A group has one leader: the current one stays a member but stops leading."""
    for current in GroupMembership.objects.filter(group=group, is_leader=True).filter(_open_on(day)):
        if current.valid_from < day:
            current.valid_to = day
            current.save(update_fields=["valid_to", "updated_at"])
            GroupMembership.objects.create(group=group, person=current.person, is_leader=False, valid_from=day)
        else:
            current.is_leader = False
            current.save(update_fields=["is_leader", "updated_at"])


@transaction.atomic
def group_leader_set(*, by: Any, group: NetworkGroup, person: Person, on: dt.date) -> GroupMembership:
    membership = GroupMembership.objects.filter(group=group, person=person).filter(_open_on(on)).first()
    if membership is None:
        raise ValidationFailed(_("Only a member can lead the group."), extra={"field": "person"})
    if membership.is_leader:
        return membership
    _end_leadership(group, on)
    if membership.valid_from < on:
        membership.valid_to = on
        membership.save(update_fields=["valid_to", "updated_at"])
        membership = GroupMembership.objects.create(group=group, person=person, is_leader=True, valid_from=on)
    else:
        membership.is_leader = True
        membership.save(update_fields=["is_leader", "updated_at"])
    audit_record(action="lantoa.people.group.leader_set", by=by, target=group, unit=group.unit, changed=["is_leader"])
    return membership


@transaction.atomic
def group_member_end(*, by: Any, membership: GroupMembership, on: dt.date) -> GroupMembership:
    """The person leaves the group on ``on``; the role it carried ends with it."""
    membership = GroupMembership.objects.select_for_update().select_related("group__kind").get(pk=membership.pk)
    if on <= membership.valid_from:
        raise ValidationFailed(_("The end date must come after the start date."), extra={"field": "valid_to"})
    if membership.valid_to is not None and membership.valid_to <= on:
        raise ValidationFailed(_("This membership had already ended by then."), extra={"field": "valid_to"})
    membership.valid_to = on
    membership.save(update_fields=["valid_to", "updated_at"])
    role = _member_role(membership.group)
    if role is not None:
        for held in RoleAssignment.objects.filter(
            person=membership.person, role=role, unit=membership.group.unit
        ).filter(_open_on(on)):
            if held.valid_from < on:
                role_end(by=by, assignment=held, on=on)
    audit_record(
        action="lantoa.people.group.member_ended",
        by=by,
        target=membership.group,
        unit=membership.group.unit,
        changed=["valid_to"],
    )
    return membership


def _close_group(group: NetworkGroup, day: dt.date) -> list[GroupMembership]:
    """End the group and its memberships on ``day``; returns the memberships that were open."""
    open_members = list(GroupMembership.objects.filter(group=group).filter(_open_on(day)).select_related("person"))
    GroupMembership.objects.filter(pk__in=[m.pk for m in open_members]).update(valid_to=day, updated_at=timezone.now())
    group.valid_to = day
    group.save(update_fields=["valid_to", "updated_at"])
    return open_members


def _check_can_end(group: NetworkGroup, day: dt.date) -> None:
    if not group.is_open_on(day) or day <= group.valid_from:
        raise ValidationFailed(
            _("%(group)s does not exist on %(day)s.")
            % {"group": group.name, "day": date_format(day, "SHORT_DATE_FORMAT")},
            extra={"field": "valid_to"},
        )


@transaction.atomic
def group_dissolve(*, by: Any, group: NetworkGroup, on: dt.date, decision_ref: str = "") -> NetworkGroup:
    """The group stops on ``on``. Its members' group roles end with it."""
    group = NetworkGroup.objects.select_for_update().select_related("kind", "unit").get(pk=group.pk)
    _check_can_end(group, on)
    members = _close_group(group, on)
    role = _member_role(group)
    if role is not None:
        RoleAssignment.objects.filter(
            person__in=[m.person_id for m in members], role=role, unit=group.unit, valid_from__lt=on
        ).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on)).update(valid_to=on, updated_at=timezone.now())
    _event(group, GroupEvent.Kind.DISSOLVED, on, by, ref=_decision(decision_ref)).save()
    audit_record(action="lantoa.people.group.dissolved", by=by, target=group, unit=group.unit, changed=["valid_to"])
    return group


@transaction.atomic
def groups_merge(
    *, by: Any, groups: Iterable[NetworkGroup], into: NetworkGroup, on: dt.date, decision_ref: str = ""
) -> NetworkGroup:
    """Merge ``groups`` into ``into`` on ``on``: they end, their members join ``into``."""
    sources = list(
        NetworkGroup.objects.select_for_update().filter(pk__in=[g.pk for g in groups]).select_related("kind")
    )
    if not sources or into.pk in {g.pk for g in sources}:
        raise ValidationFailed(
            _("Choose the groups to merge and a different group that continues."), extra={"field": "groups"}
        )
    if not into.is_open_on(on):
        raise ValidationFailed(_("The continuing group does not exist on that date."), extra={"field": "into"})
    if any(g.kind_id != into.kind_id for g in sources):
        raise ValidationFailed(_("Only groups of the same kind can be merged."), extra={"field": "into"})
    ref = _decision(decision_ref)
    already = set(GroupMembership.objects.filter(group=into).filter(_open_on(on)).values_list("person_id", flat=True))
    joining: list[GroupMembership] = []
    events: list[GroupEvent] = []
    for group in sources:
        _check_can_end(group, on)
        for member in _close_group(group, on):
            if member.person_id not in already:
                already.add(member.person_id)
                joining.append(GroupMembership(group=into, person_id=member.person_id, is_leader=False, valid_from=on))
        events.append(_event(group, GroupEvent.Kind.MERGED, on, by, other=into, ref=ref))
        events.append(_event(into, GroupEvent.Kind.ABSORBED, on, by, other=group, ref=ref))
    GroupMembership.objects.bulk_create(joining)
    _move_roles(
        [(g.unit, into.unit) for g in sources if g.unit_id != into.unit_id],
        [m.person_id for m in joining],
        {_member_role(g) for g in sources} - {None},
        on,
    )
    GroupEvent.objects.bulk_create(events)
    audit_record_many(
        action="lantoa.people.group.merged", by=by, targets=[(g, g.unit) for g in sources], changed=["valid_to"]
    )
    audit_record(action="lantoa.people.group.absorbed", by=by, target=into, unit=into.unit, changed=["members"])
    return into


def _move_roles(unit_pairs: list[tuple[Unit, Unit]], person_ids: list[int], roles: set[Any], on: dt.date) -> None:
    """Group roles held in a merged group's unit continue in the continuing group's unit."""
    if not unit_pairs or not roles:
        return
    successors = {old.pk: new for old, new in unit_pairs}
    _roles_follow(
        RoleAssignment.objects.filter(unit_id__in=list(successors), person_id__in=person_ids, role__in=list(roles)),
        successors,
        on,
    )


def _roles_follow(assignments: Any, successors: Mapping[int, Unit | None], day: dt.date) -> list[RoleAssignment]:
    """End the open ``assignments`` on ``day``; continue each on its unit's successor (if any)."""
    current = list(assignments.filter(valid_from__lt=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day)))
    if not current:
        return []
    now = timezone.now()
    RoleAssignment.objects.filter(pk__in=[a.pk for a in current]).update(valid_to=day, updated_at=now)
    continued = [
        RoleAssignment(
            person_id=a.person_id,
            role_id=a.role_id,
            unit=successors[a.unit_id],
            valid_from=day,
            valid_to=a.valid_to,
            decision_ref=a.decision_ref,
            continues=a,
        )
        for a in current
        if successors.get(a.unit_id) is not None
    ]
    RoleAssignment.objects.bulk_create(continued, batch_size=1000)
    return current


# --- Activities ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityData:
    unit: Unit
    held_on: dt.date
    kind: ActivityKind
    topic: str
    people_reached: int
    sessions: int = 1
    group: NetworkGroup | None = None
    person: Person | None = None
    is_summary: bool = False
    note: str = ""
    client_key: str = ""


MAX_PEOPLE_PER_SESSION = 5000  # a village meeting or a broadcast; a larger figure is a typo


def activity_validate(data: ActivityData) -> None:
    today = timezone.localdate()
    if data.held_on > today:
        raise ValidationFailed(_("An activity cannot be recorded before it happens."), extra={"field": "held_on"})
    _check_unit_open(data.unit, data.held_on)
    if not clean_text(data.topic):
        raise ValidationFailed(_("Say what the activity was about."), extra={"field": "topic"})
    if data.sessions < 1:
        raise ValidationFailed(_("At least one session."), extra={"field": "sessions"})
    if data.people_reached < 0:
        raise ValidationFailed(_("The number of people cannot be negative."), extra={"field": "people_reached"})
    if data.people_reached > MAX_PEOPLE_PER_SESSION * data.sessions:
        raise ValidationFailed(
            _("%(count)s people in %(sessions)s session(s) is more than this form accepts; check the figure.")
            % {"count": data.people_reached, "sessions": data.sessions},
            extra={"field": "people_reached"},
        )
    if data.group is not None and data.group.unit_id != data.unit.pk:
        raise ValidationFailed(_("The team belongs to another unit."), extra={"field": "group"})
    if data.is_summary and data.group is None:
        raise ValidationFailed(_("A monthly summary is filed for a team."), extra={"field": "group"})


def activity_record(*, by: Any, data: ActivityData) -> Created[Activity]:
    """Record an activity. Sending the same ``client_key`` again returns the first record, with
    ``created`` False (a retry of the same form)."""
    key = data.client_key.strip()[:64] or None
    if key is not None:
        existing = Activity.objects.filter(client_key=key).first()
        if existing is not None:
            return Created(_same_sender(existing, by), created=False)
    activity_validate(data)
    try:
        with transaction.atomic():
            activity = Activity.objects.create(
                unit=data.unit,
                held_on=data.held_on,
                kind=data.kind,
                topic=clean_text(data.topic)[:255],
                sessions=data.sessions,
                people_reached=data.people_reached,
                group=data.group,
                person=data.person,
                is_summary=data.is_summary,
                note=clean_text(data.note, multiline=True)[:500],
                recorded_by=actor_or_none(by),
                client_key=key,
            )
    except IntegrityError:
        # The same form arrived twice at once: the other request stored it.
        return Created(_same_sender(Activity.objects.get(client_key=key), by), created=False)
    return Created(activity, created=True)


def _same_sender(existing: Activity, by: Any) -> Activity:
    """A key answers only its own sender's retries; someone else's key is an error, not a leak."""
    if existing.recorded_by_id != getattr(actor_or_none(by), "pk", None):
        raise Conflict(
            _("This form key has already been used for another record."),
            code="client_key_used",
            extra={"field": "client_key"},
        )
    return existing


@transaction.atomic
def activities_confirm(*, by: Any, activities: Iterable[Activity]) -> int:
    """Confirm submitted activities; returns how many changed."""
    ids = [a.pk for a in activities]
    pending = list(Activity.objects.filter(pk__in=ids, status=Activity.Status.SUBMITTED).select_related("unit", "kind"))
    Activity.objects.filter(pk__in=[a.pk for a in pending]).update(
        status=Activity.Status.CONFIRMED, confirmed_by=actor_or_none(by), confirmed_at=timezone.now()
    )
    audit_record_many(
        action="lantoa.people.activity.confirmed", by=by, targets=[(a, a.unit) for a in pending], changed=["status"]
    )
    return len(pending)


@transaction.atomic
def activity_withdraw(*, by: Any, activity: Activity, reason: str) -> Activity:
    """Take a wrong record out of the counts, with a reason. The record itself stays."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    reason = clean_text(reason)
    if not reason:
        raise ValidationFailed(_("Say why the record is withdrawn."), extra={"field": "reason"})
    if activity.status == Activity.Status.WITHDRAWN:
        return activity
    activity.status = Activity.Status.WITHDRAWN
    activity.withdrawn_reason = reason[:255]
    activity.save(update_fields=["status", "withdrawn_reason"])
    audit_record(
        action="lantoa.people.activity.withdrawn", by=by, target=activity, unit=activity.unit, changed=["status"]
    )
    return activity


# --- Restructuring: what points at a closing unit --------------------------------------------


def groups_follow_successor(closing: list[tuple[Unit, Unit | None]], day: dt.date, by: Any) -> list[Any]:
    """The restructuring handler for groups: a unit keeps one group of each kind.

    Groups of a closing unit end that day. Per successor and kind of group:

    - a successor that already has such a group takes the closing units' groups in (merged);
    - a single group continues in the successor as a new group with the same name and members;
    - several groups (communes merged into a new one) merge into a new group of the successor,
      named after it, led by the leader of the predecessor whose name the successor keeps.

    Without a successor (or when the event says ``pointers: {"network_groups": "end"}``), the
    groups dissolve.
    """
    from lantoa.org.restructuring import PointerChange

    successors = {unit.pk: successor for unit, successor in closing}
    groups = list(
        NetworkGroup.objects.filter(unit_id__in=list(successors), valid_from__lt=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
        .select_related("unit", "kind")
        .order_by("unit__code", "pk")
    )
    buckets: dict[tuple[int, int], list[NetworkGroup]] = defaultdict(list)
    continuing: list[NetworkGroup] = []
    for group in groups:
        successor = successors[group.unit_id]
        if successor is None:
            continuing.append(group)  # dissolves below
        else:
            buckets[(successor.pk, group.kind_id)].append(group)
    merges: list[tuple[list[NetworkGroup], Unit, NetworkGroup | None]] = []
    for bucket in buckets.values():
        successor = successors[bucket[0].unit_id]
        assert successor is not None
        existing = NetworkGroup.objects.filter(_open_on(day), unit=successor, kind_id=bucket[0].kind_id).first()
        if len(bucket) == 1 and existing is None:
            continuing.append(bucket[0])
        else:
            merges.append((bucket, successor, existing))
    changes = _groups_continue(continuing, successors, day, by)
    for bucket, successor, into in merges:
        leader = None
        if into is None:
            name = f"{bucket[0].kind.name_vi} {_without_prefix(successor.name)}"
            into = group_create(by=by, kind=bucket[0].kind, unit=successor, name=name, valid_from=day)
            leader = _leader_before(_keeping_name(bucket, successor), day)
        groups_merge(by=by, groups=bucket, into=into, on=day)
        if leader is not None:
            group_leader_set(by=by, group=into, person=leader, on=day)
        changes += [
            PointerChange(what="network_group", label=g.name, from_unit=g.unit.code, to_unit=successor.code)
            for g in bucket
        ]
    return changes


_UNIT_PREFIXES = ("Đảng bộ ", "Chi bộ ")
_COMMUNE_TYPES = ("xa ", "phuong ", "thi tran ", "dac khu ")


def _without_prefix(unit_name: str) -> str:
    """ "Đảng bộ xã Bản Cái" → "xã Bản Cái"."""
    return next((unit_name[len(p) :] for p in _UNIT_PREFIXES if unit_name.startswith(p)), unit_name)


def _proper_name(unit: Unit) -> str:
    """The folded name without the kind of unit: "Đảng bộ thị trấn Bắc Hà" → "bac ha"."""
    label = fold(_without_prefix(unit.name))
    return next((label[len(t) :] for t in _COMMUNE_TYPES if label.startswith(t)), label)


def _keeping_name(bucket: list[NetworkGroup], successor: Unit) -> NetworkGroup:
    """The group of the predecessor whose name the successor keeps, else the first by code."""
    wanted = _proper_name(successor)
    return next((group for group in bucket if _proper_name(group.unit) == wanted), bucket[0])


def _leader_before(group: NetworkGroup, day: dt.date) -> Person | None:
    membership = (
        GroupMembership.objects.filter(_open_on(day - dt.timedelta(days=1)), group=group, is_leader=True)
        .select_related("person")
        .first()
    )
    return membership.person if membership else None


def _groups_continue(
    groups: list[NetworkGroup], successors: Mapping[int, Unit | None], day: dt.date, by: Any
) -> list[Any]:
    """Each group ends on ``day`` and continues in its unit's successor (same kind, name and
    members, linked to the old one); without a successor it dissolves."""
    from lantoa.org.restructuring import PointerChange

    if not groups:
        return []
    now = timezone.now()
    members = list(GroupMembership.objects.filter(group__in=groups).filter(_open_on(day)))
    GroupMembership.objects.filter(pk__in=[m.pk for m in members]).update(valid_to=day, updated_at=now)
    NetworkGroup.objects.filter(pk__in=[g.pk for g in groups]).update(valid_to=day, updated_at=now)
    continuing = [g for g in groups if successors[g.unit_id] is not None]
    created = NetworkGroup.objects.bulk_create(
        [
            NetworkGroup(
                kind_id=g.kind_id,
                unit=successors[g.unit_id],
                name=g.name,
                valid_from=day,
                decision_ref=g.decision_ref,
                continues=g,
            )
            for g in continuing
        ],
        batch_size=1000,
    )
    if created and created[0].pk is None:  # backends that do not return keys from bulk inserts
        created = list(NetworkGroup.objects.filter(continues__in=continuing).order_by("pk"))
    new_of = {new.continues_id: new for new in created}
    GroupMembership.objects.bulk_create(
        [
            GroupMembership(group=new_of[m.group_id], person_id=m.person_id, is_leader=m.is_leader, valid_from=day)
            for m in members
            if m.group_id in new_of
        ],
        batch_size=1000,
    )
    events = []
    for group in groups:
        new = new_of.get(group.pk)
        events.append(_event(group, GroupEvent.Kind.MOVED if new else GroupEvent.Kind.DISSOLVED, day, by, other=new))
        if new is not None:
            events.append(_event(new, GroupEvent.Kind.FORMED, day, by, other=group))
    GroupEvent.objects.bulk_create(events, batch_size=1000)
    audit_record_many(action="lantoa.people.group.followed_unit", by=None, targets=[(g, g.unit) for g in groups])
    return [
        PointerChange(
            what="network_group",
            label=group.name,
            from_unit=group.unit.code,
            to_unit=successors[group.unit_id].code if successors[group.unit_id] else None,  # type: ignore[union-attr]
        )
        for group in groups
    ]


def roles_follow_successor(closing: list[tuple[Unit, Unit | None]], day: dt.date, by: Any) -> list[Any]:
    """Network roles held in a closing unit end that day and continue in its successor."""
    from lantoa.org.restructuring import PointerChange

    successors = {unit.pk: successor for unit, successor in closing}
    ended = _roles_follow(RoleAssignment.objects.filter(unit_id__in=list(successors)), successors, day)
    if not ended:
        return []
    codes = {unit.pk: unit.code for unit, _successor in closing}
    counts: dict[int, int] = {}
    for assignment in ended:
        counts[assignment.unit_id] = counts.get(assignment.unit_id, 0) + 1
    # One line per unit: the preview of a provincial merger would otherwise list thousands of people.
    return [
        PointerChange(
            what="network_role",
            label=_("%(count)s network roles") % {"count": count},
            from_unit=codes[unit_id],
            to_unit=successors[unit_id].code if successors[unit_id] else None,  # type: ignore[union-attr]
        )
        for unit_id, count in sorted(counts.items(), key=lambda item: codes[item[0]])
    ]


def person_home_units_follow_successor(closing: list[tuple[Unit, Unit | None]], day: dt.date, by: Any) -> list[Any]:
    """A person's home unit is where they live or work now: when it closes, it becomes the
    successor (a person's current attribute, not a dated record; roles keep their history)."""
    from lantoa.org.restructuring import PointerChange

    changes = []
    for unit, successor in sorted(closing, key=lambda pair: pair[0].code):
        if successor is None:
            continue
        persons = list(Person.objects.filter(home_unit=unit))
        if not persons:
            continue
        Person.objects.filter(pk__in=[p.pk for p in persons]).update(home_unit=successor, updated_at=timezone.now())
        audit_record_many(
            action="lantoa.people.person.home_unit_followed",
            by=None,
            targets=[(person, successor) for person in persons],
            changed=["home_unit"],
        )
        label = _("%(count)s persons") % {"count": len(persons)}
        changes.append(PointerChange(what="person_home_unit", label=label, from_unit=unit.code, to_unit=successor.code))
    return changes
