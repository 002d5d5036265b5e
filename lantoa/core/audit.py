"""Recording staff writes. Every service that writes calls :func:`audit_record`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import models

from lantoa.core.context import current_request_id
from lantoa.core.models import AuditEntry

if TYPE_CHECKING:
    from lantoa.org.models import Unit


def actor_or_none(by: Any) -> Any:
    """The signed-in user behind an action, or None for the system (commands, events)."""
    return by if getattr(by, "is_authenticated", False) else None


def audit_record(
    *,
    action: str,
    by: Any,
    target: models.Model | None = None,
    unit: Unit | None = None,
    changed: Iterable[str] = (),
) -> AuditEntry:
    """Append one audit entry. ``changed`` names fields, never their values."""
    actor = actor_or_none(by)
    return AuditEntry.objects.create(
        action=action,
        actor=actor,
        actor_username=getattr(actor, "username", "") or "",
        unit=unit,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:255] if target is not None else "",
        changed_fields=sorted(set(changed)),
        request_id=current_request_id(),
    )


def audit_record_many(
    *, action: str, by: Any, targets: Iterable[tuple[models.Model, Unit | None]], changed: Iterable[str] = ()
) -> int:
    """Append one entry per (target, unit) in one insert — for services that change many rows."""
    actor = actor_or_none(by)
    names = sorted(set(changed))
    request_id = current_request_id()
    entries = [
        AuditEntry(
            action=action,
            actor=actor,
            actor_username=getattr(actor, "username", "") or "",
            unit=unit,
            target_type=target._meta.label_lower,
            target_id=str(target.pk),
            target_repr=str(target)[:255],
            changed_fields=names,
            request_id=request_id,
        )
        for target, unit in targets
    ]
    AuditEntry.objects.bulk_create(entries, batch_size=1000)
    return len(entries)


def changed_fields(instance: models.Model, values: dict[str, Any]) -> list[str]:
    """Names of the fields in ``values`` that differ from ``instance``."""
    return [name for name, value in values.items() if getattr(instance, name) != value]


# --- Labels for the audit log page ---------------------------------------------------------------
# Each module registers the translated label of every action it records (its registrations.py),
# and of the field names it lists in ``changed`` that are not fields of the target's model. The
# page shows these labels; the stored codes stay stable (filters, exports, scripts read them).

_ACTION_LABELS: dict[str, Any] = {}
_FIELD_LABELS: dict[str, Any] = {}


def register_audit_labels(*, actions: dict[str, Any], fields: dict[str, Any] | None = None) -> None:
    """Labels (lazy translations) of action codes and of changed-field names."""
    for code in actions:
        if not code.startswith("lantoa.") or code.count(".") < 3:
            raise ValueError(f"Audit action codes read lantoa.<module>.<thing>.<verb>, not {code!r}.")
    _ACTION_LABELS.update(actions)
    _FIELD_LABELS.update(fields or {})


def registered_actions() -> set[str]:
    return set(_ACTION_LABELS)


def action_label(code: str) -> str:
    """The action as the log shows it ("Attendance recorded"), or its code when unknown."""
    label = _ACTION_LABELS.get(code)
    return str(label) if label is not None else code


def field_label(target_type: str, name: str) -> str:
    """A changed field as the log shows it: the target model's own name for the field, else a
    registered label, else the name itself."""
    from django.apps import apps
    from django.core.exceptions import FieldDoesNotExist

    if target_type and name not in _FIELD_LABELS:
        try:
            return str(apps.get_model(target_type)._meta.get_field(name).verbose_name)
        except (LookupError, ValueError, FieldDoesNotExist, AttributeError):
            pass
    return str(_FIELD_LABELS.get(name, name))
