"""What official reports contribute to the shared registries: the menu entry and the labels of
their audit entries."""

from django.utils.translation import gettext_lazy as _

from lantoa.core.audit import register_audit_labels
from lantoa.core.registry import NavItem, register_nav

register_nav(
    NavItem(key="reports", label=_("Reports"), url_name="reports:report_list", order=26, capability="view_aggregates")
)

register_audit_labels(
    actions={
        "lantoa.reports.report_template.copied": _("Report template copied"),
        "lantoa.reports.report_template.changed": _("Report template changed"),
        "lantoa.reports.report.created": _("Report drafted"),
        "lantoa.reports.report.saved": _("Report draft saved"),
        "lantoa.reports.report.issued": _("Report issued with its number"),
        "lantoa.reports.term.created": _("Party term recorded"),
        "lantoa.reports.term.removed": _("Party term removed"),
    },
    fields={
        "texts": _("section texts"),
        "subtitle": _("subject line"),
        "recipients": _("recipients"),
        "number": _("number"),
        "issued_on": _("issued on"),
    },
)
