from django.utils.translation import gettext_lazy as _

from lantoa.core.audit import register_audit_labels
from lantoa.core.registry import NavItem, register_nav

register_nav(NavItem(key="audit", label=_("Audit log"), url_name="audit:list", order=90, capability="view_audit"))

register_audit_labels(
    actions={
        "lantoa.core.data_value.recorded": _("Figure reported"),
        "lantoa.core.data_value.corrected": _("Figure corrected"),
    }
)
