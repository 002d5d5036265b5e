from django.utils.translation import gettext_lazy as _

from lantoa.core.registry import NavItem, register_nav

register_nav(NavItem(key="audit", label=_("Audit log"), url_name="audit:list", order=90, capability="view_audit"))
