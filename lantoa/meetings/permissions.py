"""Gates for conferences and their sites. "Not allowed" looks exactly like "not found".

A conference is visible to users whose scope holds its organiser or one of its sites — as the
tree stood at any time, so that a conference of a district that has since closed stays visible
to the province that absorbed it, and including the units merged into those, so that a commune
formed in 2025 sees the conferences of the communes it was made of. It is planned and changed
by those who may edit records for its organiser. A site's attendance is recorded by those who
may edit records for the site's unit (a commune records its own point, not another's) or for
the organiser.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from lantoa.accounts.permissions import has_capability, scope_reach, scope_root_ids
from lantoa.accounts.roles import Capability
from lantoa.core.errors import NotFound, PermissionDenied
from lantoa.meetings.models import BridgePoint, Conference, ConferenceAttachment, ConferenceSeries, StudyReflectionTally
from lantoa.org.models import Unit
from lantoa.org.selectors import ever_within_ids, last_open_day, today, within_on_days


def units_ever_within(by: Any, capability: str) -> QuerySet[Any, int]:
    """Ids of the units that are, or ever were, inside the user's subtrees for ``capability``."""
    return ever_within_ids(scope_root_ids(by, capability))


def _in_scope(by: Any, capability: str, field: str) -> Q:
    """Rows whose ``field`` names a unit inside the user's subtrees at any time, or one of the
    units that were merged into those (nothing without a scope)."""
    reach = scope_reach(by, capability)
    return reach.condition(field) if reach is not None else Q(pk__in=[])


def conferences_visible_to(by: Any, capability: str = Capability.VIEW_AGGREGATES) -> QuerySet[Conference]:
    reach = scope_reach(by, capability)
    if reach is None:
        return Conference.objects.none()
    site_inside = BridgePoint.objects.filter(reach.condition("unit_id"), conference=OuterRef("pk"))
    return Conference.objects.filter(reach.condition("organiser_id") | Exists(site_inside))


def may_plan_anywhere(by: Any) -> bool:
    """Does ``by`` record the work of some unit (and so may plan conferences and series)?"""
    return has_capability(by, Capability.EDIT_RECORDS)


def require_planner(by: Any) -> None:
    """The planning forms exist only for users who may plan for some unit."""
    if not may_plan_anywhere(by):
        raise NotFound(_("You have no unit to plan conferences for."))


def may_plan(by: Any, unit: Unit) -> bool:
    return has_capability(by, Capability.EDIT_RECORDS, unit, as_of=last_open_day(unit))


def may_change(by: Any, conference: Conference) -> bool:
    return has_capability(by, Capability.EDIT_RECORDS, conference.organiser, as_of=last_open_day(conference.organiser))


def may_record_point(by: Any, point: BridgePoint) -> bool:
    return has_capability(by, Capability.EDIT_RECORDS, point.unit, as_of=last_open_day(point.unit)) or may_change(
        by, point.conference
    )


def may_see_participants(by: Any, point: BridgePoint, *, records: bool | None = None) -> bool:
    """Names at a site are person-level data: for those who record the site or see persons there.
    ``records``: what :func:`may_record_point` already answered for ``by`` and ``point``, so that
    a page that asked it does not ask again."""
    if records is None:
        records = may_record_point(by, point)
    return records or has_capability(by, Capability.VIEW_PERSONS, point.unit)


def recordable_points(by: Any, conference: Conference, points: list[BridgePoint]) -> set[int]:
    """Ids of the sites among ``points`` whose attendance ``by`` may record — in one query
    (the organiser's editors may record every site; others the sites inside their scope, as
    :func:`may_record_point` answers for one)."""
    if may_change(by, conference):
        return {p.pk for p in points}
    roots = scope_root_ids(by, Capability.EDIT_RECORDS)
    if not roots:
        return set()
    inside = {point.unit_id for point in points if point.unit_id in roots}
    inside |= within_on_days({point.unit_id: last_open_day(point.unit) or today() for point in points}, roots)
    return {p.pk for p in points if p.unit_id in inside}


def access_conference(*, by: Any, pk: int, capability: str = Capability.VIEW_AGGREGATES) -> Conference:
    conference = (
        conferences_visible_to(by).filter(pk=pk).select_related("kind", "organiser__kind__tier", "series").first()
    )
    if conference is None:
        raise NotFound(_("No such conference."), extra={"id": pk})
    if capability == Capability.EDIT_RECORDS and not may_change(by, conference):
        raise PermissionDenied(_("Your role does not allow changing this conference."))
    return conference


def access_point(*, by: Any, pk: int, capability: str = Capability.VIEW_AGGREGATES) -> BridgePoint:
    point = (
        BridgePoint.objects.filter(pk=pk, conference__in=conferences_visible_to(by))
        .select_related("conference__kind", "conference__organiser", "unit__kind__tier")
        .first()
    )
    if point is None:
        raise NotFound(_("No such site."), extra={"id": pk})
    if capability == Capability.EDIT_RECORDS and not may_record_point(by, point):
        raise PermissionDenied(_("Your role does not allow recording attendance at this site."))
    return point


def access_attachment(*, by: Any, pk: int) -> ConferenceAttachment:
    """A file of a conference ``by`` may see; a missing file answers 404, and so does one of a
    conference out of scope (as :func:`access_conference` answers)."""
    attachment = get_object_or_404(ConferenceAttachment, pk=pk)
    access_conference(by=by, pk=attachment.conference_id)
    return attachment


def series_visible_to(by: Any) -> QuerySet[ConferenceSeries]:
    if not scope_root_ids(by, Capability.VIEW_AGGREGATES):
        return ConferenceSeries.objects.none()
    return ConferenceSeries.objects.filter(_in_scope(by, Capability.VIEW_AGGREGATES, "organiser_id"))


def access_series(*, by: Any, pk: int, capability: str = Capability.VIEW_AGGREGATES) -> ConferenceSeries:
    series = series_visible_to(by).filter(pk=pk).select_related("kind", "organiser").first()
    if series is None:
        raise NotFound(_("No such series."), extra={"id": pk})
    if capability == Capability.EDIT_RECORDS and not may_plan(by, series.organiser):
        raise PermissionDenied(_("Your role does not allow changing this series."))
    return series


def reflections_visible_to(by: Any) -> QuerySet[StudyReflectionTally]:
    if not scope_root_ids(by, Capability.VIEW_AGGREGATES):
        return StudyReflectionTally.objects.none()
    return StudyReflectionTally.objects.filter(_in_scope(by, Capability.VIEW_AGGREGATES, "unit_id"))


def require_record_for_unit(by: Any, unit: Unit) -> None:
    if not may_plan(by, unit):
        raise PermissionDenied(_("Your role does not allow recording for %(unit)s.") % {"unit": unit.name})
