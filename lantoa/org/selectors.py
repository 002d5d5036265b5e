"""Reading the organisation tree. Every scope check in Lantoa goes through here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from lantoa.core.text import fold
from lantoa.org.models import Unit, UnitArea, UnitClosure, UnitName, UnitParent


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


def events_for_units(unit_ids) -> QuerySet:  # type: ignore[no-untyped-def]
    """Restructuring events that touched any of ``unit_ids`` (through a succession, or by name)."""
    from lantoa.org.models import RestructuringEvent

    touched = Q(successions__predecessor_id__in=unit_ids) | Q(successions__successor_id__in=unit_ids)
    return RestructuringEvent.objects.filter(touched).distinct().order_by("effective_on", "sequence")


def unit_events(unit: Unit) -> QuerySet:  # type: ignore[no-untyped-def]
    """Events that name ``unit`` in their request or their successions, oldest first."""
    from lantoa.org.models import RestructuringEvent

    by_succession = Q(successions__predecessor=unit) | Q(successions__successor=unit)
    by_payload = Q(payload__unit=unit.code) | Q(payload__into=unit.code) | Q(payload__within=unit.code)
    return RestructuringEvent.objects.filter(by_succession | by_payload).distinct().order_by("effective_on", "sequence")


def unit_predecessors(unit: Unit) -> QuerySet:  # type: ignore[no-untyped-def]
    from lantoa.org.models import Succession

    return (
        Succession.objects.filter(successor=unit).select_related("predecessor", "event").order_by("event__effective_on")
    )


def unit_successors(unit: Unit) -> QuerySet:  # type: ignore[no-untyped-def]
    from lantoa.org.models import Succession

    return (
        Succession.objects.filter(predecessor=unit).select_related("successor", "event").order_by("event__effective_on")
    )


def unit_names_by_code(codes: Iterable[str]) -> dict[str, str]:
    """Code → current name for the units among ``codes`` that exist (one query)."""
    return dict(Unit.objects.filter(code__in=set(codes)).values_list("code", "name"))
