"""What the accounts app contributes to the shared registries (navigation)."""

from django.utils.translation import gettext_lazy as _

from lantoa.core.registry import NavItem, register_nav

register_nav(
    NavItem(key="accounts", label=_("Accounts"), url_name="accounts:manage", order=80, capability="manage_accounts")
)
