"""Successions: how closed units' figures reach a later tree."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_EVEN, Decimal

from django.db.models import QuerySet

from lantoa.core.indicators import Reallocation
from lantoa.org.models import Succession
from lantoa.org.rollup.values import Number

Events = list[tuple[int, list[tuple[int, int, Decimal, bool]]]]


def successions_until(day: dt.date) -> Events:
    """Events effective by ``day`` in order, each as (event id, [(pred, succ, weight, default)])."""
    rows = (
        Succession.objects.filter(event__effective_on__lte=day)
        .order_by("event__effective_on", "event__sequence", "event_id", "predecessor_id", "successor__code")
        .values_list("event_id", "predecessor_id", "successor_id", "weight", "is_default")
    )
    events: Events = []
    for event_id, pred, succ, weight, default in rows:
        if not events or events[-1][0] != event_id:
            events.append((event_id, []))
        events[-1][1].append((pred, succ, weight, default))
    return events


def share_by_weight(value: Number, weights: list[tuple[int, Decimal]]) -> dict[int, Number]:
    """Split ``value`` across successors. Integers are shared by largest remainder so the parts
    add up exactly to the whole; Decimals are shared exactly (to 6 places, remainder to the last)."""
    if isinstance(value, int):
        raw = [(unit, Decimal(value) * weight) for unit, weight in weights]
        parts: dict[int, Number] = {unit: int(amount) for unit, amount in raw}
        left = value - sum(int(part) for part in parts.values())
        by_remainder = sorted(raw, key=lambda item: (-(item[1] - int(item[1])), item[0]))
        for unit, _amount in by_remainder[:left]:
            parts[unit] += 1
        return parts
    shares: dict[int, Number] = {}
    given = Decimal(0)
    for index, (unit, weight) in enumerate(weights):
        if index == len(weights) - 1:
            shares[unit] = value - given
        else:
            part = (value * weight).quantize(Decimal("0.000001"), rounding=ROUND_HALF_EVEN)
            shares[unit] = part
            given += part
    return shares


def flow_forward(
    values: dict[int, Number], *, until: dt.date, rule: Reallocation, events: Events | None = None
) -> dict[int, Number]:
    """Carry per-unit values through every succession effective by ``until`` (``events``: the
    successions already read for that day)."""
    current: dict[int, Number] = dict(values)
    for _event, links in successions_until(until) if events is None else events:
        by_predecessor: dict[int, list[tuple[int, Decimal, bool]]] = defaultdict(list)
        for pred, succ, weight, default in links:
            by_predecessor[pred].append((succ, weight, default))
        for pred, targets in by_predecessor.items():
            if pred not in current:
                continue
            value = current.pop(pred)
            if rule == Reallocation.BY_WEIGHT:
                shares = share_by_weight(value, [(succ, weight) for succ, weight, _d in targets])
            else:
                chosen = next((succ for succ, _w, is_default in targets if is_default), targets[0][0])
                shares = {chosen: value}
            for succ, share in shares.items():
                current[succ] = current.get(succ, 0) + share
    return current


def map_units_forward(unit_ids: set[int], *, until: dt.date, events: Events | None = None) -> dict[int, int]:
    """Each unit → the unit it is counted in on ``until`` (following default successors)."""
    members: dict[int, set[int]] = {uid: {uid} for uid in unit_ids}  # where → originals now there
    for _event, links in successions_until(until) if events is None else events:
        defaults: dict[int, int] = {}
        for pred, succ, _weight, is_default in links:
            if is_default:
                defaults[pred] = succ
            else:
                defaults.setdefault(pred, succ)
        for pred, succ in defaults.items():
            moving = members.pop(pred, None)
            if moving:
                members.setdefault(succ, set()).update(moving)
    return {original: where for where, originals in members.items() for original in originals}


def predecessors_until(day: dt.date) -> QuerySet[Succession, int]:
    """Units whose records flow elsewhere by ``day`` (closed units with a successor)."""
    return Succession.objects.filter(event__effective_on__lte=day).values_list("predecessor_id", flat=True)
