"""Check-in on a phone, open without signing in; and the QR code a site shows.

The QR code at a site opens ``/c/<code>``; ``/checkin/`` takes the eight-character code typed on a
phone and leads to the same page. The page is small and works without JavaScript: a form with
the full name (required only for conferences mandatory for cadres), the category and a hidden
key made when the page is drawn, so the same form sent twice counts once. A signed-in user
checks in as their linked person.

The pages keep nothing about the visitor and set no cookie: an anonymous visitor's requests take
the public path without sessions or CSRF (``lantoa.core.middleware.SignedInMiddleware``; a
signed-in visitor's form is checked for CSRF as everywhere else); no names are logged. The
limits on unknown codes and on check-ins are those of :mod:`lantoa.meetings.limits`, shared
with the API.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from typing import Any

import segno
from django import forms
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from lantoa.accounts.roles import Capability
from lantoa.core.clients import client_address
from lantoa.core.errors import ApplicationError, Conflict, TooManyRequests, ValidationFailed
from lantoa.core.forms import Form
from lantoa.meetings import limits, services
from lantoa.meetings.models import BridgePoint, Category, Participant
from lantoa.meetings.permissions import access_point

_QR_FORMATS = {"svg": "image/svg+xml", "png": "image/png"}


class CheckInForm(Form):
    name = forms.CharField(
        label=gettext_lazy("Full name"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name", "autocapitalize": "words"}),
        error_messages={"required": gettext_lazy("Write your full name.")},
    )
    category = forms.ChoiceField(
        label=gettext_lazy("You attend as"),
        choices=Category.choices,
        initial=Category.PARTY_MEMBERS,
        widget=forms.RadioSelect,
    )
    client_key = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)
    method = forms.ChoiceField(
        choices=[(Participant.Method.QR, "qr"), (Participant.Method.CODE, "code")],
        initial=Participant.Method.QR,
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args: Any, name_required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].required = name_required


class CodeForm(Form):
    code = forms.CharField(
        label=gettext_lazy("Check-in code"),
        max_length=20,
        help_text=gettext_lazy("The eight letters and digits shown at the site, for example KX7M 2PQR."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false", "inputmode": "text"}
        ),
    )


# --- Limits (lantoa.meetings.limits: the same for the API) ----------------------------------


def _guessing(request: HttpRequest) -> HttpResponse | None:
    try:
        limits.refuse_if_guessing(client_address(request))
    except TooManyRequests as error:
        return _slow_down(request, error)
    return None


# --- Pages -------------------------------------------------------------------------------------


def _message(
    request: HttpRequest, *, status: int, title: str, text: str = "", point: BridgePoint | None = None
) -> HttpResponse:
    context = {"title": title, "text": text, "point": point, "when": _when(point) if point else None}
    return render(request, "meetings/checkin_message.html", context, status=status)


def _unknown_code(request: HttpRequest) -> HttpResponse:
    return _message(
        request,
        status=404,
        title=_("Unknown check-in code"),
        text=_("No site has this check-in code. Check the code shown at the site and type it again."),
    )


def _slow_down(request: HttpRequest, error: TooManyRequests) -> HttpResponse:
    response = _message(request, status=error.status, title=_("Too many attempts"), text=error.message)
    response["Retry-After"] = str(error.retry_after)
    return response


def _when(point: BridgePoint) -> dict[str, dt.datetime]:
    conference = point.conference
    return {"start": timezone.localtime(conference.starts_at), "end": timezone.localtime(conference.ends_at)}


def _closed(point: BridgePoint, now: dt.datetime) -> Conflict | None:
    """Why this site takes no check-in now (the same rules as the service), or None."""
    try:
        services.check_in_open(point.conference, now)
    except Conflict as error:
        return error
    if point.mode != BridgePoint.Mode.PER_PERSON:
        return Conflict(
            _("This site counts its attendance by headcount; check-in is not used here."), code="headcount_site"
        )
    return None


def _linked_person(request: HttpRequest) -> Any:
    if not request.user.is_authenticated:
        return None
    return getattr(request.user, "person", None)


def _site_page(request: HttpRequest, point: BridgePoint, form: CheckInForm, *, status: int = 200) -> HttpResponse:
    person = _linked_person(request)
    context = {
        "point": point,
        "conference": point.conference,
        "when": _when(point),
        "form": form,
        "person": person,
        "category_choices": list(form["category"]),
    }
    return render(request, "meetings/checkin_site.html", context, status=status)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def check_in_site(request: HttpRequest, code: str) -> HttpResponse:
    """The site's check-in page (what its QR code opens) and the check-in itself."""
    refused = _guessing(request)
    if refused is not None:
        return refused
    point = services.point_for_code(code)
    if point is None:
        limits.count_unknown_code(client_address(request))
        return _unknown_code(request)
    closed = _closed(point, timezone.now())
    if closed is not None:
        return _message(request, status=closed.status, title=closed.message, point=point)
    name_required = point.conference.is_mandatory and _linked_person(request) is None
    if request.method != "POST":
        method = Participant.Method.CODE if request.GET.get("via") == "code" else Participant.Method.QR
        form = CheckInForm(initial={"client_key": uuid.uuid4().hex, "method": method}, name_required=name_required)
        return _site_page(request, point, form)

    form = CheckInForm(request.POST, name_required=name_required)
    if not form.is_valid():
        return _site_page(request, point, form, status=422)
    try:
        limits.count_check_in(client_address(request), point.pk)
    except TooManyRequests as error:
        return _slow_down(request, error)
    data = services.CheckIn(
        code=point.code,
        client_key=form.cleaned_data["client_key"],
        name=form.cleaned_data["name"],
        category=form.cleaned_data["category"],
        method=form.cleaned_data["method"] or Participant.Method.QR,
    )
    try:
        result = services.check_in(by=request.user if request.user.is_authenticated else None, data=data, site=point)
    except ValidationFailed as error:
        if error.extra.get("field") == "code":
            return _unknown_code(request)
        field = error.extra.get("field")
        form.add_error(field if field in form.fields and field != "client_key" else None, error.message)
        return _site_page(request, point, form, status=error.status)
    except ApplicationError as error:
        return _message(request, status=error.status, title=error.message, point=point)
    participant = result.participant
    context = {
        "point": point,
        "conference": point.conference,
        "when": _when(point),
        "participant": participant,
        "checked_in_at": timezone.localtime(participant.checked_in_at) if participant.checked_in_at else None,
        "created": result.created,
    }
    return render(request, "meetings/checkin_done.html", context)


@login_not_required
@never_cache
@require_GET
def check_in_code(request: HttpRequest) -> HttpResponse:
    """Type the code shown at the site (spaces, dashes and small letters are fine)."""
    if "code" not in request.GET:
        return render(request, "meetings/checkin_code.html", {"form": CodeForm()})
    form = CodeForm(request.GET)
    if not form.is_valid():
        return render(request, "meetings/checkin_code.html", {"form": form}, status=422)
    refused = _guessing(request)
    if refused is not None:
        return refused
    point = services.point_for_code(form.cleaned_data["code"])
    if point is None:
        limits.count_unknown_code(client_address(request))
        form.add_error("code", _("No site has this check-in code. Check the code shown at the site and type it again."))
        return render(request, "meetings/checkin_code.html", {"form": form}, status=404)
    return redirect(reverse("meetings_public:checkin_site", args=[point.code]) + "?via=code")


# --- The site's QR code (staff) ------------------------------------------------------------------


def check_in_url(request: HttpRequest, point: BridgePoint) -> str:
    return request.build_absolute_uri(reverse("meetings_public:checkin_site", args=[point.code]))


def _qr(url: str, fmt: str) -> bytes:
    code = segno.make_qr(url, error="m", boost_error=False)
    buffer = io.BytesIO()
    if fmt == "svg":
        code.save(buffer, kind="svg", scale=8, border=4, xmldecl=True, svgclass=None, lineclass=None, title=url)
    else:
        code.save(buffer, kind="png", scale=10, border=4)
    return buffer.getvalue()


@require_GET
def point_qr(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The QR code to show or print at a site: it opens the site's check-in page."""
    if fmt not in _QR_FORMATS:
        raise Http404
    point = access_point(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    response = HttpResponse(_qr(check_in_url(request, point), fmt), content_type=_QR_FORMATS[fmt])
    response["Content-Disposition"] = f'inline; filename="checkin-{point.code}.{fmt}"'
    response["Cache-Control"] = "private, max-age=3600"
    return response


__all__ = ["check_in_code", "check_in_site", "check_in_url", "point_qr"]
