"""Accounts pages. Each view parses input, calls a gate and a service or selector, and renders."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
from base64 import b32encode
from collections.abc import Iterator
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_otp import login as otp_login
from django_otp import user_has_device

from lantoa.accounts import selectors, services
from lantoa.accounts.forms import (
    ApiTokenForm,
    AssignmentEndForm,
    AssignmentForm,
    CodeForm,
    GrantForm,
    LanguageForm,
    LantoaPasswordChangeForm,
    LantoaPasswordResetForm,
    LantoaSetPasswordForm,
    ManagedUserFilterForm,
    SetupCodeForm,
    TwoFactorDisableForm,
    UserImportForm,
    show_error,
)
from lantoa.accounts.importing import users_import, users_import_template
from lantoa.accounts.middleware import two_factor_state
from lantoa.accounts.models import User
from lantoa.accounts.permissions import (
    access_managed_assignment,
    access_managed_unit,
    access_managed_user,
    access_own_api_token,
    grantable_roles,
    has_capability,
    require_account_management,
)
from lantoa.accounts.roles import Capability
from lantoa.core.audit import action_label, field_label
from lantoa.core.errors import ApplicationError, ImportRejected, NotFound, ValidationFailed
from lantoa.core.forms import AuditFilterForm
from lantoa.core.htmx import wants_fragment
from lantoa.core.models import AuditEntry
from lantoa.org.selectors import today


class SignedInRequest(HttpRequest):
    """Every page here except log-in and password reset is behind the login middleware."""

    user: User  # type: ignore[assignment]
    htmx: Any


# --- Log in, log out, password reset ------------------------------------------------------------


@method_decorator(login_not_required, name="dispatch")
class LantoaLoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LantoaLogoutView(auth_views.LogoutView):
    pass


@method_decorator(login_not_required, name="dispatch")
class LantoaPasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    form_class = LantoaPasswordResetForm
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    @property
    def extra_email_context(self) -> dict[str, str]:  # type: ignore[override]
        return {"site_name": settings.LANTOA_SITE_NAME}


@method_decorator(login_not_required, name="dispatch")
class LantoaPasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


@method_decorator(login_not_required, name="dispatch")
class LantoaPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = LantoaSetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")


@method_decorator(login_not_required, name="dispatch")
class LantoaPasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


# --- Two-factor login ----------------------------------------------------------------------------


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@never_cache
def verify(request: SignedInRequest) -> HttpResponse:
    """Second step of log-in: a code from the authenticator app (or a backup code)."""
    next_url = _safe_next(request, reverse("web:home"))
    if two_factor_state(request.user) != "verify":
        return redirect(next_url)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.two_factor_verify(user=request.user, code=form.cleaned_data["code"])
        except ValidationFailed as error:
            show_error(form, error)
        else:
            otp_login(request, device)
            return redirect(next_url)
    return render(request, "accounts/verify.html", {"form": form, "next": next_url})


def _qr_data_uri(text: str) -> str:
    """The QR code as an SVG data URI for an <img>: no script or inline style on the page."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="svg", scale=5, border=2, xmldecl=False)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


@never_cache
def two_factor_setup(request: SignedInRequest) -> HttpResponse:
    """Scan the QR code (or type the key), confirm with a code, receive backup codes once."""
    state = two_factor_state(request.user)
    if state == "verify":
        return redirect(f"{reverse('accounts:verify')}?next={reverse('accounts:two_factor_setup')}")
    if user_has_device(request.user, confirmed=True):
        messages.info(request, _("Two-factor login is already on."))
        return redirect("accounts:my_account")
    device = services.two_factor_setup_device(by=request.user, user=request.user)
    form = SetupCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.two_factor_enable(
                by=request.user, user=request.user, device=device, code=form.cleaned_data["code"]
            )
        except ApplicationError as error:
            show_error(form, error)
        else:
            otp_login(request, device)
            # Rendered here, not after a redirect: the codes exist nowhere else in readable form.
            return render(request, "accounts/backup_codes.html", {"codes": codes})
    context = {
        "form": form,
        "qr_code": _qr_data_uri(device.config_url),
        "secret": b32encode(device.bin_key).decode("ascii"),
        "required": state == "enrol",
    }
    return render(request, "accounts/two_factor_setup.html", context)


@require_POST
def two_factor_disable(request: SignedInRequest) -> HttpResponse:
    form = TwoFactorDisableForm(request.POST)
    if form.is_valid():
        try:
            services.two_factor_disable(
                by=request.user,
                user=request.user,
                password=form.cleaned_data["password"],
                code=form.cleaned_data["code"],
            )
        except ApplicationError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Two-factor login is off."))
            return redirect("accounts:my_account")
    return _my_account_page(request, disable_form=form, status=422)


# --- My account -----------------------------------------------------------------------------------


def _my_account_page(request: SignedInRequest, *, status: int = 200, **forms: Any) -> HttpResponse:
    user = request.user
    context = {
        "language_form": forms.get("language_form") or LanguageForm(initial={"language": user.language}),
        "password_form": forms.get("password_form") or LantoaPasswordChangeForm(user),
        "disable_form": forms.get("disable_form") or TwoFactorDisableForm(),
        "two_factor": selectors.two_factor_status(by=user),
        "assignments": selectors.current_assignments_for(by=user),
        **_tokens_context(request, forms.get("token_form"), forms.get("new_token")),
    }
    return render(request, "accounts/my_account.html", context, status=status)


def _tokens_context(request: SignedInRequest, form: ApiTokenForm | None = None, new_token: str | None = None) -> dict:
    return {
        "tokens": selectors.api_tokens_for_user(by=request.user),
        "token_form": form or ApiTokenForm(),
        "new_token": new_token,
    }


def _tokens_response(request: SignedInRequest, *, status: int = 200, **kwargs: Any) -> HttpResponse:
    if wants_fragment(request):
        # htmx swaps only successful responses, so a fragment with form errors answers 200.
        context = _tokens_context(request, kwargs.get("token_form"), kwargs.get("new_token"))
        return render(request, "accounts/partials/_api_tokens.html", context)
    return _my_account_page(request, status=status, **kwargs)


@never_cache
@require_GET
def my_account(request: SignedInRequest) -> HttpResponse:
    return _my_account_page(request)


@require_POST
def set_language(request: SignedInRequest) -> HttpResponse:
    form = LanguageForm(request.POST)
    if form.is_valid():
        try:
            services.user_set_language(by=request.user, user=request.user, language=form.cleaned_data["language"])
        except ApplicationError as error:
            show_error(form, error)
        else:
            return redirect("accounts:my_account")
    return _my_account_page(request, language_form=form, status=422)


@require_POST
def password_change(request: SignedInRequest) -> HttpResponse:
    form = LantoaPasswordChangeForm(request.user, request.POST)
    if form.is_valid():
        try:
            services.user_set_password(by=request.user, user=request.user, password=form.cleaned_data["new_password1"])
        except ApplicationError as error:
            show_error(form, error)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password has been changed."))
            return redirect("accounts:my_account")
    return _my_account_page(request, password_form=form, status=422)


@never_cache
@require_POST
def api_token_create(request: SignedInRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _tokens_response(request, token_form=form, status=422)
    _token, secret = services.api_token_create(by=request.user, user=request.user, name=form.cleaned_data["name"])
    # Shown in this response only; Lantoa keeps just a digest of the token.
    return _tokens_response(request, new_token=secret)


@require_POST
def api_token_revoke(request: SignedInRequest, pk: int) -> HttpResponse:
    token = access_own_api_token(by=request.user, pk=pk)
    services.api_token_revoke(by=request.user, token=token)
    if wants_fragment(request):
        return _tokens_response(request)
    messages.success(request, _("The token %(name)s has been revoked.") % {"name": token.name})
    return redirect("accounts:my_account")


# --- Account management (administrators and managers) ---------------------------------------------


def manage(request: SignedInRequest, code: str = "") -> HttpResponse:
    """Users holding assignments in the manager's scope (or inside one unit's subtree)."""
    require_account_management(request.user)
    unit = access_managed_unit(by=request.user, code=code) if code else None
    return _manage_page(request, unit=unit)


def _manage_page(
    request: SignedInRequest, *, unit: Any = None, grant_form: GrantForm | None = None, status: int = 200
) -> HttpResponse:
    filters = ManagedUserFilterForm(request.GET or None)
    q = filters.cleaned_data.get("q", "") if filters.is_valid() else ""
    users = selectors.managed_users(by=request.user, within=unit, q=q)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    selectors.with_scoped_assignments(list(page.object_list), by=request.user)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "unit": unit,
        "page": page,
        "filters": filters,
        "query": query.urlencode(),
        "grant_form": grant_form or GrantForm(roles=grantable_roles(request.user)),
        "today": today(),
    }
    if wants_fragment(request) and grant_form is None:
        return render(request, "accounts/partials/_managed_users.html", context)
    return render(request, "accounts/manage_users.html", context, status=status)


@require_POST
def grant(request: SignedInRequest) -> HttpResponse:
    """Give an existing user a role in a unit the manager manages."""
    require_account_management(request.user)
    form = GrantForm(request.POST, roles=grantable_roles(request.user))
    if form.is_valid():
        unit = _unit_from(form, by=request.user)
        user = form.cleaned_data["username"]
        if unit is not None and _create_assignment(request, form, user=user, unit=unit):
            return redirect("accounts:manage_user", username=user.username)
    return _manage_page(request, grant_form=form, status=422)


def manage_user(request: SignedInRequest, username: str) -> HttpResponse:
    user = access_managed_user(by=request.user, username=username)
    return _manage_user_page(request, user)


def _manage_user_page(request: SignedInRequest, user: Any, *, status: int = 200, **forms: Any) -> HttpResponse:
    context = {
        "managed": user,
        "assignments": selectors.assignments_for_manager(by=request.user, user=user),
        "assignment_form": forms.get("assignment_form") or AssignmentForm(roles=grantable_roles(request.user)),
        "end_form": forms.get("end_form") or AssignmentEndForm(),
        "end_form_for": forms.get("end_form_for"),
        "today": today(),
    }
    return render(request, "accounts/manage_user.html", context, status=status)


def _unit_from(form: AssignmentForm, *, by: Any) -> Any:
    """The unit typed in the form, or None with the gate's message next to the field."""
    try:
        return access_managed_unit(by=by, code=form.cleaned_data["unit"].strip())
    except NotFound as error:
        show_error(form, ValidationFailed(error.message, extra={"field": "unit"}))
        return None


def _create_assignment(request: SignedInRequest, form: AssignmentForm, *, user: Any, unit: Any) -> bool:
    try:
        services.assignment_create(
            by=request.user,
            user=user,
            unit=unit,
            role=form.cleaned_data["role"],
            valid_from=form.cleaned_data["valid_from"],
            valid_to=form.cleaned_data.get("valid_to"),
        )
    except ApplicationError as error:
        show_error(form, error)
        return False
    messages.success(request, _("The assignment has been added."))
    return True


@require_POST
def assignment_add(request: SignedInRequest, username: str) -> HttpResponse:
    user = access_managed_user(by=request.user, username=username)
    form = AssignmentForm(request.POST, roles=grantable_roles(request.user))
    if form.is_valid():
        unit = _unit_from(form, by=request.user)
        if unit is not None and _create_assignment(request, form, user=user, unit=unit):
            return redirect("accounts:manage_user", username=user.username)
    return _manage_user_page(request, user, assignment_form=form, status=422)


@require_POST
def assignment_end(request: SignedInRequest, pk: int) -> HttpResponse:
    assignment = access_managed_assignment(by=request.user, pk=pk)
    form = AssignmentEndForm(request.POST)
    if form.is_valid():
        try:
            services.assignment_end(by=request.user, assignment=assignment, on=form.cleaned_data["on"])
        except ApplicationError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The assignment has been ended."))
            return redirect("accounts:manage_user", username=assignment.user.username)
    return _manage_user_page(request, assignment.user, end_form=form, end_form_for=assignment.pk, status=422)


def import_users(request: SignedInRequest) -> HttpResponse:
    """Upload a spreadsheet of new officers; every problem is listed, or everyone is created."""
    require_account_management(request.user)
    form = UserImportForm(request.POST or None, request.FILES or None)
    problems: list[dict] = []
    more_problems = 0
    if request.method == "POST" and form.is_valid():
        try:
            created = users_import(
                by=request.user, file=form.cleaned_data["file"].read(), site_url=request.build_absolute_uri("/")
            )
        except ImportRejected as rejection:
            problems = rejection.extra.get("details", [])
            more_problems = rejection.extra.get("more", 0)
            form.add_error(None, rejection.message)
        except ApplicationError as error:
            show_error(form, error)
        else:
            messages.success(
                request,
                _("%(count)s accounts created. Each person will receive an email to choose a password.")
                % {"count": len(created)},
            )
            return redirect("accounts:manage")
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "problems": problems, "more_problems": more_problems}
    return render(request, "accounts/import_users.html", context, status=status)


@require_GET
def import_template(request: SignedInRequest) -> HttpResponse:
    require_account_management(request.user)
    english = (get_language() or "vi").startswith("en")
    response = HttpResponse(
        users_import_template(english=english),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = "lantoa-accounts.xlsx" if english else "lantoa-tai-khoan.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- The audit log -------------------------------------------------------------------------------


def _audit_entries(request: SignedInRequest) -> tuple[AuditFilterForm, QuerySet[AuditEntry]]:
    if not has_capability(request.user, Capability.VIEW_AUDIT):
        raise NotFound("audit")
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.audit_entries_for_user(
        by=request.user,
        action=filters.get("action", ""),
        actor=filters.get("actor", ""),
        unit_code=filters.get("unit", ""),
        since=filters.get("since"),
        until=filters.get("until"),
    )
    return form, entries


def audit_list(request: SignedInRequest) -> HttpResponse:
    form, entries = _audit_entries(request)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    rows = [
        {
            "entry": entry,
            "action": action_label(entry.action),
            "fields": [field_label(entry.target_type, name) for name in entry.changed_fields],
        }
        for entry in page
    ]
    context = {"form": form, "page": page, "rows": rows, "query": query.urlencode()}
    template = "accounts/partials/_audit_rows.html" if wants_fragment(request) else "accounts/audit_list.html"
    return render(request, template, context)


class _Echo:
    def write(self, value: str) -> str:
        return value


def audit_export(request: SignedInRequest) -> StreamingHttpResponse:
    """The filtered log as CSV (UTF-8 with BOM so spreadsheet programs read Vietnamese)."""
    _form, entries = _audit_entries(request)
    writer = csv.writer(_Echo())

    def rows() -> Iterator[str]:
        yield "\ufeff"
        yield writer.writerow(
            ["time", "action", "actor", "unit", "target_type", "target_id", "target", "changed_fields", "request_id"]
        )
        for e in entries.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    e.created_at.isoformat(),
                    e.action,
                    e.actor_username,
                    e.unit.code if e.unit is not None else "",
                    e.target_type,
                    e.target_id,
                    e.target_repr,
                    " ".join(e.changed_fields),
                    e.request_id,
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="lantoa-audit-{dt.date.today().isoformat()}.csv"'
    return response
