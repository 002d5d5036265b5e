"""Restructuring events: merge, split, move, rename, close, abolish a tier, change kind or area.

``event_apply`` is the one entry point: it validates the request, applies it atomically
through the unit services (so every dated row closes and opens, nothing is edited in place),
records the :class:`RestructuringEvent` with its :class:`Succession` links, moves what points
at closing units (assignments and whatever other modules registered), and audits it.

A dry run performs exactly the same work inside a transaction that is then rolled back, so
the preview cannot drift from what applying will do.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from lantoa.core.audit import audit_record
from lantoa.core.errors import ValidationFailed
from lantoa.org import selectors
from lantoa.org.closure import rebuilds_deferred
from lantoa.org.models import RestructuringEvent, Succession, Unit, UnitKind, UnitParent
from lantoa.org.services import unit_area_set, unit_create, unit_move, unit_rename, units_close, units_move

Kind = RestructuringEvent.Kind


@dataclass
class PointerChange:
    """Something that pointed at a closing unit and now points at its successor (or ends)."""

    what: str  # "assignment", "document_visibility", "network_group", …
    label: str
    from_unit: str
    to_unit: str | None


@dataclass
class FigureShift:
    """Records or reported figures attached to a closing unit, which now count at its successors."""

    unit: str
    what: str  # a record source key, or "reported:<indicator code>"
    count: int
    to: list[tuple[str, Decimal]]  # successor codes with weights


@dataclass
class EventReport:
    """What an event did (or, in a dry run, would do)."""

    kind: str
    effective_on: dt.date
    dry_run: bool = False
    event_id: int | None = None
    created: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    moved: list[tuple[str, str | None, str]] = field(default_factory=list)  # unit, from, to
    renamed: list[tuple[str, str, str]] = field(default_factory=list)
    successions: list[tuple[str, str, Decimal, bool]] = field(default_factory=list)
    # Parts of a unit that stays open given to other units: (open unit, receiving unit).
    parts: list[tuple[str, str]] = field(default_factory=list)
    pointers: list[PointerChange] = field(default_factory=list)
    figures: list[FigureShift] = field(default_factory=list)
    # What follows a closing unit to its successor: handler key → "follow" (default) or "end".
    pointer_choices: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "effective_on": self.effective_on.isoformat(),
            "dry_run": self.dry_run,
            "event_id": self.event_id,
            "created": self.created,
            "closed": self.closed,
            "moved": [{"unit": u, "from": f, "to": t} for u, f, t in self.moved],
            "renamed": [{"unit": u, "from": f, "to": t} for u, f, t in self.renamed],
            "successions": [
                {"predecessor": p, "successor": s, "weight": str(w), "is_default": d} for p, s, w, d in self.successions
            ],
            "parts": [{"from": f, "to": t} for f, t in self.parts],
            "pointers": [p.__dict__ for p in self.pointers],
            "figures": [
                {
                    "unit": f.unit,
                    "what": f.what,
                    "count": f.count,
                    "to": [{"unit": c, "weight": str(w)} for c, w in f.to],
                }
                for f in self.figures
            ],
        }


# Other modules register how their records that point at a unit follow a closing unit
# (document visibility, network groups, contest eligibility…). Each handler receives the
# closing units with their default successors (or None), the effective date and ``by``, moves
# what it must, and returns what it changed. It runs inside the event, before the closure table is
# rebuilt: it should work from the units it is given, not ask for subtrees.
# It receives every closing unit of the event at once, as (closing unit, successor or None) pairs.
PointerHandler = Callable[[list[tuple[Unit, Unit | None]], dt.date, Any], list[PointerChange]]
_pointer_handlers: dict[str, PointerHandler] = {}


def register_pointer_handler(key: str, handler: PointerHandler) -> None:
    _pointer_handlers[key] = handler


# A unit that stays open may give a part of itself (an area, its people) to a new or a
# neighbouring unit: a split with ``keeps_open``. Nothing closes, so no pointer handler runs, and
# no succession is recorded (the open unit keeps its records, decision 0006). Modules that must
# still act on it (a data request the open unit was asked to file also goes to the receiving
# unit) register a parts handler: it receives every (open unit, receiving unit) pair of the event
# at once, the effective date and ``by``, inside the event, and returns what it changed.
PartsHandler = Callable[[list[tuple[Unit, Unit]], dt.date, Any], list[PointerChange]]
_parts_handlers: dict[str, PartsHandler] = {}


def register_parts_handler(key: str, handler: PartsHandler) -> None:
    _parts_handlers[key] = handler


class _Rollback(Exception):
    pass


def event_apply(
    *,
    by: Any,
    kind: str,
    effective_on: dt.date,
    payload: dict[str, Any],
    legal_basis: str = "",
    decided_on: dt.date | None = None,
    note: str = "",
    dry_run: bool = False,
) -> EventReport:
    """Apply one restructuring event (or preview it with ``dry_run``)."""
    if kind not in Kind.values:
        raise ValidationFailed(_("Unknown event kind %(kind)s.") % {"kind": kind}, extra={"field": "kind"})
    if decided_on is not None and decided_on > effective_on:
        raise ValidationFailed(_("An event cannot take effect before it is decided."), extra={"field": "decided_on"})
    report = EventReport(kind=kind, effective_on=effective_on, dry_run=dry_run)
    report.pointer_choices = _pointer_choices(payload)
    try:
        with transaction.atomic():
            event = RestructuringEvent.objects.create(
                kind=kind,
                legal_basis=legal_basis.strip(),
                decided_on=decided_on,
                effective_on=effective_on,
                sequence=_next_sequence(effective_on),
                note=note,
                payload=payload,
                created_by=by if getattr(by, "is_authenticated", False) else None,
            )
            # The closure table is rebuilt once for all the units the event touches, not once per
            # unit (see _close for what pointer handlers can rely on).
            with rebuilds_deferred():
                _APPLIERS[kind](event, payload, by, report)
            report.figures = _figure_shifts(report)
            report.event_id = event.pk
            audit_record(
                action=f"lantoa.org.event.{kind}",
                by=by,
                target=event,
                unit=_audit_unit(report),
                changed=["structure"],
            )
            if dry_run:
                raise _Rollback
    except _Rollback:
        report.event_id = None
    return report


POINTER_CHOICES = ("follow", "end")


def _pointer_choices(payload: dict[str, Any]) -> dict[str, str]:
    """``payload["pointers"]``: for each registered handler, whether what points at a closing
    unit follows it to the successor ("follow", the default) or simply ends ("end")."""
    choices = payload.get("pointers") or {}
    if not isinstance(choices, dict):
        raise ValidationFailed(_("pointers must map a kind of record to follow or end."), extra={"field": "pointers"})
    for key, choice in choices.items():
        if key not in _pointer_handlers or choice not in POINTER_CHOICES:
            raise ValidationFailed(
                _("Unknown choice %(choice)s for %(key)s (use follow or end).") % {"choice": choice, "key": key},
                extra={"field": "pointers"},
            )
    return {str(key): str(choice) for key, choice in choices.items()}


def _figure_shifts(report: EventReport) -> list[FigureShift]:
    """What counts at the closing units (every registered record source, and reported figures)
    and will, in today's structure, count at their successors."""
    from django.apps import apps
    from django.db.models import Count

    from lantoa.core.indicators import all_sources
    from lantoa.core.models import DataValue

    codes = dict(Unit.objects.filter(code__in=report.closed).values_list("pk", "code"))
    if not codes:
        return []
    successors: dict[str, list[tuple[str, Decimal]]] = defaultdict(list)
    for predecessor, successor, weight, _default in report.successions:
        successors[predecessor].append((successor, weight))
    shifts = []
    for source in all_sources():
        column = f"{source.unit_field}_id"
        model = apps.get_model(source.model)
        rows = (
            model.objects.filter(**{f"{column}__in": list(codes)}, **source.filters)
            .order_by()
            .values(column)
            .annotate(n=Count("pk"))
            .values_list(column, "n")
        )
        shifts += [FigureShift(codes[uid], source.key, n, successors[codes[uid]]) for uid, n in rows]
    reported = (
        DataValue.objects.filter(unit_id__in=list(codes), superseded_at__isnull=True)
        .order_by()
        .values("unit_id", "indicator")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "indicator", "n")
    )
    shifts += [FigureShift(codes[uid], f"reported:{code}", n, successors[codes[uid]]) for uid, code, n in reported]
    return sorted(shifts, key=lambda shift: (shift.unit, shift.what))


def _next_sequence(day: dt.date) -> int:
    last = RestructuringEvent.objects.filter(effective_on=day).order_by("-sequence").first()
    return (last.sequence + 1) if last else 1


def _audit_unit(report: EventReport) -> Unit | None:
    codes = (
        report.closed
        or [part[0] for part in report.parts]
        or report.created
        or [m[0] for m in report.moved]
        or [r[0] for r in report.renamed]
    )
    return selectors.unit_by_code(codes[0]) if codes else None


# --- Reading the payload -------------------------------------------------------------------


def _unit(code: Any, field_name: str, day: dt.date) -> Unit:
    """The unit with ``code``, open on ``day`` or the day before (a unit closing that day)."""
    return _units([str(code or "")], field_name, day)[0]


def _units(codes: list[str], field_name: str, day: dt.date) -> list[Unit]:
    """The units with ``codes`` (one query), each open on ``day`` or the day before, in order."""
    found = {unit.code: unit for unit in Unit.objects.select_related("kind__tier").filter(code__in=codes)}
    units = []
    for code in codes:
        unit = found.get(code)
        if unit is None:
            raise ValidationFailed(_("No unit with code %(code)s.") % {"code": code}, extra={"field": field_name})
        if not unit.is_open_on(day - dt.timedelta(days=1)) and not unit.is_open_on(day):
            raise ValidationFailed(
                _("%(unit)s is not open on %(day)s.") % {"unit": unit.code, "day": day.isoformat()},
                extra={"field": field_name},
            )
        units.append(unit)
    return units


def _kind(code: Any, field_name: str) -> UnitKind:
    kind = UnitKind.objects.filter(code=str(code or "")).first()
    if kind is None:
        raise ValidationFailed(_("Unknown unit kind %(kind)s.") % {"kind": code}, extra={"field": field_name})
    return kind


def _weight(value: Any) -> Decimal:
    try:
        weight = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed(_("%(value)s is not a weight.") % {"value": value}, extra={"field": "weight"}) from exc
    if not Decimal(0) < weight <= Decimal(1):
        raise ValidationFailed(_("Weights must be more than 0 and at most 1."), extra={"field": "weight"})
    return weight


def _new_unit(spec: dict[str, Any], day: dt.date, by: Any, report: EventReport) -> Unit:
    parent = _unit(spec.get("parent"), "parent", day) if spec.get("parent") else None
    unit = unit_create(
        by=by,
        code=str(spec.get("code", "")),
        name=str(spec.get("name", "")),
        kind=_kind(spec.get("kind"), "kind"),
        parent=parent,
        opened_on=day,
        official_code=str(spec.get("official_code", "")),
        area_name=str(spec.get("area_name", "")),
        area_level=str(spec.get("area_level", "")),
    )
    report.created.append(unit.code)
    return unit


# --- Building blocks -----------------------------------------------------------------------


def _succeed(
    event: RestructuringEvent,
    predecessor: Unit,
    successor: Unit,
    weight: Decimal,
    is_default: bool,
    report: EventReport,
) -> None:
    _succeed_all(event, [(predecessor, successor, weight, is_default)], report)


def _succeed_all(event: RestructuringEvent, rows: list[tuple[Unit, Unit, Decimal, bool]], report: EventReport) -> None:
    """Several :func:`_succeed` with one insert."""
    Succession.objects.bulk_create(
        Succession(event=event, predecessor=p, successor=s, weight=w, is_default=d) for p, s, w, d in rows
    )
    report.successions.extend((p.code, s.code, w, d) for p, s, w, d in rows)


def _move(unit: Unit, new_parent: Unit, day: dt.date, by: Any, report: EventReport, old: Unit | None = None) -> None:
    """Move ``unit`` under ``new_parent``; ``old`` is its parent on ``day`` when the caller knows it."""
    old = old or selectors.unit_parent(unit, as_of=day)
    unit_move(by=by, unit=unit, new_parent=new_parent, on=day)
    report.moved.append((unit.code, old.code if old else None, new_parent.code))


def _open_children(units: list[Unit], day: dt.date) -> dict[int, list[Unit]]:
    """The open children of each of ``units`` on ``day``, by parent id, in code order (one query)."""
    child_open = Q(unit__opened_on__lte=day) & (Q(unit__closed_on__isnull=True) | Q(unit__closed_on__gt=day))
    links = UnitParent.objects.filter(selectors.valid_on(day), child_open, parent__in=units).select_related("unit")
    by_parent: dict[int, list[Unit]] = defaultdict(list)
    for link in links.order_by("unit__code"):
        by_parent[link.parent_id].append(link.unit)
    return by_parent


def _close(
    unit: Unit,
    successor: Unit | None,
    day: dt.date,
    by: Any,
    report: EventReport,
    children_to: dict[str, Unit] | None = None,
) -> None:
    """Move the unit's children (to ``children_to`` or the successor), move what points at it,
    then close it."""
    _close_all([(unit, successor, children_to)], day, by, report)


def _close_all(
    closing: list[tuple[Unit, Unit | None, dict[str, Unit] | None]], day: dt.date, by: Any, report: EventReport
) -> None:
    """:func:`_close` for several units (unit, successor, children_to) of one event.

    First every unit's children move, then for each unit what points at it moves, then the
    units close — each step in bulk. The closure table is rebuilt once, when the event ends.
    """
    children = _open_children([unit for unit, _successor, _children_to in closing], day)
    moves: list[tuple[Unit, Unit]] = []
    for unit, successor, children_to in closing:
        for child in children.get(unit.pk, []):
            target = (children_to or {}).get(child.code) or successor
            if target is None:
                raise ValidationFailed(
                    _("%(unit)s still has units below it; say where they go.") % {"unit": unit.code},
                    extra={"field": "children", "unit": unit.code},
                )
            moves.append((child, target))
            report.moved.append((child.code, unit.code, target.code))
    # All the children of all the closing units move in one go (a handful of queries).
    units_move(by=by, moves=moves, on=day)
    for key, handler in _pointer_handlers.items():
        follows = report.pointer_choices.get(key, "follow") == "follow"
        pairs = [(unit, successor if follows else None) for unit, successor, _children_to in closing]
        report.pointers.extend(handler(pairs, day, by))
    units_close(by=by, units=[unit for unit, _successor, _children_to in closing], on=day)
    report.closed.extend(unit.code for unit, _successor, _children_to in closing)


# --- One function per event kind ---------------------------------------------------------------


def _apply_create(event: RestructuringEvent, payload: dict[str, Any], by: Any, report: EventReport) -> None:
    _new_unit(payload, event.effective_on, by, report)


def _apply_close(event: RestructuringEvent, payload: dict[str, Any], by: Any, report: EventReport) -> None:
    day = event.effective_on
    unit = _unit(payload.get("unit"), "unit", day)
    successor = _unit(payload["successor"], "successor", day) if payload.get("successor") else None
    if successor is not None:
        _succeed(event, unit, successor, Decimal(1), True, report)
    _close(unit, successor, day, by, report)


def _apply_rename(event: RestructuringEvent, payload: dict[str, Any], by: Any, report: EventReport) -> None:
    unit = _unit(payload.get("unit"), "unit", event.effective_on)
    old = unit.name
    unit_rename(
        by=by,
        unit=unit,
        name=str(payload.get("name", "")),
        short_name=str(payload.get("short_name", "")),
        on=event.effective_on,
    )
    report.renamed.append((unit.code, old, str(payload.get("name", "")).strip()))


def _apply_move(event: RestructuringEvent, payload: dict[str, Any], by: Any, report: EventReport) -> None:
    day = event.effective_on
    _move(_unit(payload.get("unit"), "unit", day), _unit(payload.get("parent"), "parent", day), day, by, report)


def _apply_merge(event: RestructuringEvent, payload: dict[str, Any], by: Any, report: EventReport) -> None:
    """N units → one: a new unit (``new``) or an existing one that continues (``into``).

    One decision often arranges many groups at once (a resolution arranging all the communes of
    a province): ``groups`` then lists several such merges, applied as one event.
    """
    day = event.effective_on
    groups = payload.get("groups", [payload])
    if not isinstance(groups, list) or not groups:
        raise ValidationFailed(_("A merge needs at least one group of units."), extra={"field": "groups"})
    all_codes = [str(code) for group in groups for code in (group.get("predecessors") or [])]
    if len(set(all_codes)) != len(all_codes):
        raise ValidationFailed(_("A merge needs distinct units to merge."), extra={"field": "predecessors"})
    by_code = {unit.code: unit for unit in _units(all_codes, "predecessors", day)}
    links: list[tuple[Unit, Unit, Decimal, bool]] = []
    for group in groups:
        codes = [str(code) for code in (group.get("predecessors") or [])]
        if not codes:
            raise ValidationFailed(_("A merge needs distinct units to merge."), extra={"field": "predecessors"})
        if bool(group.get("into")) == bool(group.get("new")):
            raise ValidationFailed(
                _("Say either which unit continues or the new unit to create."), extra={"field": "into"}
            )
        if group.get("into"):
            successor = _unit(group["into"], "into", day)
            if successor.code in all_codes:
                raise ValidationFailed(_("The continuing unit cannot also be merged away."), extra={"field": "into"})
        else:
            successor = _new_unit(dict(group["new"]), day, by, report)
        links += [(by_code[code], successor, Decimal(1), True) for code in codes]
    _succeed_all(event, links, report)
    _close_all([(predecessor, successor, None) for predecessor, successor, _w, _d in links], day, by, report)


def _apply_split(event: RestructuringEvent, payload: dict[str, Any], by: Any, report: EventReport) -> None:
    """1 unit → N with weights summing to 1 and one default successor; children go to the default
    successor unless ``children`` says otherwise. With ``keeps_open`` the unit stays open and
    gives parts of itself to the successors (:func:`_give_parts`)."""
    day = event.effective_on
    unit = _unit(payload.get("unit"), "unit", day)
    if payload.get("keeps_open"):
        _give_parts(unit, payload, day, by, report)
        return
    parts = list(payload.get("successors", []))
    if len(parts) < 2:
        raise ValidationFailed(_("A split needs at least two successors."), extra={"field": "successors"})
    weights = [_weight(part.get("weight")) for part in parts]
    if sum(weights) != Decimal(1):
        raise ValidationFailed(
            _("Split weights must add up to exactly 1 (they add up to %(total)s).") % {"total": sum(weights)},
            extra={"field": "successors"},
        )
    defaults = [bool(part.get("is_default")) for part in parts]
    if sum(defaults) != 1:
        raise ValidationFailed(_("Exactly one successor must be the default."), extra={"field": "successors"})
    successors = [
        _new_unit(dict(part["new"]), day, by, report) if part.get("new") else _unit(part.get("unit"), "successors", day)
        for part in parts
    ]
    if unit.code in {s.code for s in successors}:
        raise ValidationFailed(_("A unit cannot succeed itself."), extra={"field": "successors"})
    for successor, weight, is_default in zip(successors, weights, defaults, strict=True):
        _succeed(event, unit, successor, weight, is_default, report)
    default = successors[defaults.index(True)]
    by_code = {s.code: s for s in successors}
    children_to = {}
    for child_code, target_code in dict(payload.get("children", {})).items():
        if target_code not in by_code:
            raise ValidationFailed(
                _("Children may only go to one of the successors (%(code)s is not one).") % {"code": target_code},
                extra={"field": "children"},
            )
        children_to[str(child_code)] = by_code[target_code]
    _close(unit, default, day, by, report, children_to=children_to)


def _give_parts(unit: Unit, payload: dict[str, Any], day: dt.date, by: Any, report: EventReport) -> None:
    """``unit`` stays open and gives a part of itself to each of ``successors`` (new units or
    neighbours); ``children`` may move some of its children to them. No succession is recorded:
    the records stay with the unit that keeps its name (decision 0006), and the weights, when
    given, are for the record only — they leave the unit a share, so they add up to less than 1."""
    if not unit.is_open_on(day):
        raise ValidationFailed(
            _("%(unit)s is not open on %(day)s.") % {"unit": unit.code, "day": day.isoformat()}, extra={"field": "unit"}
        )
    parts = payload.get("successors")
    if not isinstance(parts, list) or not parts or not all(isinstance(part, dict) for part in parts):
        raise ValidationFailed(_("Say which units receive a part."), extra={"field": "successors"})
    if any(part.get("is_default") for part in parts):
        raise ValidationFailed(
            _("The unit stays open: none of the units receiving a part is its default successor."),
            extra={"field": "successors"},
        )
    weights = [_weight(part["weight"]) for part in parts if part.get("weight") is not None]
    if sum(weights) >= Decimal(1):
        raise ValidationFailed(
            _("The unit stays open: the parts it gives add up to less than 1 (they add up to %(total)s).")
            % {"total": sum(weights)},
            extra={"field": "successors"},
        )
    receivers = [
        _new_unit(dict(part["new"]), day, by, report) if part.get("new") else _unit(part.get("unit"), "successors", day)
        for part in parts
    ]
    by_code = {receiver.code: receiver for receiver in receivers}
    if unit.code in by_code or len(by_code) != len(receivers):
        raise ValidationFailed(
            _("Each unit receiving a part is another, distinct unit."), extra={"field": "successors"}
        )
    moving = payload.get("children") or {}
    if not isinstance(moving, dict):
        raise ValidationFailed(_("children must map a child's code to a successor's."), extra={"field": "children"})
    children = {child.code: child for child in _open_children([unit], day).get(unit.pk, [])}
    for child_code, target_code in moving.items():
        if target_code not in by_code:
            raise ValidationFailed(
                _("Children may only go to one of the successors (%(code)s is not one).") % {"code": target_code},
                extra={"field": "children"},
            )
        if child_code not in children:
            raise ValidationFailed(
                _("%(child)s is not below %(unit)s.") % {"child": child_code, "unit": unit.code},
                extra={"field": "children"},
            )
        _move(children[child_code], by_code[target_code], day, by, report, old=unit)
    pairs = [(unit, receiver) for receiver in receivers]
    report.parts.extend((given.code, receiver.code) for given, receiver in pairs)
    for handler in _parts_handlers.values():
        report.pointers.extend(handler(pairs, day, by))


def _apply_abolish_tier(event: RestructuringEvent, payload: dict[str, Any], by: Any, report: EventReport) -> None:
    """Every unit of ``tier`` under ``within`` closes; its children move up to its parent, which
    also receives its records."""
    day = event.effective_on
    within = _unit(payload.get("within"), "within", day)
    tier = str(payload.get("tier", ""))
    doomed = list(
        selectors.unit_subtree(within, as_of=day - dt.timedelta(days=1))
        .filter(kind__tier__code=tier)
        .exclude(pk=within.pk)
        .order_by("code")
    )
    if not doomed:
        raise ValidationFailed(
            _("No unit of tier %(tier)s under %(unit)s.") % {"tier": tier, "unit": within.code}, extra={"field": "tier"}
        )
    closing: list[tuple[Unit, Unit | None, dict[str, Unit] | None]] = []
    successions: list[tuple[Unit, Unit, Decimal, bool]] = []
    for unit in doomed:
        parent = selectors.unit_parent(unit, as_of=day - dt.timedelta(days=1))
        if parent is None:
            raise ValidationFailed(_("%(unit)s has no parent to move up to.") % {"unit": unit.code})
        successions.append((unit, parent, Decimal(1), True))
        closing.append((unit, parent, None))
    _succeed_all(event, successions, report)
    _close_all(closing, day, by, report)


def _apply_change_kind(event: RestructuringEvent, payload: dict[str, Any], by: Any, report: EventReport) -> None:
    unit = _unit(payload.get("unit"), "unit", event.effective_on)
    kind = _kind(payload.get("kind"), "kind")
    if kind.pk == unit.kind_id:
        raise ValidationFailed(_("The unit is already of this kind."), extra={"field": "kind"})
    # The previous kind stays readable in the event's payload.
    event.payload = {**event.payload, "previous_kind": unit.kind.code}
    event.save(update_fields=["payload"])
    unit.kind = kind
    unit.save(update_fields=["kind", "updated_at"])
    audit_record(action="lantoa.org.unit.kind_changed", by=by, target=unit, unit=unit, changed=["kind"])


def _apply_change_area(event: RestructuringEvent, payload: dict[str, Any], by: Any, report: EventReport) -> None:
    unit = _unit(payload.get("unit"), "unit", event.effective_on)
    unit_area_set(
        by=by,
        unit=unit,
        official_code=str(payload.get("official_code", "")),
        area_name=str(payload.get("area_name", "")),
        level=str(payload.get("level", "commune")),
        on=event.effective_on,
    )


_APPLIERS: dict[str, Callable[[RestructuringEvent, dict[str, Any], Any, EventReport], None]] = {
    Kind.CREATE: _apply_create,
    Kind.CLOSE: _apply_close,
    Kind.RENAME: _apply_rename,
    Kind.MOVE: _apply_move,
    Kind.MERGE: _apply_merge,
    Kind.SPLIT: _apply_split,
    Kind.ABOLISH_TIER: _apply_abolish_tier,
    Kind.CHANGE_KIND: _apply_change_kind,
    Kind.CHANGE_AREA: _apply_change_area,
}


def payload_unit_codes(payload: dict[str, Any]) -> set[str]:
    """Every existing unit an event request names (for the permission gate)."""
    codes: set[str] = set()
    for group in payload.get("groups", []) or []:
        if isinstance(group, dict):
            codes |= payload_unit_codes(group)
    for key in ("unit", "into", "parent", "within", "successor"):
        if payload.get(key):
            codes.add(str(payload[key]))
    codes.update(str(code) for code in payload.get("predecessors", []) or [])
    for part in payload.get("successors", []) or []:
        if isinstance(part, dict):
            if part.get("unit"):
                codes.add(str(part["unit"]))
            if isinstance(part.get("new"), dict) and part["new"].get("parent"):
                codes.add(str(part["new"]["parent"]))
    if isinstance(payload.get("new"), dict) and payload["new"].get("parent"):
        codes.add(str(payload["new"]["parent"]))
    return codes
