"""The answer page, open without signing in: phone-first, no JavaScript, no cookie.

The card's code is the capability: the page is exempt from CSRF (there is no session to ride on,
and a forged submission could only spend a card the forger already holds), takes the public path
without sessions (``LANTOA_PUBLIC_PATHS``), and keeps nothing of the request — the answer stores
the survey, the card's unit, the day and the answers. A bad submission stores nothing and shows
each problem next to its question; a used card says so plainly.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from lantoa.core.clients import client_address
from lantoa.core.errors import Conflict, NotFound, TooManyRequests, ValidationFailed
from lantoa.org.selectors import unit_by_code
from lantoa.surveys import limits, services
from lantoa.surveys.models import Survey, SurveyMode
from lantoa.surveys.selectors import survey_sections


def _message(request: HttpRequest, *, status: int, title: str, text: str = "") -> HttpResponse:
    return render(request, "surveys/answer_message.html", {"title": title, "text": text}, status=status)


def _values(request: HttpRequest) -> dict[int, Sequence[str]]:
    values: dict[int, Sequence[str]] = {}
    for key in request.POST:
        if key.startswith("q") and key[1:].isdigit():
            values[int(key[1:])] = request.POST.getlist(key)
    return values


def _form(
    request: HttpRequest,
    survey: Survey,
    *,
    action: str,
    errors: dict[str, str] | None = None,
    status: int = 200,
    open_link: bool = False,
) -> HttpResponse:
    submitted = {str(key): list(value) for key, value in _values(request).items()} if request.method == "POST" else {}
    context = {
        "survey": survey,
        "sections": survey_sections(survey),
        "action": action,
        "errors": errors or {},
        "submitted": submitted,
        "open_link": open_link,
    }
    return render(request, "surveys/answer_form.html", context, status=status)


def _submit(request: HttpRequest, survey: Survey, action: str, send: Any, *, open_link: bool = False) -> HttpResponse:
    try:
        send(_values(request))
    except ValidationFailed as error:
        return _form(
            request, survey, action=action, errors=error.extra.get("errors", {}), status=422, open_link=open_link
        )
    except TooManyRequests as error:
        response = _message(request, status=429, title=_("Too many answers"), text=error.message)
        response["Retry-After"] = str(error.retry_after)
        return response
    except Conflict as error:
        if error.code == "token_used":
            return _used(request)
        return _message(request, status=409, title=_("This survey is not taking answers"), text=error.message)
    return render(request, "surveys/answer_done.html", {"survey": survey, "open_link": open_link})


def _used(request: HttpRequest) -> HttpResponse:
    return _message(
        request,
        status=409,
        title=_("This card has already been used"),
        text=_("Each card answers the survey once. Its answer has been counted; nothing more is needed."),
    )


def _unknown(request: HttpRequest) -> HttpResponse:
    limits.count_unknown_code(client_address(request))
    return _message(
        request,
        status=404,
        title=_("Unknown card code"),
        text=_("No card has this code. Check the code printed on the card and type it again."),
    )


@login_not_required
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def answer_code(request: HttpRequest) -> HttpResponse:
    """The form to type the code printed below a card's QR code."""
    error = ""
    code = ""
    if request.method == "POST":
        code = services.normalise_code(request.POST.get("code", ""))
        try:
            limits.refuse_if_guessing(client_address(request))
        except TooManyRequests as refused:
            response = _message(request, status=429, title=_("Too many attempts"), text=refused.message)
            response["Retry-After"] = str(refused.retry_after)
            return response
        if services.token_for_code(code) is not None:
            return redirect("surveys_public:card", code=code)
        limits.count_unknown_code(client_address(request))
        error = _("No card has this code. Check the code printed on the card and type it again.")
    status = 422 if error else 200
    return render(request, "surveys/answer_code.html", {"error": error, "code": code}, status=status)


@login_not_required
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def answer_card(request: HttpRequest, code: str) -> HttpResponse:
    try:
        limits.refuse_if_guessing(client_address(request))
    except TooManyRequests as refused:
        response = _message(request, status=429, title=_("Too many attempts"), text=refused.message)
        response["Retry-After"] = str(refused.retry_after)
        return response
    token = services.token_for_code(code)
    if token is None:
        return _unknown(request)
    survey = token.batch.survey
    if token.used_on is not None:
        return _used(request)
    try:
        services.survey_accepting(survey, services.local_today())
    except Conflict as error:
        return _message(request, status=409, title=_("This survey is not taking answers"), text=error.message)
    action = request.path
    if request.method == "GET":
        return _form(request, survey, action=action)
    return _submit(request, survey, action, lambda values: services.answer_with_token(code=token.code, values=values))


@login_not_required
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def answer_open(request: HttpRequest, link: str, unit_code: str = "") -> HttpResponse:
    survey = services.open_link_survey(link)
    unit = unit_by_code(unit_code) if unit_code else None
    if survey is None or survey.mode != SurveyMode.OPEN_LINK or (unit_code and unit is None):
        return _message(request, status=404, title=_("No such survey"), text=_("Check the link you were given."))
    try:
        services.survey_accepting(survey, services.local_today())
    except Conflict as error:
        return _message(request, status=409, title=_("This survey is not taking answers"), text=error.message)
    action = request.path
    if request.method == "GET":
        return _form(request, survey, action=action, open_link=True)
    address = client_address(request)

    def send(values: dict[int, Sequence[str]]) -> Any:
        return services.answer_open_link(survey=survey, unit=unit, values=values, client=address)

    try:
        return _submit(request, survey, action, send, open_link=True)
    except NotFound:
        return _message(request, status=404, title=_("No such survey"), text=_("Check the link you were given."))
