"""Question banks: creating one for a unit and changing its name and description."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lantoa.contests.models import DESCRIPTION_MAX, KEY_MAX, NAME_MAX, QuestionBank
from lantoa.core.audit import actor_or_none, audit_record
from lantoa.core.errors import ValidationFailed
from lantoa.core.results import Created
from lantoa.core.text import clean_text
from lantoa.org.models import Unit


@dataclass
class BankData:
    unit: Unit
    name: str
    description: str = ""
    client_key: str = ""


def _name(text: str) -> str:
    name = clean_text(text)
    if not name:
        raise ValidationFailed(_("Give the bank a name."), extra={"field": "name"})
    if len(name) > NAME_MAX:
        raise ValidationFailed(
            _("The name is longer than %(max)s characters.") % {"max": NAME_MAX}, extra={"field": "name"}
        )
    return name


def _description(text: str) -> str:
    description = clean_text(text, multiline=True)
    if len(description) > DESCRIPTION_MAX:
        raise ValidationFailed(
            _("The description is longer than %(max)s characters.") % {"max": DESCRIPTION_MAX},
            extra={"field": "description"},
        )
    return description


def bank_create(*, by: Any, data: BankData) -> Created[QuestionBank]:
    """A question bank of ``data.unit``. Sending the same ``client_key`` again for the unit
    returns the first bank, with ``created`` False."""
    key = clean_text(data.client_key)[:KEY_MAX]
    if key:
        existing = QuestionBank.objects.filter(unit=data.unit, client_key=key).first()
        if existing is not None:
            return Created(existing, created=False)
    name, description = _name(data.name), _description(data.description)
    if data.unit.closed_on is not None:
        raise ValidationFailed(_("%(unit)s has closed.") % {"unit": data.unit.name}, extra={"field": "unit"})
    try:
        with transaction.atomic():
            bank = QuestionBank.objects.create(
                unit=data.unit, name=name, description=description, client_key=key, created_by=actor_or_none(by)
            )
            audit_record(
                action="lantoa.contests.bank.created",
                by=by,
                target=bank,
                unit=bank.unit,
                changed=["name", "description"],
            )
    except IntegrityError:
        if key:
            return Created(QuestionBank.objects.get(unit=data.unit, client_key=key), created=False)
        raise
    return Created(bank, created=True)


@transaction.atomic
def bank_update(
    *, by: Any, bank: QuestionBank, name: str | None = None, description: str | None = None
) -> QuestionBank:
    """Change the bank's name or description (``None`` leaves one as it is)."""
    bank = QuestionBank.objects.select_for_update().select_related("unit").get(pk=bank.pk)
    values: dict[str, str] = {}
    if name is not None:
        values["name"] = _name(name)
    if description is not None:
        values["description"] = _description(description)
    changed = [key for key, value in values.items() if getattr(bank, key) != value]
    if changed:
        for key in changed:
            setattr(bank, key, values[key])
        bank.save()
        audit_record(action="lantoa.contests.bank.updated", by=by, target=bank, unit=bank.unit, changed=changed)
    return bank
