"""What the accounts app contributes to the shared registries (navigation)."""

from django.utils.translation import gettext_lazy as _

from lantoa.core.registry import NavItem, register_nav

register_nav(
    NavItem(key="accounts", label=_("Accounts"), url_name="accounts:manage", order=80, capability="manage_accounts")
)


def _register_restructuring_handlers() -> None:
    from lantoa.accounts.restructuring import assignments_follow_successor
    from lantoa.org.restructuring import register_pointer_handler

    register_pointer_handler("assignments", assignments_follow_successor)


_register_restructuring_handlers()
