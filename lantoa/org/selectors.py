"""Reading the organisation tree. Every scope check in Lantoa goes through here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from lantoa.core.models import DataValue
from lantoa.core.text import fold
from lantoa.org.models import Tier, Unit, UnitArea, UnitClosure, UnitName, UnitParent


def today() -> dt.date:
    return timezone.localdate()


def valid_on(day: dt.date, prefix: str = "") -> Q:
    """Rows whose ``[valid_from, valid_to)`` contains ``day``."""
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": day})
    )


def open_on(day: dt.date) -> Q:
    return Q(opened_on__lte=day) & (Q(closed_on__isnull=True) | Q(closed_on__gt=day))


def subtree_ids(roots: Iterable[int] | int, *, as_of: dt.date | None = None) -> QuerySet[UnitClosure, int]:
    """Ids of every unit beneath (and including) the roots on ``as_of``, as a subquery."""
    day = as_of or today()
    root_ids = [roots] if isinstance(roots, int) else list(roots)
    return (
        UnitClosure.objects.filter(valid_on(day), ancestor_id__in=root_ids)
        .values_list("descendant_id", flat=True)
        .distinct()
    )


def unit_subtree(unit: Unit, *, as_of: dt.date | None = None) -> QuerySet[Unit]:
    """The units beneath ``unit`` (and ``unit`` itself) as the tree stood on ``as_of``."""
    return Unit.objects.filter(pk__in=subtree_ids(unit.pk, as_of=as_of)).select_related("kind__tier")


def units_within(root_ids: Iterable[int], *, as_of: dt.date | None = None) -> QuerySet[Unit]:
    """The union of the subtrees of ``root_ids`` on ``as_of``."""
    return Unit.objects.filter(pk__in=subtree_ids(list(root_ids), as_of=as_of)).select_related("kind__tier")


def unit_is_within(unit_id: int, root_ids: Iterable[int], *, as_of: dt.date | None = None) -> bool:
    day = as_of or today()
    return UnitClosure.objects.filter(valid_on(day), ancestor_id__in=list(root_ids), descendant_id=unit_id).exists()


# --- The scope rule ---------------------------------------------------------------------------
# Who may see what is asked in four ways, all answered here: "within this subtree as of a date",
# "was ever within", "the predecessors a successor may see" and "judge a closed unit on its last
# open day". Nothing outside ``org`` reads the closure table or the successions.


def ever_within_ids(roots: Iterable[int] | int) -> QuerySet[UnitClosure, int]:
    """Ids of every unit that is, or at any time was, beneath (or one of) the roots, as a subquery."""
    root_ids = [roots] if isinstance(roots, int) else roots
    return UnitClosure.objects.filter(ancestor_id__in=root_ids).values_list("descendant_id", flat=True)


def ancestor_ids(unit_ids: Iterable[int], *, as_of: dt.date | None = None) -> QuerySet[UnitClosure, int]:
    """Ids of the units above (and including) ``unit_ids`` on ``as_of``, as a subquery."""
    day = as_of or today()
    return UnitClosure.objects.filter(valid_on(day), descendant_id__in=unit_ids).values_list("ancestor_id", flat=True)


def subtree_root_of(root_ids: Iterable[int], *, as_of: dt.date | None = None) -> dict[int, int]:
    """Each unit beneath (and including) one of ``root_ids`` on ``as_of`` → that root (one query;
    the roots are expected not to overlap, such as the children of one unit)."""
    day = as_of or today()
    rows = UnitClosure.objects.filter(valid_on(day), ancestor_id__in=list(root_ids))
    return dict(rows.values_list("descendant_id", "ancestor_id"))


def within_on_days(unit_days: dict[int, dt.date], root_ids: Iterable[int]) -> set[int]:
    """The units among ``unit_days`` that lay within one of ``root_ids`` on their own day (one query)."""
    rows = UnitClosure.objects.filter(ancestor_id__in=list(root_ids), descendant_id__in=list(unit_days))
    return {
        unit_id
        for unit_id, valid_from, valid_to in rows.values_list("descendant_id", "valid_from", "valid_to")
        if valid_from <= unit_days[unit_id] and (valid_to is None or unit_days[unit_id] < valid_to)
    }


def predecessor_ids(units: Iterable[int] | QuerySet, *, until: dt.date | None = None) -> set[int]:
    """Ids of the units whose records flowed, through one or more restructuring events effective
    by ``until`` (every event when None), into ``units`` (ids or an id subquery). These are the
    predecessors a successor may see: a commune formed in 2025 keeps the history of the communes
    it was made of, a province the history of the province merged into it."""
    from lantoa.org.models import Succession

    links = Succession.objects.all() if until is None else Succession.objects.filter(event__effective_on__lte=until)
    found: set[int] = set()
    current = set(links.filter(successor_id__in=units).values_list("predecessor_id", flat=True))
    while current - found:
        found |= current
        current = set(links.filter(successor_id__in=current).values_list("predecessor_id", flat=True))
    return found


@dataclass(frozen=True)
class Reach:
    """What a scope reaches over time: the units that are, or ever were, beneath its roots (a
    subquery), and the units whose records flowed into those (ids). Computed once and asked for
    as many fields as a listing filters on, so that the predecessors are looked up once."""

    units: QuerySet[UnitClosure, int]
    earlier: frozenset[int]

    def condition(self, *fields: str) -> Q:
        """Rows whose ``fields`` (any of them) name a unit of the reach."""
        found = Q()
        for field in fields:
            found |= Q(**{f"{field}__in": self.units}) | Q(**{f"{field}__in": self.earlier})
        return found


def reach_of(roots: Iterable[int] | int) -> Reach:
    """The :class:`Reach` of the subtrees under ``roots``."""
    units = ever_within_ids(roots)
    return Reach(units, frozenset(predecessor_ids(units)))


def successor_ids(units: Iterable[int], *, until: dt.date | None = None) -> set[int]:
    """Ids of the units that ``units`` flowed into, through events effective by ``until``."""
    from lantoa.org.models import Succession

    day = until or today()
    links = Succession.objects.filter(event__effective_on__lte=day)
    found: set[int] = set()
    current = set(links.filter(predecessor_id__in=list(units)).values_list("successor_id", flat=True))
    while current - found:
        found |= current
        current = set(links.filter(predecessor_id__in=current).values_list("successor_id", flat=True))
    return found


def scope_roots_on(root_ids: Iterable[int]) -> list[int]:
    """The roots of a scope for past days: the roots and the predecessors (by today) of every unit
    within them today, whose subtrees then are the successor's history."""
    roots = list(root_ids)
    return roots + sorted(predecessor_ids(subtree_ids(roots), until=today()) - set(roots))


def visible_ids(root_ids: Iterable[int], *, as_of: dt.date | None = None) -> QuerySet[UnitClosure, int]:
    """Ids of the units a scope rooted at ``root_ids`` sees on ``as_of``: those within the roots
    then, and those within the subtrees then of the units that have since flowed into the scope."""
    day = as_of or today()
    roots = list(root_ids) if day >= today() else scope_roots_on(root_ids)
    return subtree_ids(roots, as_of=day)


def unit_is_visible(unit_id: int, root_ids: Iterable[int], *, as_of: dt.date | None = None) -> bool:
    """:func:`visible_ids` for one unit: within the roots on ``as_of``, or within, on ``as_of``,
    a unit that has since (by today) flowed into a unit within the roots today. A closed unit
    whose successor lies within the roots today is visible on any day."""
    roots = list(root_ids)
    day = as_of or today()
    if unit_id in roots or unit_is_within(unit_id, roots, as_of=day):
        return True
    above_then = {unit_id, *ancestor_ids([unit_id], as_of=day)}
    later = successor_ids(above_then, until=today())
    return (
        bool(later)
        and UnitClosure.objects.filter(valid_on(today()), ancestor_id__in=roots, descendant_id__in=later).exists()
    )


def last_open_day(unit: Unit) -> dt.date | None:
    """The day a closed unit is judged on (its last open day); None for a unit not closed."""
    return unit.closed_on - dt.timedelta(days=1) if unit.closed_on else None


def judging_day(unit: Unit, as_of: dt.date | None = None) -> dt.date | None:
    """The day whose tree decides who may see ``unit``: ``as_of`` when asked, a closed unit's last
    open day, a unit decided for a later date its first day, otherwise today (None)."""
    if as_of is not None:
        return as_of
    if unit.closed_on is not None:
        return last_open_day(unit)
    if unit.opened_on > today():
        return unit.opened_on
    return None


def with_names_on(units: QuerySet[Unit], day: dt.date) -> QuerySet[Unit]:
    """Annotate each unit with ``name_then``: its name as it was on ``day``."""
    then = UnitName.objects.filter(valid_on(day), unit=OuterRef("pk")).values("name")[:1]
    return units.annotate(name_then=Subquery(then))


def name_then(unit: Unit) -> str:
    """The name annotated by :func:`with_names_on`, or the current one."""
    return getattr(unit, "name_then", None) or unit.name


def unit_children(unit: Unit, *, as_of: dt.date | None = None) -> QuerySet[Unit]:
    """The units directly under ``unit`` on ``as_of``, each with its name of that day (``name_then``)."""
    day = as_of or today()
    child_ids = UnitParent.objects.filter(valid_on(day), parent=unit).values_list("unit_id", flat=True)
    return with_names_on(Unit.objects.filter(pk__in=child_ids).select_related("kind__tier"), day).order_by("name")


def unit_ancestors(unit: Unit, *, as_of: dt.date | None = None) -> list[Unit]:
    """From the root down to the unit's parent, as the tree stood on ``as_of``."""
    day = as_of or today()
    rows = (
        UnitClosure.objects.filter(valid_on(day), descendant=unit, depth__gt=0)
        .select_related("ancestor__kind__tier")
        .order_by("-depth")
    )
    return [row.ancestor for row in rows]


def unit_parent(unit: Unit, *, as_of: dt.date | None = None) -> Unit | None:
    day = as_of or today()
    link = UnitParent.objects.filter(valid_on(day), unit=unit).select_related("parent").first()
    return link.parent if link else None


def unit_by_code(code: str) -> Unit | None:
    return Unit.objects.select_related("kind__tier").filter(code=code).first()


def unit_search(
    units: QuerySet[Unit],
    *,
    q: str = "",
    kind: str = "",
    tier: str = "",
    as_of: dt.date | None = None,
) -> QuerySet[Unit]:
    """Filter ``units``: ``q`` ignores case and Vietnamese diacritics and also matches codes."""
    if as_of is not None:
        units = with_names_on(units.filter(open_on(as_of)), as_of)
    if q:
        folded = fold(q)
        units = units.filter(Q(name_folded__contains=folded) | Q(code__iexact=q.strip()))
    if kind:
        units = units.filter(kind__code=kind)
    if tier:
        units = units.filter(kind__tier__code=tier)
    return units


def unit_names(unit: Unit) -> QuerySet[UnitName]:
    return unit.names.order_by("valid_from")


def unit_parent_links(unit: Unit) -> QuerySet[UnitParent]:
    return unit.parent_links.select_related("parent").order_by("valid_from")


def unit_areas(unit: Unit) -> QuerySet[UnitArea]:
    return unit.areas.order_by("valid_from")


def unit_area(unit: Unit, *, as_of: dt.date | None = None) -> UnitArea | None:
    day = as_of or today()
    return unit.areas.filter(valid_on(day)).first()


def root_units(*, as_of: dt.date | None = None) -> QuerySet[Unit]:
    """Units with no parent on ``as_of`` (normally the one root of the organisation)."""
    day = as_of or today()
    with_parent = UnitParent.objects.filter(valid_on(day)).values_list("unit_id", flat=True)
    return Unit.objects.filter(open_on(day)).exclude(pk__in=with_parent).select_related("kind__tier")


def unit_events(unit: Unit) -> QuerySet:  # type: ignore[no-untyped-def]
    """Events that name ``unit`` in their request or their successions, oldest first. A split
    that leaves its unit open records no succession: the units receiving its parts, and the
    children it moves, are named in its request only, and find it there."""
    from lantoa.org.models import RestructuringEvent

    by_succession = Q(successions__predecessor=unit) | Q(successions__successor=unit)
    by_payload = Q(payload__unit=unit.code) | Q(payload__into=unit.code) | Q(payload__within=unit.code)
    # JSON containment inside a list is not portable (SQLite has none): the few splits that kept
    # their unit open are read and looked through here.
    giving = RestructuringEvent.objects.filter(kind=RestructuringEvent.Kind.SPLIT, payload__keeps_open=True)
    by_parts = [event.pk for event in giving.only("pk", "payload") if unit.code in _payload_codes(event.payload)]
    return (
        RestructuringEvent.objects.filter(by_succession | by_payload | Q(pk__in=by_parts))
        .distinct()
        .order_by("effective_on", "sequence")
    )


def events_seen_from(root_ids: Iterable[int], events: QuerySet | None = None) -> list:  # type: ignore[type-arg]
    """The restructuring events (of ``events``, every event by default) that touched a unit the
    scope rooted at ``root_ids`` saw on the event's eve or day, oldest first; each event's
    ``payload`` keeps only the parts that name such units, so nobody reads the whole
    province's arrangement from one commune's seat. A few queries, whatever the number of events."""
    from lantoa.org.models import RestructuringEvent

    roots = list(root_ids)
    if not roots:
        return []
    base = events if events is not None else RestructuringEvent.objects.order_by("effective_on", "sequence")
    found = list(base.prefetch_related("successions__predecessor", "successions__successor"))
    named = {event.pk: _payload_codes(event.payload) for event in found}
    ids_by_code = dict(Unit.objects.filter(code__in=set().union(*named.values())).values_list("code", "pk"))
    touched: dict[int, set[int]] = {}
    for event in found:
        ids = {ids_by_code[code] for code in named[event.pk] if code in ids_by_code}
        for link in event.successions.all():
            ids |= {link.predecessor_id, link.successor_id}
        touched[event.pk] = ids
    everything = set().union(*touched.values()) if touched else set()
    roots_then = scope_roots_on(roots)
    seen_on: dict[dt.date, set[int]] = {}
    for day in sorted({d for e in found for d in (e.effective_on - dt.timedelta(days=1), e.effective_on)}):
        scope = roots if day >= today() else roots_then
        seen_on[day] = set(subtree_ids(scope, as_of=day).filter(descendant_id__in=everything))
    code_of = {pk: code for code, pk in ids_by_code.items()}
    for event in found:
        for link in event.successions.all():
            code_of[link.predecessor_id] = link.predecessor.code
            code_of[link.successor_id] = link.successor.code
    visible = []
    for event in found:
        seen = touched[event.pk] & (seen_on[event.effective_on - dt.timedelta(days=1)] | seen_on[event.effective_on])
        if seen:
            event.payload = _payload_naming(event.payload, {code_of[pk] for pk in seen})
            visible.append(event)
    return visible


def _payload_codes(part: Any) -> set[str]:
    """Every unit code a payload (or a part of one) names, the codes of units it creates included."""
    from lantoa.org.restructuring import payload_unit_codes

    if not isinstance(part, dict):
        return set()
    codes = payload_unit_codes(part)
    if isinstance(part.get("new"), dict) and part["new"].get("code"):
        codes.add(str(part["new"]["code"]))
    for piece in part.get("successors", []) or []:
        if isinstance(piece, dict) and isinstance(piece.get("new"), dict) and piece["new"].get("code"):
            codes.add(str(piece["new"]["code"]))
    for group in part.get("groups", []) or []:
        codes |= _payload_codes(group)
    children = part.get("children")
    if isinstance(children, dict):  # a split's children moved to one of its successors
        codes |= {str(code) for pair in children.items() for code in pair}
    return codes


def _payload_naming(payload: dict[str, Any], seen: set[str]) -> dict[str, Any]:
    """``payload`` without the groups, predecessors, successors and moved children that name none
    of ``seen``."""
    kept = dict(payload)
    if isinstance(payload.get("children"), dict):
        kept["children"] = {
            child: to for child, to in payload["children"].items() if str(child) in seen or str(to) in seen
        }
    if isinstance(payload.get("groups"), list):
        kept["groups"] = [group for group in payload["groups"] if _payload_codes(group) & seen]
    if isinstance(payload.get("predecessors"), list):
        kept["predecessors"] = [code for code in payload["predecessors"] if str(code) in seen]
    if isinstance(payload.get("successors"), list):
        kept["successors"] = [part for part in payload["successors"] if _payload_codes(part) & seen]
    return kept


def unit_predecessors(unit: Unit) -> QuerySet:  # type: ignore[no-untyped-def]
    from lantoa.org.models import Succession

    return (
        Succession.objects.filter(successor=unit).select_related("predecessor", "event").order_by("event__effective_on")
    )


def default_successor(unit: Unit) -> Unit | None:
    """The unit that takes ``unit``'s records whole when it closes (its default successor)."""
    from lantoa.org.models import Succession

    link = Succession.objects.filter(predecessor=unit, is_default=True).select_related("successor").first()
    return link.successor if link is not None else None


def unit_successors(unit: Unit) -> QuerySet:  # type: ignore[no-untyped-def]
    from lantoa.org.models import Succession

    return (
        Succession.objects.filter(predecessor=unit).select_related("successor", "event").order_by("event__effective_on")
    )


def successors_on(unit_ids: Iterable[int], day: dt.date) -> dict[int, list[Unit]]:
    """Every successor of each of ``unit_ids`` through the events effective on ``day`` (a split
    has several), the default first, keyed by the predecessor's id. One query."""
    from lantoa.org.models import Succession

    found: dict[int, list[Unit]] = {}
    links = (
        Succession.objects.filter(predecessor_id__in=list(unit_ids), event__effective_on=day)
        .select_related("successor__kind")
        .order_by("predecessor_id", "-is_default", "successor__code")
    )
    for link in links:
        found.setdefault(link.predecessor_id, []).append(link.successor)
    return found


def unit_names_by_code(codes: Iterable[str]) -> dict[str, str]:
    """Code → current name for the units among ``codes`` that exist (one query)."""
    return dict(Unit.objects.filter(code__in=set(codes)).values_list("code", "name"))


# --- Reads the API answers with ------------------------------------------------------------------


def tier_exists(code: str) -> bool:
    return Tier.objects.filter(code=code).exists()


def unit_list(
    units: QuerySet[Unit], *, within: Unit | None = None, q: str = "", kind: str = "", tier: str = "", as_of: dt.date
) -> QuerySet[Unit]:
    """``units`` (already scoped to the user), narrowed to ``within``'s subtree on ``as_of`` and
    searched as :func:`unit_search` does, in tier order."""
    if within is not None:
        units = units.filter(pk__in=subtree_ids(within.pk, as_of=as_of))
    units = unit_search(units, q=q, kind=kind, tier=tier, as_of=as_of)
    return units.order_by("kind__tier__rank", "code")


def succession_list(*, unit: Unit | None = None, visible: QuerySet[Unit] | None = None) -> QuerySet:  # type: ignore[type-arg]
    """Predecessor → successor links in or out of ``unit``, or else in or out of the ``visible``
    units (the user's scope), oldest first, with their event and both units."""
    from lantoa.org.models import Succession

    if unit is not None:
        links = Succession.objects.filter(Q(predecessor=unit) | Q(successor=unit))
    else:
        ids = (visible if visible is not None else Unit.objects.none()).values_list("pk", flat=True)
        links = Succession.objects.filter(Q(predecessor_id__in=ids) | Q(successor_id__in=ids))
    return links.select_related("event", "predecessor", "successor").order_by("event__effective_on", "id")


def figure_list(unit: Unit, *, indicator: str = "", history: bool = False) -> QuerySet[DataValue]:
    """Figures filed for ``unit`` itself (not its subtree), current ones only unless ``history``."""
    rows = DataValue.objects.filter(unit=unit).select_related("unit", "period")
    if indicator:
        rows = rows.filter(indicator=indicator)
    if not history:
        rows = rows.filter(superseded_at__isnull=True)
    return rows.order_by("indicator", "-period__end", "-created_at")
