"""What the accounts app contributes to the shared registries (navigation)."""

from django.utils.translation import gettext_lazy as _

from lantoa.core.audit import register_audit_labels
from lantoa.core.registry import NavItem, register_nav

register_nav(
    NavItem(key="accounts", label=_("Accounts"), url_name="accounts:manage", order=80, capability="manage_accounts")
)


def _register_restructuring_handlers() -> None:
    from lantoa.accounts.restructuring import assignments_follow_successor
    from lantoa.org.restructuring import register_pointer_handler

    register_pointer_handler("assignments", assignments_follow_successor)


_register_restructuring_handlers()

register_audit_labels(
    actions={
        "lantoa.accounts.api_token.created": _("API token created"),
        "lantoa.accounts.api_token.revoked": _("API token revoked"),
        "lantoa.accounts.assignment.created": _("Role granted"),
        "lantoa.accounts.assignment.ended": _("Role ended"),
        "lantoa.accounts.two_factor.backup_code_used": _("Backup code used"),
        "lantoa.accounts.two_factor.disabled": _("Two-step sign-in turned off"),
        "lantoa.accounts.two_factor.enabled": _("Two-step sign-in turned on"),
        "lantoa.accounts.two_factor.setup_started": _("Two-step sign-in setup started"),
        "lantoa.accounts.user.created": _("Account created"),
        "lantoa.accounts.user.language_changed": _("Language changed"),
        "lantoa.accounts.user.password_changed": _("Password changed"),
    },
    fields={
        "password": _("password"),
        "backup_codes": _("backup codes"),
        "totp_device": _("authenticator app"),
        "role": _("role"),
    },
)
