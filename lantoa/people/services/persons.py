"""Persons: their record, its checks, probable duplicates, and the data subject's rights
(access, correction, anonymisation)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.core.audit import audit_record
from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.core.masking import clean_phone, phone_digits
from lantoa.core.text import clean_text, fold, person_sort_text
from lantoa.org.models import Unit
from lantoa.people.models import Person

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


def sensitive_fields_enabled() -> tuple[str, ...]:
    """The sensitive fields this deployment keeps (none unless it says so)."""
    enabled = set(getattr(settings, "LANTOA_PERSON_SENSITIVE_FIELDS", ()))
    return tuple(name for name in SENSITIVE_FIELDS if name in enabled)


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
