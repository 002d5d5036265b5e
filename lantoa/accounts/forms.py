from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from lantoa.accounts.models import User
from lantoa.accounts.roles import Role
from lantoa.accounts.services import user_set_password
from lantoa.core.errors import ApplicationError
from lantoa.core.forms import CleanTextMixin, Form, SpreadsheetUploadForm, date_input
from lantoa.org.selectors import today


class StyledForm:
    """Gives every widget the Bootstrap class its template expects (no inline styles anywhere)."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


def show_error(form: forms.Form, error: ApplicationError) -> None:
    """Put a service's message next to the field it names (or at the top of the form)."""
    field = error.extra.get("field")
    form.add_error(field if field in form.fields else None, error.message)


def _code_field(help_text: Any = None) -> forms.CharField:
    return forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        help_text=help_text or _("The 6-digit code from your authenticator app, or one of your backup codes."),
    )


class CodeForm(StyledForm, Form):
    code = _code_field()


class SetupCodeForm(StyledForm, Form):
    code = _code_field(help_text=_("The 6-digit code the app shows for Lantoa."))


class TwoFactorDisableForm(StyledForm, Form):
    password = forms.CharField(
        label=_("Your password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    code = _code_field()

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.pop("autofocus", None)


class LanguageForm(StyledForm, Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class ApiTokenForm(StyledForm, Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. “Monthly report script”.")
    )


class AssignmentForm(StyledForm, Form):
    unit = forms.CharField(label=_("Unit code"), max_length=50)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    valid_from = forms.DateField(label=_("From"), widget=date_input())
    valid_to = forms.DateField(
        label=_("Ends on"), required=False, widget=date_input(), help_text=_("The first day without this role.")
    )

    def __init__(self, *args: Any, roles: Iterable[str] | None = None, **kwargs: Any):
        kwargs.setdefault("initial", {"valid_from": today()})
        super().__init__(*args, **kwargs)
        if roles is not None:
            # Offer only the roles this person may give; the service checks again.
            offered = set(roles)
            role_field = self.fields["role"]
            assert isinstance(role_field, forms.ChoiceField)
            role_field.choices = [(value, label) for value, label in Role.choices if value in offered]


class GrantForm(AssignmentForm):
    """An assignment for an existing user named by username (e.g. someone moving between units)."""

    username = forms.CharField(label=_("Username"), max_length=150)
    field_order = ["username", "unit", "role", "valid_from", "valid_to"]

    def clean_username(self) -> User:
        username = self.cleaned_data["username"].strip()
        user = User.objects.filter(username__iexact=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("There is no active user with this username."))
        return user


class AssignmentEndForm(StyledForm, Form):
    on = forms.DateField(label=_("Ends on"), widget=date_input(), help_text=_("The first day without this role."))

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("initial", {"on": today()})
        super().__init__(*args, **kwargs)


class UserImportForm(StyledForm, SpreadsheetUploadForm):
    """Upload of the spreadsheet to import."""


class ManagedUserFilterForm(StyledForm, Form):
    q = forms.CharField(label=_("Name or username"), required=False)


class LantoaPasswordResetForm(CleanTextMixin, StyledForm, PasswordResetForm):
    """Also reaches users who have never chosen a password (created by an import):
    Lantoa has no outside sign-in, so an unusable password only means "not chosen yet"."""

    def get_users(self, email: str) -> Any:
        return (
            user
            for user in User.objects.filter(email__iexact=email, is_active=True)
            if user.email.casefold() == email.casefold()
        )


class LantoaSetPasswordForm(CleanTextMixin, StyledForm, SetPasswordForm):
    """Saving goes through the accounts service, so the change is audited."""

    def save(self, commit: bool = True) -> Any:
        return user_set_password(by=self.user, user=self.user, password=self.cleaned_data["new_password1"])


class LantoaPasswordChangeForm(CleanTextMixin, StyledForm, PasswordChangeForm):
    """Checks the old password and the rules; the view saves through the accounts service."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # The form sits among others on My account; focus stays where the reader is.
        self.fields["old_password"].widget.attrs.pop("autofocus", None)
