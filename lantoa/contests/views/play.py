"""The contestant's pages, open without signing in: register, the rounds with a start button and
one's own attempts, an attempt's questions, its result.

Light and phone-first like the check-in page: no script but the countdown (which only shows the
time left; the server keeps the time), one small stylesheet. Contestants are not users and get
no cookie: the secret given at registration travels in the pages' addresses, signed
(``/contests/play/me/<token>/…``): keep the address of "my attempts" to come back. Anonymous
requests take the public path without sessions or CSRF (``LANTOA_PUBLIC_PATHS``). The limits
are those of :mod:`lantoa.contests.limits`, shared with the API.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lantoa.contests import claims, limits, overall, public_cache, referrals, results, selectors, services
from lantoa.contests.models import (
    ACCOUNT_MAX,
    BANK_NAME_MAX,
    CONTACT_MAX,
    NAME_MAX,
    Attempt,
    Audience,
    ContactMedium,
    Contest,
    ContestantGroup,
    ContestStatus,
    PayoutMethod,
    PredictionKind,
)
from lantoa.contests.services import claims as claims_service
from lantoa.contests.services import verification
from lantoa.core.clients import client_address
from lantoa.core.errors import ApplicationError, TooManyRequests
from lantoa.core.forms import Form

_SALT = "lantoa.contests.play"


def token_for(secret: str) -> str:
    return signing.dumps(secret, salt=_SALT)


def _secret(token: str) -> str:
    try:
        return str(signing.loads(token, salt=_SALT))
    except signing.BadSignature:
        raise Http404 from None


def _message(request: HttpRequest, *, status: int, title: str, text: str = "", token: str = "") -> HttpResponse:
    return render(request, "contests/play_message.html", {"title": title, "text": text, "token": token}, status=status)


def _slow_down(request: HttpRequest, error: TooManyRequests) -> HttpResponse:
    response = _message(request, status=error.status, title=_("Too many attempts"), text=error.message)
    response["Retry-After"] = str(error.retry_after)
    return response


class RegisterForm(Form):
    invitation = forms.CharField(
        label=gettext_lazy("Registration code"),
        max_length=20,
        help_text=gettext_lazy("The code your unit gave you, e.g. ABCD-EFGH."),
    )
    name = forms.CharField(label=gettext_lazy("Full name"), max_length=200)
    unit = forms.TypedChoiceField(label=gettext_lazy("Your unit"), coerce=int, choices=[])
    group = forms.ChoiceField(label=gettext_lazy("You take part as"), choices=ContestantGroup.choices)
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=120, required=False)
    email = forms.CharField(label=gettext_lazy("E-mail"), max_length=120, required=False)
    birth_year = forms.IntegerField(label=gettext_lazy("Year of birth"), min_value=1900, max_value=2100)
    guardian_consent = forms.BooleanField(
        label=gettext_lazy("My parent or guardian agrees that I take part (under 18)."), required=False
    )
    consent = forms.BooleanField(label=gettext_lazy("I agree"), required=False)
    referral_code = forms.CharField(
        label=gettext_lazy("Referral code"),
        max_length=20,
        required=False,
        help_text=gettext_lazy("The code of the person who invited you, if any."),
    )

    def __init__(self, *args: Any, contest: Contest, units: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = {u.pk: u for u in units}
        if contest.audience == Audience.RESTRICTED:
            # The list gives the name, the unit and the group; the code says who is registering.
            for name in ("name", "unit", "group"):
                del self.fields[name]
        else:
            del self.fields["invitation"]
        if contest.ask_unit and "unit" in self.fields:
            self.fields["unit"].choices = [("", "—")] + [(u.pk, u.name) for u in units]  # type: ignore[attr-defined]
        elif "unit" in self.fields:
            del self.fields["unit"]
        if not contest.ask_group and "group" in self.fields:
            del self.fields["group"]
        if not contest.ask_phone:
            del self.fields["phone"]
        elif contest.verify_phone:
            self.fields["phone"].required = True
            self.fields["phone"].help_text = gettext_lazy("A code will be sent to it to verify it.")
        if not contest.ask_email:
            del self.fields["email"]
        elif contest.verify_email:
            self.fields["email"].required = True
            self.fields["email"].help_text = gettext_lazy("A code will be sent to it to verify it.")
        if "phone" in self.fields:
            self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})
        if "email" in self.fields:
            self.fields["email"].widget.attrs.update({"inputmode": "email", "autocomplete": "email"})
        if contest.min_age is None:
            del self.fields["birth_year"]
            del self.fields["guardian_consent"]


def _contest(contest_id: int) -> Contest:
    contest = Contest.objects.select_related("unit").filter(pk=contest_id, status=ContestStatus.PUBLISHED).first()
    if contest is None:
        raise Http404
    return contest


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, contest_id: int) -> HttpResponse:
    """The contest's page: what it is, and the registration form (consent unticked)."""
    contest = _contest(contest_id)
    units = selectors.registration_units(contest) if contest.ask_unit and contest.audience == Audience.PUBLIC else []
    if request.method != "POST":
        # A friend's link (?ref=CODE) fills the code in; a wrong one is ignored at registration.
        form = RegisterForm(contest=contest, units=units, initial={"referral_code": request.GET.get("ref", "")[:20]})
        return render(request, "contests/play_register.html", {"contest": contest, "form": form})
    form = RegisterForm(request.POST, contest=contest, units=units)
    if form.is_valid():
        try:
            limits.count_registration(client_address(request))
        except TooManyRequests as error:
            return _slow_down(request, error)
        data = form.cleaned_data
        registration = services.Registration(
            invitation=data.get("invitation", ""),
            name=data.get("name", ""),
            consent=data["consent"],
            unit=form.units.get(data.get("unit") or 0),
            group=data.get("group", ""),
            phone=data.get("phone", ""),
            email=data.get("email", ""),
            birth_year=data.get("birth_year"),
            guardian_consent=data.get("guardian_consent", False),
            referral_code=data.get("referral_code", ""),
        )
        try:
            registered = services.contestant_register(contest=contest, data=registration)
        except ApplicationError as error:
            field = error.extra.get("field")
            form.add_error(field if field in form.fields else None, error.message)
        else:
            return redirect(reverse("contests:play_me", args=[token_for(registered.key)]) + "?new=1")
    return render(request, "contests/play_register.html", {"contest": contest, "form": form}, status=422)


def _contestant(request: HttpRequest, token: str) -> Any:
    address = client_address(request)
    limits.refuse_if_guessing(address)
    contestant = services.contestant_for_key(_secret(token))
    if contestant is None:
        limits.count_unknown_key(address)
        raise Http404
    return contestant


@login_not_required
@never_cache
@require_GET
def me(request: HttpRequest, token: str) -> HttpResponse:
    """ "My attempts": the contest's rounds with a start button, and one's attempts with results."""
    try:
        contestant = _contestant(request, token)
    except TooManyRequests as error:
        return _slow_down(request, error)
    contest = Contest.objects.get(pk=contestant.contest_id)
    now = timezone.now()
    attempts = selectors.contestant_attempts(contestant.pk)
    entered = {attempt.round_id for attempt in attempts if attempt.submitted_at is not None}
    rounds = [
        {
            "round": r,
            "refusal": services.round_open_refusal(r, now) or verification.verification_refusal(contest, contestant),
            "minutes": max(1, r.time_limit_seconds // 60),
            # Final once the round closed (one lookup), else provisional (two queries).
            "standing": results.own_standing(r, contestant.pk) if r.pk in entered else None,
        }
        for r in contest.rounds.select_related("contest").order_by("number")
    ]
    context = {
        "contest": contest,
        "contestant": contestant,
        "token": token,
        "rounds": rounds,
        "attempts": attempts,
        "new": request.GET.get("new") == "1",
        "overall_rank": overall.own_overall(contest, contestant.pk),
        "referral_link": request.build_absolute_uri(reverse("contests:play_register", args=[contest.pk]))
        + f"?ref={contestant.referral_code}",
        "referred": referrals.referred_count(contestant),
        "link": request.build_absolute_uri(reverse("contests:play_me", args=[token])),
        "unverified": verification.unverified(contest, contestant),
        "verified": request.GET.get("verified") == "1",
    }
    return render(request, "contests/play_me.html", context)


class CodeForm(Form):
    request = forms.CharField(max_length=43, widget=forms.HiddenInput)
    code = forms.CharField(
        label=gettext_lazy("Code received"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*", "size": 8}
        ),
    )


def _medium_label(medium: str) -> str:
    return _("phone number") if medium == ContactMedium.PHONE else _("e-mail address")


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """Verify one's phone or e-mail: ask for a code (``send`` with the ``medium``), then type it
    (``request``, the code request's token, and ``code``). No script needed."""
    try:
        contestant = _contestant(request, token)
    except TooManyRequests as error:
        return _slow_down(request, error)
    contest = Contest.objects.get(pk=contestant.contest_id)
    waiting = verification.unverified(contest, contestant)
    if not waiting:
        return redirect("contests:play_me", token=token)
    choices = [(medium, _medium_label(medium)) for medium in waiting]
    context: dict[str, Any] = {"contest": contest, "token": token, "choices": choices}
    status = 200
    if request.method == "POST" and "send" in request.POST:
        medium = request.POST.get("medium", "")[:8]
        try:
            sent = verification.code_request(contestant=contestant, medium=medium, address=client_address(request))
        except TooManyRequests as error:
            return _slow_down(request, error)
        except ApplicationError as error:
            context["error"], status = error.message, error.status
        else:
            context["sent"] = sent
            context["medium_label"] = _medium_label(sent.medium)
            context["form"] = CodeForm(initial={"request": sent.token})
    elif request.method == "POST":
        form = CodeForm(request.POST)
        context["form"] = form
        if form.is_valid():
            try:
                verification.code_confirm(
                    contestant=contestant,
                    token=form.cleaned_data["request"],
                    code=form.cleaned_data["code"],
                    address=client_address(request),
                )
            except TooManyRequests as error:
                return _slow_down(request, error)
            except ApplicationError as error:
                form.add_error("code", error.message)
            else:
                return redirect(reverse("contests:play_me", args=[token]) + "?verified=1")
        status = 422
    return render(request, "contests/play_verify.html", context, status=status)


@login_not_required
@never_cache
@require_POST
def start(request: HttpRequest, token: str, round_id: int) -> HttpResponse:
    """Start an attempt (the form's key makes a second tap start nothing new)."""
    try:
        contestant = _contestant(request, token)
        limits.count_play(client_address(request), contestant.pk)
    except TooManyRequests as error:
        return _slow_down(request, error)
    round_ = public_cache.cached_round(round_id)
    if round_ is None:
        raise Http404
    try:
        started = services.attempt_start(
            contestant=contestant, round_=round_, client_key=request.POST.get("client_key", "")[:64]
        )
    except ApplicationError as error:
        return _message(request, status=error.status, title=error.message, token=token)
    return redirect("contests:play_attempt", token=token, attempt_id=started.attempt.pk)


def _own_attempt(request: HttpRequest, token: str, attempt_id: Any) -> Attempt:
    address = client_address(request)
    limits.refuse_if_guessing(address)
    try:
        return services.attempt_for_key(attempt_id, _secret(token))
    except ApplicationError:
        limits.count_unknown_key(address)
        raise Http404 from None


@login_not_required
@never_cache
@require_GET
def attempt(request: HttpRequest, token: str, attempt_id: Any) -> HttpResponse:
    """The attempt: its questions and the submit button, or once submitted its result."""
    try:
        found = _own_attempt(request, token, attempt_id)
    except TooManyRequests as error:
        return _slow_down(request, error)
    round_ = public_cache.cached_round(found.round_id)
    assert round_ is not None
    context: dict[str, Any] = {"attempt": found, "round": round_, "token": token}
    if found.submitted_at is not None:
        context["seconds"] = (found.duration_ms or 0) / 1000
        return render(request, "contests/play_result.html", context)
    context["questions"] = services.shown_questions(found, round_.bank_id)
    context["now"] = timezone.now()
    context["asks_prediction"] = round_.prediction_kind != PredictionKind.NONE
    return render(request, "contests/play_attempt.html", context)


@login_not_required
@never_cache
@require_POST
def submit(request: HttpRequest, token: str, attempt_id: Any) -> HttpResponse:
    """Grade the answers ticked (``q0``, ``q1``…: the letters shown) and show the result."""
    try:
        found = _own_attempt(request, token, attempt_id)
        limits.count_play(client_address(request), found.contestant_id)
    except TooManyRequests as error:
        return _slow_down(request, error)
    answers = [request.POST.getlist(f"q{i}")[:8] for i in range(len(found.questions))]
    prediction = None
    raw = request.POST.get("prediction", "").strip()
    if raw:
        if not raw.isdigit() or len(raw) > 13:
            return _message(request, status=422, title=_("The prediction is a whole number."), token=token)
        prediction = int(raw)
    try:
        services.attempt_submit(attempt=found, answers=answers, prediction=prediction)
    except ApplicationError as error:
        return _message(request, status=error.status, title=error.message, token=token)
    return redirect("contests:play_attempt", token=token, attempt_id=found.pk)


class ClaimForm(Form):
    method = forms.ChoiceField(
        label=gettext_lazy("How the prize is paid"), choices=PayoutMethod.choices, widget=forms.RadioSelect
    )
    payee_name = forms.CharField(label=gettext_lazy("Full name as on the account"), max_length=NAME_MAX)
    bank_account = forms.CharField(label=gettext_lazy("Bank account number"), max_length=ACCOUNT_MAX, required=False)
    bank_name = forms.CharField(label=gettext_lazy("Bank"), max_length=BANK_NAME_MAX, required=False)
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=CONTACT_MAX)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def claim(request: HttpRequest, token: str, round_id: int) -> HttpResponse:
    """A prize winner says how their prize is paid (and may correct it until it is paid)."""
    try:
        contestant = _contestant(request, token)
    except TooManyRequests as error:
        return _slow_down(request, error)
    try:
        round_, found = claims_service.claim_for_contestant(round_id, contestant)
    except ApplicationError:
        raise Http404 from None
    refusal = claims_service.claim_refusal(round_, contestant)
    if refusal is not None:
        return _message(request, status=refusal.status, title=refusal.message, token=token)
    initial = {"method": PayoutMethod.BANK, "payee_name": contestant.name, "phone": contestant.phone}
    form = ClaimForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                limits.count_play(client_address(request), contestant.pk)
                claims_service.claim_submit(
                    contestant=contestant, round_=round_, data=claims_service.ClaimData(**form.cleaned_data)
                )
            except TooManyRequests as error:
                return _slow_down(request, error)
            except ApplicationError as error:
                field = error.extra.get("field")
                form.add_error(field if field in form.fields else None, error.message)
            else:
                return redirect(reverse("contests:play_claim", args=[token, round_.pk]) + "?sent=1")
        status = 422
    context = {
        "round": round_,
        "contest": round_.contest,
        "token": token,
        "form": form,
        "claim": claims.claim_out(found, full=False) if found is not None else None,
        "paid": found is not None and found.paid_at is not None,
        "sent": request.GET.get("sent") == "1",
    }
    return render(request, "contests/play_claim.html", context, status=status)


__all__ = ["attempt", "claim", "me", "register", "start", "submit", "token_for", "verify"]
