"""What data requests contribute to the shared registries: the menu entry, the home page's "my
work" (requests to file, filings to approve), the labels of their audit entries and how their
assignments follow a unit that closes in a reorganisation."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from lantoa.core.audit import register_audit_labels
from lantoa.core.registry import NavItem, WorkItem, register_my_work, register_nav

register_nav(
    NavItem(
        key="data_requests",
        label=_("Data requests"),
        url_name="reports:request_list",
        order=25,
        capability="view_aggregates",
    )
)


def _my_work(user: Any, unit: Any) -> list[WorkItem]:
    from lantoa.reports.request_selectors import my_work_items

    return my_work_items(user, unit)


register_my_work("reports.requests", _my_work)

register_audit_labels(
    actions={
        "lantoa.reports.data_set.created": _("Data set created"),
        "lantoa.reports.data_set.revised": _("Data set revised (a new version)"),
        "lantoa.reports.data_set.retired": _("Data set retired"),
        "lantoa.reports.request.sent": _("Data request sent"),
        "lantoa.reports.request.closed": _("Data request closed"),
        "lantoa.reports.submission.filed": _("Figures filed"),
        "lantoa.reports.submission.corrected": _("Approved figures corrected"),
        "lantoa.reports.submission.approved": _("Figures approved"),
        "lantoa.reports.assignment.reminded": _("Late unit reminded"),
        "lantoa.reports.assignment.moved": _("Data request moved to the successor unit"),
        "lantoa.reports.assignment.split": _("Data request given to a unit formed by a split"),
        "lantoa.reports.assignment.part_received": _(
            "Data request given to a unit that received a part of an assigned unit"
        ),
    },
    fields={
        "fields": _("fields"),
        "rules": _("rules"),
        "retired_at": _("retirement"),
        "assignments": _("assigned units"),
        "deadline": _("deadline"),
        "reason": _("reason for the correction"),
        "approved_at": _("approval"),
        "last_reminded_at": _("reminder"),
        "closed_at": _("closing"),
    },
)


def _register_restructuring_handlers() -> None:
    from lantoa.org.restructuring import register_parts_handler, register_pointer_handler
    from lantoa.reports.request_services import assignments_follow_parts, assignments_follow_successor

    register_pointer_handler("data_request_assignments", assignments_follow_successor)
    register_parts_handler("data_request_assignments", assignments_follow_parts)


_register_restructuring_handlers()
