"""What the org app contributes to the shared registries (navigation, my-work items)."""

from django.utils.translation import gettext_lazy as _

from lantoa.core.registry import NavItem, register_nav

register_nav(NavItem(key="org", label=_("Organisation"), url_name="org:tree", order=10))
