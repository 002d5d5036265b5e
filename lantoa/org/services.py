"""Writing the organisation tree. The only code that changes units, names, links and areas.

Every service is atomic, validates before it writes, keeps history (a change closes the
current dated row and opens a new one; nothing is edited in place) and leaves an audit
entry. Restructuring events (merge, split, abolish a tier…) build on these.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.core.audit import audit_record, audit_record_many
from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.core.text import fold
from lantoa.org.closure import rebuild_closure
from lantoa.org.models import Tier, Unit, UnitArea, UnitClosure, UnitKind, UnitName, UnitParent
from lantoa.org.selectors import open_on, valid_on


def tier_ensure(*, code: str, name_vi: str, name_en: str, rank: int) -> Tier:
    tier, _created = Tier.objects.update_or_create(
        code=code, defaults={"name_vi": name_vi, "name_en": name_en, "rank": rank}
    )
    return tier


def unit_kind_ensure(*, code: str, tier: Tier, name_vi: str, name_en: str, is_territorial: bool) -> UnitKind:
    kind, _created = UnitKind.objects.update_or_create(
        code=code,
        defaults={"tier": tier, "name_vi": name_vi, "name_en": name_en, "is_territorial": is_territorial},
    )
    return kind


def _check_parent_open(parent: Unit | None, day: dt.date) -> None:
    if parent is not None and not parent.is_open_on(day):
        raise ValidationFailed(
            _("The parent unit %(parent)s is not open on %(day)s.") % {"parent": parent.code, "day": day.isoformat()},
            extra={"field": "parent"},
        )


@transaction.atomic
def unit_create(
    *,
    by: Any,
    code: str,
    name: str,
    kind: UnitKind,
    opened_on: dt.date,
    parent: Unit | None = None,
    short_name: str = "",
    official_code: str = "",
    area_name: str = "",
    area_level: str = "",
    keeps_records: bool = True,
    rebuild: bool = True,
) -> Unit:
    """Create a unit under ``parent`` from ``opened_on``. Codes are never reused.

    ``keeps_records=False`` marks a unit whose records are not kept in Lantoa (a unit imported
    only for its place in the tree): its figures then show as missing rather than zero.
    """
    code = code.strip()
    if not code or not name.strip():
        raise ValidationFailed(_("A unit needs a code and a name."), extra={"field": "code" if not code else "name"})
    if Unit.objects.filter(code=code).exists():
        raise Conflict(
            _("The code %(code)s is already used by another unit, now or in the past; codes are never reused.")
            % {"code": code},
            extra={"field": "code"},
        )
    if official_code and not kind.is_territorial:
        raise ValidationFailed(
            _("A %(kind)s is a functional unit and has no administrative area.") % {"kind": kind.name},
            extra={"field": "official_code"},
        )
    _check_parent_open(parent, opened_on)
    try:
        with transaction.atomic():
            unit = Unit.objects.create(
                code=code,
                name=name.strip(),
                short_name=short_name.strip(),
                name_folded=fold(name),
                kind=kind,
                opened_on=opened_on,
                records_since=opened_on if keeps_records else None,
            )
    except IntegrityError as exc:  # a concurrent create with the same code
        raise Conflict(_("The code %(code)s is already used.") % {"code": code}, extra={"field": "code"}) from exc
    UnitName.objects.create(unit=unit, name=unit.name, short_name=unit.short_name, valid_from=opened_on)
    if parent is not None:
        UnitParent.objects.create(unit=unit, parent=parent, valid_from=opened_on)
    if official_code:
        UnitArea.objects.create(
            unit=unit,
            level=area_level or UnitArea.Level.COMMUNE,
            official_code=official_code,
            area_name=area_name or name,
            valid_from=opened_on,
        )
    if rebuild:
        rebuild_closure([unit.pk])
    audit_record(
        action="lantoa.org.unit.created",
        by=by,
        target=unit,
        unit=parent or unit,
        changed=["code", "name", "kind", "opened_on", "parent"],
    )
    return unit


def _close_current(queryset, day: dt.date) -> None:  # type: ignore[no-untyped-def]
    """End the row valid on ``day`` at ``day``; a row that starts on ``day`` is replaced instead."""
    current = queryset.filter(valid_on(day)).first()
    if current is None:
        return
    if current.valid_from == day:
        raise ValidationFailed(
            _("This unit already changed on %(day)s; record a later date or a separate event.")
            % {"day": day.isoformat()}
        )
    current.valid_to = day
    current.save(update_fields=["valid_to"])


@transaction.atomic
def unit_move(*, by: Any, unit: Unit, new_parent: Unit, on: dt.date) -> Unit:
    """Re-parent ``unit`` (and its whole subtree) under ``new_parent`` from ``on``."""
    units_move(by=by, moves=[(unit, new_parent)], on=on)
    unit.refresh_from_db()
    return unit


@transaction.atomic
def units_move(*, by: Any, moves: list[tuple[Unit, Unit]], on: dt.date) -> None:
    """Re-parent several units (each with its subtree) from ``on``, checked and written in bulk.

    A restructuring event moves every child of the units it closes at once; this keeps that to
    a handful of queries whatever the number of children.
    """
    if not moves:
        return
    ids = [unit.pk for unit, _parent in moves]
    if len(set(ids)) != len(ids):
        raise ValidationFailed(_("A unit can only be moved once on the same day."))
    units = {unit.pk: unit for unit in Unit.objects.select_for_update().filter(pk__in=ids)}
    for unit, new_parent in moves:
        if not units[unit.pk].is_open_on(on):
            raise ValidationFailed(_("The unit is not open on %(day)s.") % {"day": on.isoformat()})
        _check_parent_open(new_parent, on)
    loops = set(
        UnitClosure.objects.filter(
            valid_on(on), ancestor_id__in=ids, descendant_id__in={parent.pk for _unit, parent in moves}
        ).values_list("ancestor_id", "descendant_id")
    )
    current = {link.unit_id: link for link in UnitParent.objects.filter(valid_on(on), unit_id__in=ids)}
    for unit, new_parent in moves:
        if new_parent.pk == unit.pk or (unit.pk, new_parent.pk) in loops:
            raise ValidationFailed(
                _("A unit cannot be moved under itself or under one of its own descendants."),
                extra={"field": "new_parent"},
            )
        link = current.get(unit.pk)
        if link is not None and link.parent_id == new_parent.pk:
            raise ValidationFailed(_("The unit is already under %(parent)s.") % {"parent": new_parent.name})
        if link is not None and link.valid_from == on:
            raise ValidationFailed(
                _("This unit already changed on %(day)s; record a later date or a separate event.")
                % {"day": on.isoformat()}
            )
    if UnitParent.objects.filter(unit_id__in=ids, valid_from__gt=on).exists():
        raise ValidationFailed(_("The unit has a later parent change; record changes in date order."))
    UnitParent.objects.filter(pk__in=[link.pk for link in current.values()]).update(valid_to=on)
    UnitParent.objects.bulk_create(
        UnitParent(unit_id=unit.pk, parent=new_parent, valid_from=on, valid_to=units[unit.pk].closed_on)
        for unit, new_parent in moves
    )
    rebuild_closure(set(UnitClosure.objects.filter(ancestor_id__in=ids).values_list("descendant_id", flat=True)))
    audit_record_many(
        action="lantoa.org.unit.moved",
        by=by,
        targets=[(units[unit.pk], new_parent) for unit, new_parent in moves],
        changed=["parent"],
    )


@transaction.atomic
def unit_rename(*, by: Any, unit: Unit, name: str, on: dt.date, short_name: str = "") -> Unit:
    """Give ``unit`` a new name from ``on``; the old name stays in its history."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    name = name.strip()
    if not name:
        raise ValidationFailed(_("A unit needs a name."), extra={"field": "name"})
    if not unit.is_open_on(on):
        raise ValidationFailed(_("The unit is not open on %(day)s.") % {"day": on.isoformat()})
    _close_current(UnitName.objects.filter(unit=unit), on)
    UnitName.objects.create(unit=unit, name=name, short_name=short_name, valid_from=on, valid_to=unit.closed_on)
    if not UnitName.objects.filter(unit=unit, valid_from__gt=on).exists():
        unit.name, unit.short_name, unit.name_folded = name, short_name, fold(name)
        unit.save(update_fields=["name", "short_name", "name_folded", "updated_at"])
    audit_record(action="lantoa.org.unit.renamed", by=by, target=unit, unit=unit, changed=["name"])
    return unit


@transaction.atomic
def unit_close(*, by: Any, unit: Unit, on: dt.date) -> Unit:
    """Close ``unit`` from ``on``. Units are never deleted; their code stays taken."""
    units_close(by=by, units=[unit], on=on)
    unit.refresh_from_db()
    return unit


@transaction.atomic
def units_close(*, by: Any, units: list[Unit], on: dt.date) -> None:
    """Close several units from ``on`` in a handful of queries (a restructuring event closes
    many at once). Units closing together may sit under one another; any other open unit
    beneath them must have been moved first."""
    if not units:
        return
    ids = [unit.pk for unit in units]
    locked = {unit.pk: unit for unit in Unit.objects.select_for_update().filter(pk__in=ids)}
    for unit in locked.values():
        if not unit.is_open_on(on) or on <= unit.opened_on:
            raise ValidationFailed(_("%(unit)s is not open on %(day)s.") % {"unit": unit.code, "day": on.isoformat()})
    open_children = (
        UnitParent.objects.filter(valid_on(on), parent_id__in=ids)
        .filter(unit__in=Unit.objects.filter(open_on(on)))
        .exclude(unit_id__in=ids)
    )
    stranded = list(open_children.values_list("unit__code", flat=True)[:50])
    if stranded:
        raise ValidationFailed(
            _("%(count)s units are still under this unit; move or close them first.") % {"count": len(stranded)},
            extra={"children": stranded},
        )
    for model in (UnitName, UnitParent, UnitArea):
        model.objects.filter(unit_id__in=ids, valid_to__isnull=True).update(valid_to=on)  # type: ignore[attr-defined]
    Unit.objects.filter(pk__in=ids).update(closed_on=on, updated_at=timezone.now())
    rebuild_closure(ids)
    audit_record_many(
        action="lantoa.org.unit.closed",
        by=by,
        targets=[(unit, unit) for unit in locked.values()],
        changed=["closed_on"],
    )


@transaction.atomic
def unit_area_set(*, by: Any, unit: Unit, official_code: str, area_name: str, level: str, on: dt.date) -> UnitArea:
    """Record the administrative area ``unit`` covers from ``on`` (official codes are dated)."""
    if not unit.kind.is_territorial:
        raise ValidationFailed(_("A functional unit has no administrative area."), extra={"field": "official_code"})
    if level not in UnitArea.Level.values:
        raise ValidationFailed(_("Unknown area level %(level)s.") % {"level": level}, extra={"field": "level"})
    _close_current(UnitArea.objects.filter(unit=unit), on)
    area = UnitArea.objects.create(
        unit=unit, official_code=official_code, area_name=area_name, level=level, valid_from=on, valid_to=unit.closed_on
    )
    audit_record(action="lantoa.org.unit.area_changed", by=by, target=unit, unit=unit, changed=["official_code"])
    return area
