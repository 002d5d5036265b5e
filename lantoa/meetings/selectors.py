"""Reads for display: conference lists, a conference with its sites, the calendar, the rollup.

Every selector takes the acting user, so scoping cannot be forgotten; lists load what they
show in a fixed number of queries.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypedDict, Unpack

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from lantoa.accounts.permissions import scope_root_ids, units_for
from lantoa.accounts.roles import Capability
from lantoa.core.text import fold, vn_sort_key
from lantoa.library.permissions import documents_visible_to
from lantoa.meetings.models import (
    AttendanceCount,
    BridgePoint,
    Category,
    Conference,
    ConferenceKind,
    ConferencePresenter,
    ConferenceSeries,
    ConnectionEvent,
    Participant,
    SeriesSite,
    StudyReflectionTally,
)
from lantoa.meetings.permissions import (
    access_conference,
    conferences_visible_to,
    may_change,
    recordable_points,
    reflections_visible_to,
    series_visible_to,
    units_ever_within,
)
from lantoa.org.models import Unit
from lantoa.org.selectors import ever_within_ids, today, unit_children, unit_search
from lantoa.people import selectors as people_selectors

LIST_LIMIT = 200


class ConferenceFilters(TypedDict, total=False):
    """What a conference list may be narrowed by (each optional)."""

    unit: Unit | None
    start: dt.date | None
    end: dt.date | None
    q: str
    status: str
    kind: str
    format: str


def conference_list_for_user(by: Any, **filters: Unpack[ConferenceFilters]) -> QuerySet[Conference]:
    """Conferences the user may see, newest first, with ``site_count`` and ``attendance``
    (present at every site), found as :func:`conferences_found` finds them."""
    conferences = conferences_found(by, **filters)
    return (
        Conference.objects.filter(pk__in=conferences.values("pk"))
        .select_related("kind", "organiser")
        .annotate(site_count=Count("points", distinct=True), attendance=Sum("points__present"))
        .order_by("-starts_at", "-pk")
    )


def conferences_found(by: Any, **filters: Unpack[ConferenceFilters]) -> QuerySet[Conference]:
    """The conferences :func:`conference_list_for_user` lists, without its per-conference sums:
    what a count needs (the sums join every site of every conference). ``unit``: organised in,
    or with a site in, the unit's subtree (as the tree stood at any time)."""
    unit, start, end = filters.get("unit"), filters.get("start"), filters.get("end")
    status, kind, format = filters.get("status", ""), filters.get("kind", ""), filters.get("format", "")
    q = filters.get("q", "")
    conferences = conferences_visible_to(by)
    if unit is not None:
        inside = ever_within_ids(unit.pk)
        conferences = conferences.filter(Q(organiser_id__in=inside) | Q(points__unit_id__in=inside)).distinct()
    if start:
        conferences = conferences.filter(held_on__gte=start)
    if end:
        conferences = conferences.filter(held_on__lte=end)
    if status:
        conferences = conferences.filter(status=status)
    if kind:
        conferences = conferences.filter(kind__code=kind)
    if format:
        conferences = conferences.filter(format=format)
    if q.strip():
        folded = fold(q.strip())
        conferences = conferences.filter(Q(title_folded__contains=folded) | Q(organiser__name_folded__contains=folded))
    return conferences


# --- One conference ----------------------------------------------------------------------------


@dataclass
class Rates:
    members_present: int = 0
    members_expected: int = 0
    present_of_summoned: int = 0
    summoned: int = 0

    @property
    def member_rate(self) -> Decimal | None:
        return _percent(self.members_present, self.members_expected)

    @property
    def summoned_rate(self) -> Decimal | None:
        return _percent(self.present_of_summoned, self.summoned)


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


@dataclass
class ConferencePage:
    conference: Conference
    points: list[BridgePoint]
    host: BridgePoint | None
    totals: dict[str, int]  # per category, every site
    present: int
    late: int
    rates: Rates
    may_change: bool
    recordable: set[int]  # ids of the sites the user may record
    documents: list[Any]
    log: dict[int, list[ConnectionEvent]] = field(default_factory=dict)


def conference_page(by: Any, pk: int) -> ConferencePage:
    from lantoa.library.permissions import documents_visible_to

    conference = access_conference(by=by, pk=pk)
    points = list(
        conference.points.select_related("unit__kind__tier").prefetch_related(
            Prefetch("counts", queryset=AttendanceCount.objects.order_by("category"))
        )
    )
    totals: dict[str, int] = defaultdict(int)
    for point in points:
        for row in point.counts.all():
            totals[row.category] += row.present
    log: dict[int, list[ConnectionEvent]] = defaultdict(list)
    for event in ConnectionEvent.objects.filter(point__conference=conference).order_by("at", "pk"):
        log[event.point_id].append(event)
    changing = may_change(by, conference)
    recordable = recordable_points(by, conference, points)
    documents = list(documents_visible_to(by).filter(pk__in=conference.documents.values("pk")).select_related("kind"))
    return ConferencePage(
        conference=conference,
        points=points,
        host=next((p for p in points if p.is_host), None),
        totals={c: totals.get(c, 0) for c in Category.values},
        present=sum(p.present for p in points),
        late=sum(p.late for p in points),
        rates=_rates(points),
        may_change=changing,
        recordable=recordable,
        documents=documents,
        log=dict(log),
    )


def _rates(points: list[BridgePoint]) -> Rates:
    return Rates(
        members_present=sum(p.rated_members_present for p in points),
        members_expected=sum(p.members_expected for p in points),
        present_of_summoned=sum(p.rated_present for p in points),
        summoned=sum(p.summoned for p in points),
    )


@dataclass
class Roster:
    point: BridgePoint
    present: list[Participant]
    registered: list[Participant]  # not (yet) checked in
    absent: list[Participant]  # only for conferences mandatory for cadres
    shows_absent_names: bool


def point_roster(point: BridgePoint) -> Roster:
    """The site's participants for the roster page, in Vietnamese name order. Names of the
    absent appear only when the conference is mandatory for cadres."""
    from lantoa.core.text import person_sort_key, split_full_name

    rows = list(point.participants.select_related("person"))
    rows.sort(key=lambda p: person_sort_key(*split_full_name(p.display_name)))
    mandatory = point.conference.is_mandatory
    return Roster(
        point=point,
        present=[p for p in rows if p.status == Participant.Status.PRESENT],
        registered=[p for p in rows if p.status == Participant.Status.REGISTERED],
        absent=[p for p in rows if p.status == Participant.Status.ABSENT] if mandatory else [],
        shows_absent_names=mandatory,
    )


def units_of_tier_under(parent: Unit, tier: str, day: dt.date) -> QuerySet[Unit]:
    """The units of ``tier`` under ``parent`` on ``day`` ("all communes of X"). Under a
    territorial unit, when the tier has territorial units there, only those (the communes, not
    the party organisations of the agencies in them, which sit in the same tier); otherwise
    every unit of the tier — the party cells under a commune are not territorial, and are all
    there is at the village tier."""
    from lantoa.org.selectors import open_on, unit_subtree

    units = unit_subtree(parent, as_of=day).filter(open_on(day), kind__tier__code=tier).exclude(pk=parent.pk)
    if parent.kind.is_territorial and units.filter(kind__is_territorial=True).exists():
        units = units.filter(kind__is_territorial=True)
    return units.order_by("code")


def tier_below(parent: Unit, day: dt.date) -> str:
    """The code of the highest tier with units under ``parent`` on ``day`` (a province: its
    communes or districts; a commune: its party cells), or "" when nothing is under it. The
    tier "add all units of a tier" offers first."""
    from lantoa.org.selectors import open_on, unit_subtree

    below = (
        unit_subtree(parent, as_of=day)
        .filter(open_on(day), kind__tier__rank__gt=parent.kind.tier.rank)
        .order_by("kind__tier__rank")
        .values_list("kind__tier__code", flat=True)
        .first()
    )
    return below or ""


# --- My work ----------------------------------------------------------------------------------

RECORD_WITHIN_DAYS = 30
UPCOMING_DAYS = 7


def _coming_week_count(unit: Unit, day: dt.date) -> int:
    """Conferences of the coming week, not cancelled, organised in the unit's subtree or with a
    site in it. Only those who record the unit's work are asked, and their scope holds the whole
    subtree, so the scope rule adds nothing here; and conferences still to come are held in
    today's tree (a unit closed by then takes none), so today's subtree is the one to look in.
    Read without the scope rule's lists of every unit the subtree ever held, which cost the
    dashboard more to build and plan than to run."""
    from lantoa.org.selectors import subtree_ids

    end = day + dt.timedelta(days=UPCOMING_DAYS)
    inside = subtree_ids(unit.pk)
    with_site_inside = BridgePoint.objects.filter(unit_id__in=inside, held_on__gte=day, held_on__lte=end)
    return (
        Conference.objects.filter(held_on__gte=day, held_on__lte=end)
        .exclude(status=Conference.Status.CANCELLED)
        .filter(Q(organiser_id__in=inside) | Q(pk__in=with_site_inside.values("conference_id")))
        .count()
    )


def my_work_items(user: Any, unit: Unit | None) -> list[Any]:
    """For those who record the unit's work: sites in the unit's subtree whose conference took
    place in the last month and still have no attendance; conferences of the coming week."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from lantoa.accounts.permissions import has_capability
    from lantoa.core.registry import WorkItem
    from lantoa.org.selectors import subtree_ids

    if unit is None or not has_capability(user, Capability.EDIT_RECORDS, unit):
        return []
    day = timezone.localdate()
    items = []
    since = day - dt.timedelta(days=RECORD_WITHIN_DAYS)
    waiting = (
        BridgePoint.objects.filter(unit_id__in=subtree_ids(unit.pk), held_on__gte=since, held_on__lte=day)
        .exclude(conference__status=Conference.Status.CANCELLED)
        .filter(attendance_recorded_at__isnull=True)
    )
    count = waiting.count()
    if count:
        url = reverse("meetings:list") + f"?unit={unit.code}&start={since.isoformat()}&end={day.isoformat()}"
        items.append(WorkItem(title=_("Conference sites waiting for their attendance"), url=url, count=count,
                              module="meetings"))  # fmt: skip
    coming_count = _coming_week_count(unit, day)
    if coming_count:
        items.append(
            WorkItem(
                title=_("Conferences in the coming week"),
                url=reverse("meetings:calendar_list") + f"?unit={unit.code}",
                count=coming_count,
                module="meetings",
            )
        )
    return items


# --- Calendar ----------------------------------------------------------------------------------


@dataclass
class CalendarDay:
    day: dt.date
    in_month: bool
    conferences: list[Conference]


def calendar_month(by: Any, *, year: int, month: int, unit: Unit | None = None) -> list[list[CalendarDay]]:
    """The weeks (Monday first) of a month, each day with the conferences starting that day."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks[0][0], weeks[-1][-1]
    by_day: dict[dt.date, list[Conference]] = defaultdict(list)
    for conference in conference_list_for_user(by, unit=unit, start=first, end=last).order_by("starts_at", "pk"):
        by_day[conference.held_on].append(conference)
    return [[CalendarDay(day, day.month == month, by_day.get(day, [])) for day in week] for week in weeks]


def upcoming_for_feed(
    by: Any, *, unit: Unit | None = None, days_back: int = 92, include_cancelled: bool = False
) -> QuerySet[Conference]:
    """Conferences for a calendar feed: from three months back, planned or held (and cancelled,
    with ``include_cancelled``, so that a subscribed calendar shows the cancellation)."""
    since = timezone.localdate() - dt.timedelta(days=days_back)
    conferences = conference_list_for_user(by, unit=unit, start=since)
    if not include_cancelled:
        conferences = conferences.exclude(status=Conference.Status.CANCELLED)
    return conferences.order_by("starts_at", "pk")


# --- Rollup ------------------------------------------------------------------------------------

ROLLUP_CODES = [
    "conferences_held",
    "online_bridge_points",
    "conference_attendances",
    "member_attendance_rate",
    "summoned_attendance_rate",
    "study_reflections_submitted",
]
LEVEL_CODES = [
    "bridge_points_central",
    "bridge_points_province",
    "bridge_points_district",
    "bridge_points_commune",
    "bridge_points_grassroots",
]


@dataclass
class RollupRow:
    unit: Unit
    values: dict[str, Any]


@dataclass
class Rollup:
    unit: Unit
    start: dt.date
    end: dt.date
    structure: str
    total: dict[str, Any]
    levels: dict[str, Any]
    rows: list[RollupRow]
    # Attendances per calendar month of the period (empty when the period spans more than
    # MONTHS_LIMIT months): (first day of the month, value).
    months: list[tuple[dt.date, Any]] = field(default_factory=list)


MONTHS_LIMIT = 24


def _months(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The calendar months of [start, end], each cut to the period."""
    months = []
    first = start
    while first <= end:
        last_day = calendar.monthrange(first.year, first.month)[1]
        last = min(end, dt.date(first.year, first.month, last_day))
        months.append((first, last))
        first = last + dt.timedelta(days=1)
    return months


def conference_rollup(*, unit: Unit, start: dt.date, end: dt.date, structure: str = "historical") -> Rollup:
    """The conference indicators for a unit's subtree and for each of its children, over a
    period and (for periods of up to MONTHS_LIMIT months) each of its months, in one batched
    rollup: the same figures as ``/api/v1/indicators/values``, at a cost that does not grow
    with the number of children or months. The caller has checked that the user may see
    figures for ``unit``."""
    from lantoa.org.rollup import rollup

    day = end if structure == "historical" else timezone.localdate()
    children = list(unit_children(unit, as_of=min(day, timezone.localdate())))
    months = _months(start, end)
    months = months if len(months) <= MONTHS_LIMIT else []
    period = (start, end)
    table = rollup(units=[unit, *children], periods=[period], codes=[*ROLLUP_CODES, *LEVEL_CODES], structure=structure)
    # The chart by month shows values only: a second call, without coverage, for every month.
    by_month = rollup(
        units=[unit], periods=months, codes=["conference_attendances"], structure=structure, with_coverage=False
    )
    return Rollup(
        unit=unit,
        start=start,
        end=end,
        structure=structure,
        total=table.values(unit, period, ROLLUP_CODES),
        levels=table.values(unit, period, LEVEL_CODES),
        rows=[RollupRow(child, table.values(child, period, ROLLUP_CODES)) for child in children],
        months=[(first, by_month.value(unit, (first, last), "conference_attendances")) for first, last in months],
    )


def units_with_capability(by: Any) -> QuerySet[Unit]:
    from lantoa.accounts.permissions import units_for

    return units_for(by, Capability.VIEW_AGGREGATES)


# --- Reads the pages and endpoints of conferences, series, sites and reflections answer with -----


def conference_kind(code: str) -> ConferenceKind | None:
    return ConferenceKind.objects.filter(code=code).first()


def conference_kind_default() -> ConferenceKind | None:
    """The kind a new conference form starts with: the first active one."""
    return ConferenceKind.objects.filter(is_active=True).first()


def conference_list_empty() -> QuerySet[Conference]:
    """No conference: the list of a unit the user may not see."""
    return Conference.objects.none()


def conference_list_for_series(by: Any, series: ConferenceSeries) -> QuerySet[Conference]:
    """The conferences of ``series`` the user may see, as :func:`conference_list_for_user` lists them."""
    return conference_list_for_user(by).filter(series=series)


def conference_presenters(conference: Conference) -> QuerySet[ConferencePresenter]:
    return conference.presenters.select_related("person")


def conference_documents_hidden_from(by: Any, conference: Conference) -> QuerySet[Any]:
    """The documents of ``conference`` that ``by`` may not read (kept as they are when it changes)."""
    return conference.documents.exclude(pk__in=documents_visible_to(by).values("pk"))


def conference_document_choices(by: Any, conference: Conference | None, *, limit: int) -> tuple[list[Any], list[Any]]:
    """(documents ``by`` may choose for a conference: the latest ``limit`` and those it already
    covers that ``by`` may read; documents of the conference ``by`` may not read)."""
    visible = documents_visible_to(by)
    recent = list(visible.order_by("-issued_on", "-pk")[:limit])
    hidden: list[Any] = []
    if conference is not None:
        chosen = list(conference.documents.all())
        readable = set(visible.filter(pk__in=[d.pk for d in chosen]).values_list("pk", flat=True))
        known = {d.pk for d in recent}
        recent += [d for d in chosen if d.pk in readable and d.pk not in known]
        hidden = [d for d in chosen if d.pk not in readable]
    return recent, hidden


def presenter_choices(by: Any, extra: list[Any], *, limit: int) -> list[Any]:
    """Reporters ``by`` may see (holding the role today, in any of ``by``'s subtrees, up to
    ``limit`` per subtree), and the persons of ``extra`` (those already presenting) first."""
    persons: dict[int, Any] = {p.pk: p for p in extra}
    roots = Unit.objects.filter(pk__in=scope_root_ids(by, Capability.VIEW_PERSONS))
    for root in roots:
        roles = people_selectors.roster_for_user(by, people_selectors.RosterFilter(unit=root, role="reporter"))
        for assignment in roles[:limit]:
            persons.setdefault(assignment.person_id, assignment.person)
    return list(persons.values())


def point_list(ids: list[int]) -> list[BridgePoint]:
    """The sites of ``ids`` with their conference's organiser, their unit and their counts, host first."""
    return list(
        BridgePoint.objects.filter(pk__in=ids)
        .select_related("conference__organiser", "unit__kind__tier")
        .prefetch_related("counts")
        .order_by("-is_host", "pk")
    )


def point_detail(point: BridgePoint) -> BridgePoint:
    """The site as its detail answers it: organiser, unit and counts loaded."""
    return (
        BridgePoint.objects.select_related("conference__organiser", "unit__kind__tier")
        .prefetch_related("counts")
        .get(pk=point.pk)
    )


def conference_points_by_id(conference: Conference, ids: list[int]) -> dict[int, BridgePoint]:
    """The sites of ``conference`` among ``ids``, by id (any other is left out)."""
    return {p.pk: p for p in conference.points.filter(pk__in=ids).select_related("unit", "conference__organiser")}


def point_participant_count(point: BridgePoint) -> int:
    return point.participants.count()


def units_by_code_for_user(by: Any, codes: set[str]) -> dict[str, Unit]:
    """The units of ``codes`` that are, or ever were, in ``by``'s scope, by code (any other is left out)."""
    return {
        u.code: u
        for u in Unit.objects.filter(
            code__in=codes, pk__in=units_ever_within(by, Capability.VIEW_UNITS)
        ).select_related("kind__tier")
    }


def series_list_for_user(by: Any) -> QuerySet[ConferenceSeries]:
    """The series ``by`` may see, by title."""
    return series_visible_to(by).select_related("kind", "organiser").order_by("title", "pk")


def series_sites(series: ConferenceSeries) -> list[SeriesSite]:
    return list(series.sites.select_related("unit__kind__tier"))


def reflection_list(
    by: Any,
    *,
    unit: Unit | None = None,
    conference_id: int | None = None,
    document_id: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> QuerySet[StudyReflectionTally]:
    """Reflection counts ``by`` may see, newest first; ``unit``: of the units ever in its subtree."""
    tallies = reflections_visible_to(by)
    if unit is not None:
        tallies = tallies.filter(unit_id__in=ever_within_ids(unit.pk))
    if conference_id is not None:
        tallies = tallies.filter(conference_id=conference_id)
    if document_id is not None:
        tallies = tallies.filter(document_id=document_id)
    if start is not None:
        tallies = tallies.filter(recorded_on__gte=start)
    if end is not None:
        tallies = tallies.filter(recorded_on__lte=end)
    return tallies.select_related("unit", "conference", "document").order_by("-recorded_on", "pk")


def reflection_detail(tally: StudyReflectionTally) -> StudyReflectionTally:
    """The counts as they are answered: unit, conference and document loaded."""
    return StudyReflectionTally.objects.select_related("unit", "conference", "document").get(pk=tally.pk)


def unit_options_for_user(by: Any, *, q: str, tier: str = "", limit: int) -> list[Unit]:
    """Units ``by`` records the work of, open today and matching ``q`` (and ``tier``): the first
    ``limit`` by name, in Vietnamese order."""
    found = unit_search(units_for(by, Capability.EDIT_RECORDS), q=q, tier=tier, as_of=today())
    return sorted(found.order_by("name")[:limit], key=lambda unit: vn_sort_key(unit.name))


def reflection_form_choices(by: Any, *, limit: int) -> tuple[list[Conference], list[Any]]:
    """(the latest ``limit`` conferences, the latest ``limit`` documents) ``by`` may see: what the
    form recording study reflections offers."""
    conferences = list(conferences_visible_to(by).order_by("-starts_at", "-pk")[:limit])
    documents = list(documents_visible_to(by).order_by("-issued_on", "-pk")[:limit])
    return conferences, documents
