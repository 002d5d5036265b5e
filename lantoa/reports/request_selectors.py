"""Reads for data requests: the sender's tracking page, the totals (one selector for the page, the
API and the XLSX export), the lists, and what a unit still has to file. Each costs the same
number of queries for 3 assignees or 300.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lantoa.accounts.permissions import scope_root_ids
from lantoa.accounts.roles import Capability
from lantoa.org import selectors as org_selectors
from lantoa.org.models import Unit
from lantoa.reports.models import (
    AssignmentStatus,
    DataField,
    DataRequest,
    DataRequestAssignment,
    DataSubmission,
    FieldKind,
)


class State:
    """Where an assignment stands, as the tracking page says it."""

    APPROVED = "approved"
    FILED = "filed"
    LATE = "late"
    NOT_STARTED = "not_started"


STATE_LABELS = {
    State.APPROVED: _("Approved"),
    State.FILED: _("Filed, awaiting approval"),
    State.LATE: _("Overdue"),
    State.NOT_STARTED: _("Not filed yet"),
}
STATE_ORDER = [State.LATE, State.NOT_STARTED, State.FILED, State.APPROVED]


def assignment_state(assignment: DataRequestAssignment, deadline: dt.date, today: dt.date) -> str:
    if assignment.status == AssignmentStatus.APPROVED:
        return State.APPROVED
    if assignment.status == AssignmentStatus.FILED:
        return State.FILED
    return State.LATE if today > deadline else State.NOT_STARTED


def _live(request: DataRequest) -> QuerySet[DataRequestAssignment]:
    return request.assignments.exclude(status=AssignmentStatus.MERGED)


def late_assignments(request: DataRequest, *, today: dt.date) -> QuerySet[DataRequestAssignment]:
    """Deadline passed, nothing filed (none once the request is closed: it takes no more figures)."""
    if today <= request.deadline or request.closed_at is not None:
        return DataRequestAssignment.objects.none()
    return _live(request).filter(status=AssignmentStatus.PENDING).select_related("unit").order_by("unit__code")


@dataclass
class TrackingRow:
    assignment: DataRequestAssignment
    state: str
    filed_late: bool

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])


@dataclass
class Tracking:
    request: DataRequest
    today: dt.date
    rows: list[TrackingRow]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def late(self) -> list[TrackingRow]:
        return [row for row in self.rows if row.state == State.LATE]

    def count_items(self) -> list[tuple[str, str, int]]:
        return [(state, str(STATE_LABELS[state]), self.counts.get(state, 0)) for state in STATE_ORDER]


def request_tracking(request: DataRequest, *, today: dt.date | None = None, state: str = "") -> Tracking:
    """Every assignment of ``request`` with where it stands — late first, then not started,
    filed, approved — in one query."""
    day = today or org_selectors.today()
    rows = []
    assignments = _live(request).select_related("unit", "assigned_unit", "current").order_by("unit__code")
    for assignment in assignments:
        found = assignment_state(assignment, request.deadline, day)
        filed_late = bool(
            assignment.filed_at and assignment.filed_at.date() > request.deadline  # type: ignore[union-attr]
        )
        rows.append(TrackingRow(assignment, found, filed_late))
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.state] = counts.get(row.state, 0) + 1
    rows.sort(key=lambda row: (STATE_ORDER.index(row.state), row.assignment.unit.code))
    if state:
        rows = [row for row in rows if row.state == state]
    return Tracking(request, day, rows, counts)


@dataclass
class Totals:
    request: DataRequest
    fields: list[DataField]
    numeric: list[DataField]
    rows: list[tuple[DataRequestAssignment, dict[str, Any]]]
    totals: dict[str, int | None]
    filed: int
    assigned: int

    @property
    def table_rows(self) -> list[tuple[DataRequestAssignment, list[Any]]]:
        """Each filing unit with its number fields' values in column order (None: no data)."""
        return [(assignment, [values.get(f.code) for f in self.numeric]) for assignment, values in self.rows]

    @property
    def total_cells(self) -> list[int | None]:
        return [self.totals.get(f.code) for f in self.numeric]


def request_totals(request: DataRequest) -> Totals:
    """The figures filed so far: each unit's current version and the sum of each number field
    over those units ("—", None, where nobody filed it). Two queries."""
    fields = list(request.data_set.fields.all())
    numeric = [f for f in fields if f.kind != FieldKind.TEXT]
    assignments = list(_live(request).select_related("unit", "current").order_by("unit__code"))
    rows = []
    totals: dict[str, int | None] = {f.code: None for f in numeric}
    for assignment in assignments:
        if assignment.current is None:
            continue
        values = assignment.current.values
        rows.append((assignment, values))
        for data_field in numeric:
            value = values.get(data_field.code)
            if value is not None:
                totals[data_field.code] = (totals[data_field.code] or 0) + int(value)
    return Totals(request, fields, numeric, rows, totals, len(rows), len(assignments))


@dataclass
class FiledFigure:
    """One field of a filed version as the approver reads it: the value, and for a computed field
    Lantoa's figure, whether the unit's differs and why."""

    field: DataField
    value: Any
    computed: Any = None
    differs: bool = False
    explanation: str = ""


def version_figures(version: DataSubmission, fields: list[DataField]) -> list[FiledFigure]:
    rows = []
    for data_field in fields:
        value = version.values.get(data_field.code)
        if data_field.kind == FieldKind.INDICATOR:
            computed = version.computed.get(data_field.code)
            rows.append(
                FiledFigure(
                    data_field,
                    value,
                    computed,
                    differs=value != computed,
                    explanation=version.explanations.get(data_field.code, ""),
                )
            )
        else:
            rows.append(FiledFigure(data_field, value))
    return rows


def assignment_versions(assignment: DataRequestAssignment) -> QuerySet[DataSubmission]:
    return assignment.versions.select_related("created_by", "approved_by").order_by("-number")


def requests_sent_visible_to(by: Any) -> QuerySet[DataRequest]:
    """Requests sent by units ``by`` sees figures for, newest first, with their assignment counts."""
    roots = scope_root_ids(by, Capability.VIEW_AGGREGATES)
    if not roots:
        return DataRequest.objects.none()
    live = ~Q(assignments__status=AssignmentStatus.MERGED)
    return (
        DataRequest.objects.filter(unit_id__in=org_selectors.ever_within_ids(roots))
        .select_related("unit", "period", "data_set")
        .annotate(
            assigned=Count("assignments", filter=live),
            filed=Count("assignments", filter=live & ~Q(assignments__status=AssignmentStatus.PENDING)),
            approved=Count("assignments", filter=Q(assignments__status=AssignmentStatus.APPROVED)),
        )
        .order_by("-sent_on", "-pk")
    )


def assignments_to_file(
    units: list[Unit] | QuerySet[Unit], *, open_only: bool = True
) -> QuerySet[DataRequestAssignment]:
    """The assignments of ``units`` themselves, soonest deadline first (not yet filed, of requests
    still open, when ``open_only``)."""
    rows = DataRequestAssignment.objects.filter(unit__in=units).exclude(status=AssignmentStatus.MERGED)
    if open_only:
        rows = rows.filter(status=AssignmentStatus.PENDING, request__closed_at__isnull=True)
    return rows.select_related("request__period", "request__unit", "unit").order_by("request__deadline", "pk")


def assignments_of_user(by: Any) -> QuerySet[DataRequestAssignment]:
    """Every assignment of the units where ``by`` records the work (the units of their roles)."""
    roots = scope_root_ids(by, Capability.EDIT_RECORDS)
    return assignments_to_file(Unit.objects.filter(pk__in=roots), open_only=False)


def approval_queue(by: Any) -> QuerySet[DataRequestAssignment]:
    """Filed versions waiting for ``by``'s approval: assignments of the units just below ``by``'s units."""
    roots = scope_root_ids(by, Capability.EDIT_RECORDS)
    if not roots:
        return DataRequestAssignment.objects.none()
    below = Unit.objects.filter(
        pk__in=org_selectors.subtree_ids(roots), parent_links__parent_id__in=roots, parent_links__valid_to__isnull=True
    )
    return (
        DataRequestAssignment.objects.filter(unit__in=below, status=AssignmentStatus.FILED)
        .select_related("request__period", "unit", "current")
        .order_by("request__deadline", "unit__code")
    )


# --- My work on the home page --------------------------------------------------------------------

LINKED_ON_HOME = 3  # requests linked one by one on the home page; the count covers them all
COUNTED_UP_TO = 100


def my_work_items(user: Any, unit: Unit | None) -> list[Any]:
    """For the current unit: the requests it still has to file (a count, then the first few by
    deadline, each linked); for those above: filings waiting for their approval. Two queries."""
    from django.urls import reverse
    from django.utils.formats import date_format
    from django.utils.translation import gettext as gettext_now

    from lantoa.accounts.permissions import has_capability
    from lantoa.core.registry import WorkItem

    if unit is None or not has_capability(user, Capability.EDIT_RECORDS, unit):
        return []
    today = org_selectors.today()
    items: list[Any] = []
    pending = list(assignments_to_file([unit])[:COUNTED_UP_TO])
    if pending:
        items.append(
            WorkItem(
                title=gettext_now("Data requests to file"),
                url=reverse("reports:request_list"),
                count=len(pending),
                module="reports",
            )
        )
        for assignment in pending[:LINKED_ON_HOME]:
            late = today > assignment.request.deadline
            deadline = date_format(assignment.request.deadline, "d/m/Y")
            detail = (gettext_now("Late: the deadline was %(day)s") if late else gettext_now("Deadline %(day)s")) % {
                "day": deadline
            }
            items.append(
                WorkItem(
                    title=assignment.request.title,
                    url=reverse("reports:assignment_detail", args=[assignment.pk]),
                    module="reports",
                    detail=detail,
                )
            )
    waiting = approval_queue(user).count()
    if waiting:
        items.append(
            WorkItem(
                title=gettext_now("Filed figures waiting for your approval"),
                url=reverse("reports:request_list"),
                count=waiting,
                module="reports",
            )
        )
    return items
