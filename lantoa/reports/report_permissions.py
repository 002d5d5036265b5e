"""Gates for official reports and their templates: a report or template of a unit outside the
user's scope answers exactly like one that does not exist."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from lantoa.accounts.permissions import has_capability
from lantoa.accounts.roles import Capability
from lantoa.core.errors import NotFound, PermissionDenied
from lantoa.org.permissions import access_unit
from lantoa.reports.models import Report, ReportTemplate


def access_report(*, by: Any, pk: int, write: bool = False) -> Report:
    """The report ``pk`` if ``by`` may read its unit's figures (and, with ``write``, record the
    unit's work); otherwise NotFound, or PermissionDenied for a reader asking to write."""
    report = Report.objects.select_related("unit", "template").filter(pk=pk).first()
    missing = NotFound(_("No report %(id)s.") % {"id": pk}, extra={"id": pk})
    if report is None:
        raise missing
    try:
        access_unit(by=by, code=report.unit.code, capability=Capability.VIEW_AGGREGATES)
    except (NotFound, PermissionDenied):
        raise missing from None
    if write and not has_capability(by, Capability.EDIT_RECORDS, report.unit):
        raise PermissionDenied(_("Your role does not allow changing this report."))
    return report


def access_template(*, by: Any, pk: int, write: bool = False) -> ReportTemplate:
    """A shared template (no unit) is read by anyone who may read figures, and changed by nobody
    (an office copies it); an office's template as its unit's reports."""
    template = ReportTemplate.objects.select_related("unit").filter(pk=pk).first()
    missing = NotFound(_("No report template %(id)s.") % {"id": pk}, extra={"id": pk})
    if template is None:
        raise missing
    if template.unit is None:
        if not has_capability(by, Capability.VIEW_AGGREGATES):
            raise missing
        if write:
            raise PermissionDenied(_("The shared template cannot be changed: copy it for your office first."))
        return template
    try:
        access_unit(by=by, code=template.unit.code, capability=Capability.VIEW_AGGREGATES)
    except (NotFound, PermissionDenied):
        raise missing from None
    if write and not has_capability(by, Capability.EDIT_RECORDS, template.unit):
        raise PermissionDenied(_("Your role does not allow changing this template."))
    return template


def require_report_writer(*, by: Any, code: str) -> Any:
    """The unit ``code`` if ``by`` may write its reports (record its work)."""
    return access_unit(by=by, code=code, capability=Capability.EDIT_RECORDS)
