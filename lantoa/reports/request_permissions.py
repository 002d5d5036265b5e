"""Gates for data sets, data requests and their assignments. "Not allowed" looks exactly like
"not found" (404), as everywhere in Lantoa.

- A request is seen, with its tracking page and totals, by those who see figures for the
  sending unit; it is reminded by those who record the sending unit's work.
- An assignment is seen by those who see the unit assigned (or the sending unit); it is filed
  by those who record that unit's work (its officers, or a level above on its behalf); it is
  approved by those who record the work of the unit above it (the level above approves).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from lantoa.accounts.permissions import has_capability, scope_root_ids
from lantoa.accounts.roles import Capability
from lantoa.core.errors import NotFound, PermissionDenied
from lantoa.org.models import Unit
from lantoa.org.selectors import judging_day, unit_is_visible, unit_parent
from lantoa.reports.models import DataRequest, DataRequestAssignment, DataSet


def _sees(by: Any, unit: Unit, capability: str = Capability.VIEW_UNITS) -> bool:
    roots = scope_root_ids(by, capability)
    return bool(roots) and unit_is_visible(unit.pk, roots, as_of=judging_day(unit))


def _records(by: Any, unit: Unit) -> bool:
    return has_capability(by, Capability.EDIT_RECORDS, unit, as_of=judging_day(unit))


def _request_missing(pk: Any) -> NotFound:
    return NotFound(_("No data request %(id)s.") % {"id": pk}, extra={"id": pk})


def _assignment_missing(pk: Any) -> NotFound:
    return NotFound(_("No assignment %(id)s.") % {"id": pk}, extra={"id": pk})


def may_send_from(by: Any, unit: Unit) -> bool:
    return _records(by, unit)


def access_sending_unit(*, by: Any, unit: Unit) -> Unit:
    if not _sees(by, unit):
        raise NotFound(_("No unit with code %(code)s.") % {"code": unit.code}, extra={"code": unit.code})
    if not may_send_from(by, unit):
        raise PermissionDenied(
            _("Your role does not allow sending requests from %(unit)s.") % {"unit": unit.name}, extra={"field": "unit"}
        )
    return unit


def access_data_set(*, by: Any, pk: int) -> DataSet:
    """A data set its owner unit's viewers may use (and any unit below it may send on)."""
    data_set = DataSet.objects.select_related("unit").filter(pk=pk).first()
    if data_set is None or not _sees(by, data_set.unit):
        raise NotFound(_("No data set %(id)s.") % {"id": pk}, extra={"id": pk})
    return data_set


def data_sets_for(by: Any, unit: Unit) -> QuerySet[DataSet]:
    """The data sets ``unit`` may send: the current versions of its own and of those of the
    units above it."""
    from lantoa.org.selectors import ancestor_ids

    return DataSet.objects.filter(unit_id__in=ancestor_ids([unit.pk]), retired_at__isnull=True).order_by("name", "pk")


def access_data_set_owner(*, by: Any, pk: int) -> DataSet:
    """A data set its owner unit's senders may revise or retire (others who see it: 403)."""
    data_set = access_data_set(by=by, pk=pk)
    if not may_send_from(by, data_set.unit):
        raise PermissionDenied(
            _("Your role does not allow changing the data sets of %(unit)s.") % {"unit": data_set.unit.name}
        )
    return data_set


def access_request(*, by: Any, pk: int) -> DataRequest:
    """A request seen from the sending side (the tracking page, the totals)."""
    request = DataRequest.objects.select_related("unit", "tier", "period", "data_set").filter(pk=pk).first()
    if request is None or not _sees(by, request.unit, Capability.VIEW_AGGREGATES):
        raise _request_missing(pk)
    return request


def may_remind(by: Any, request: DataRequest) -> bool:
    """The sender's officers remind a request's late units and close it."""
    return _records(by, request.unit)


may_close = may_remind


def _access_request_as_sender(by: Any, pk: int, refusal: str) -> DataRequest:
    request = access_request(by=by, pk=pk)
    if not may_remind(by, request):
        raise PermissionDenied(refusal % {"unit": request.unit.name})
    return request


def access_request_for_reminding(*, by: Any, pk: int) -> DataRequest:
    return _access_request_as_sender(by, pk, _("Your role does not allow reminding units for %(unit)s."))


def access_request_for_closing(*, by: Any, pk: int) -> DataRequest:
    return _access_request_as_sender(by, pk, _("Your role does not allow closing the requests of %(unit)s."))


def access_assignment(*, by: Any, pk: int) -> DataRequestAssignment:
    assignment = (
        DataRequestAssignment.objects.select_related(
            "request__unit", "request__period", "request__data_set", "request__tier", "unit", "current"
        )
        .filter(pk=pk)
        .first()
    )
    if assignment is None or not (_sees(by, assignment.unit) or _sees(by, assignment.request.unit)):
        raise _assignment_missing(pk)
    return assignment


def may_file(by: Any, assignment: DataRequestAssignment) -> bool:
    return _records(by, assignment.unit)


def may_approve(by: Any, assignment: DataRequestAssignment) -> bool:
    """The level above approves: ``by`` records the work of the unit above the assigned one."""
    parent = unit_parent(assignment.unit, as_of=judging_day(assignment.unit))
    return parent is not None and _records(by, parent)


def access_assignment_for_filing(*, by: Any, pk: int) -> DataRequestAssignment:
    """For filing: out of scope answers like missing (404), in scope but read-only 403."""
    assignment = access_assignment(by=by, pk=pk)
    if not _sees(by, assignment.unit):
        raise _assignment_missing(pk)
    if not may_file(by, assignment):
        raise PermissionDenied(_("Your role does not allow filing for %(unit)s.") % {"unit": assignment.unit.name})
    return assignment


def access_assignment_for_approval(*, by: Any, pk: int) -> DataRequestAssignment:
    assignment = access_assignment(by=by, pk=pk)
    if not may_approve(by, assignment):
        raise PermissionDenied(
            _("Only the level above %(unit)s approves its figures.") % {"unit": assignment.unit.name}
        )
    return assignment
