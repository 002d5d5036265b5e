"""Contests and their rounds (staff writes, audited) and contestants registering (public)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.contests.models import (
    ATTEMPTS_ALLOWED_MAX,
    CONSENT_MAX,
    CONTACT_MAX,
    DEFAULT_RANKING_ORDER,
    DESCRIPTION_MAX,
    GRACE_MAX,
    KEY_MAX,
    NAME_MAX,
    PRIZES_MAX,
    PROMPT_MAX,
    QUESTIONS_PER_ATTEMPT_MAX,
    REFERRAL_LENGTH,
    RETENTION_DAYS_DEFAULT,
    RETENTION_DAYS_MAX,
    SIGNER_MAX,
    TAG_MAX,
    TIME_LIMIT_MAX,
    TITLE_MAX,
    Audience,
    Contest,
    Contestant,
    ContestantGroup,
    ContestStatus,
    PredictionKind,
    QuestionBank,
    Round,
)
from lantoa.contests.ranking import clean_order
from lantoa.contests.services.eligible import clean_invitation, invitation_claim, invitation_to_claim, new_invitation
from lantoa.core.audit import actor_or_none, audit_record
from lantoa.core.errors import Conflict, NotFound, ValidationFailed
from lantoa.core.masking import clean_phone, phone_digits
from lantoa.core.results import Created
from lantoa.core.rows import select_instance
from lantoa.core.text import clean_text, fold
from lantoa.org.models import Unit

ADULT_AGE = 18


def _text(value: str, *, field_name: str, limit: int, required: bool = False, multiline: bool = False) -> str:
    text = clean_text(value, multiline=multiline)
    if required and not text:
        raise ValidationFailed(_("This field is required."), extra={"field": field_name})
    if len(text) > limit:
        raise ValidationFailed(
            _("This text is longer than %(max)s characters.") % {"max": limit}, extra={"field": field_name}
        )
    return text


@dataclass
class ContestData:
    unit: Unit
    title: str
    description: str = ""
    audience: str = Audience.PUBLIC
    min_age: int | None = None
    ask_unit: bool = True
    ask_group: bool = True
    ask_phone: bool = False
    ask_email: bool = False
    verify_phone: bool = False
    verify_email: bool = False
    consent_text: str = ""
    signer_role: str = ""
    signer_name: str = ""
    status: str = ContestStatus.DRAFT
    prizes_individual: int = 0
    prizes_collective: int = 0
    referral_prizes: int = 0
    claim_retention_days: int = RETENTION_DAYS_DEFAULT
    client_key: str = ""


CONTEST_FIELDS = (
    "title",
    "description",
    "audience",
    "min_age",
    "ask_unit",
    "ask_group",
    "ask_phone",
    "ask_email",
    "verify_phone",
    "verify_email",
    "consent_text",
    "signer_role",
    "signer_name",
    "status",
    "prizes_individual",
    "prizes_collective",
    "referral_prizes",
    "claim_retention_days",
)


def _contest_values(data: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": _text(data.title, field_name="title", limit=TITLE_MAX, required=True),
        "description": _text(data.description, field_name="description", limit=DESCRIPTION_MAX, multiline=True),
        "consent_text": _text(data.consent_text, field_name="consent_text", limit=CONSENT_MAX, multiline=True),
        "signer_role": _text(data.signer_role, field_name="signer_role", limit=SIGNER_MAX),
        "signer_name": _text(data.signer_name, field_name="signer_name", limit=NAME_MAX),
    }
    if data.audience not in Audience.values:
        raise ValidationFailed(_("Choose who may enter."), extra={"field": "audience"})
    if data.status not in ContestStatus.values:
        raise ValidationFailed(_("Choose a status."), extra={"field": "status"})
    if data.min_age is not None and not 1 <= data.min_age <= 100:
        raise ValidationFailed(_("The minimum age is between 1 and 100."), extra={"field": "min_age"})
    for name in ("prizes_individual", "prizes_collective", "referral_prizes"):
        if not 0 <= getattr(data, name) <= PRIZES_MAX:
            raise ValidationFailed(
                _("The number of prizes is between 0 and %(max)s.") % {"max": PRIZES_MAX}, extra={"field": name}
            )
    for name in ("audience", "min_age", "ask_unit", "ask_group", "ask_phone", "ask_email", "status"):
        values[name] = getattr(data, name)
    # Verifying a contact means asking it (and requiring it at registration).
    if data.verify_phone and not data.ask_phone:
        raise ValidationFailed(
            _("Ask for a phone number to verify it by a one-time code."), extra={"field": "verify_phone"}
        )
    if data.verify_email and not data.ask_email:
        raise ValidationFailed(
            _("Ask for an e-mail address to verify it by a one-time code."), extra={"field": "verify_email"}
        )
    values["verify_phone"] = bool(data.verify_phone)
    values["verify_email"] = bool(data.verify_email)
    values["prizes_individual"] = data.prizes_individual
    values["prizes_collective"] = data.prizes_collective
    values["referral_prizes"] = data.referral_prizes
    if not 1 <= data.claim_retention_days <= RETENTION_DAYS_MAX:
        raise ValidationFailed(
            _("Payment details are kept between 1 and %(max)s days.") % {"max": RETENTION_DAYS_MAX},
            extra={"field": "claim_retention_days"},
        )
    values["claim_retention_days"] = data.claim_retention_days
    return values


def contest_create(*, by: Any, data: ContestData) -> Created[Contest]:
    """A contest organised by ``data.unit``; the same ``client_key`` again returns the first."""
    key = clean_text(data.client_key)[:KEY_MAX]
    if key:
        existing = Contest.objects.filter(unit=data.unit, client_key=key).first()
        if existing is not None:
            return Created(existing, created=False)
    values = _contest_values(data)
    if data.unit.closed_on is not None:
        raise ValidationFailed(_("%(unit)s has closed.") % {"unit": data.unit.name}, extra={"field": "unit"})
    try:
        with transaction.atomic():
            contest = Contest.objects.create(unit=data.unit, client_key=key, created_by=actor_or_none(by), **values)
            audit_record(
                action="lantoa.contests.contest.created", by=by, target=contest, unit=contest.unit, changed=["title"]
            )
    except IntegrityError:
        if key:
            return Created(Contest.objects.get(unit=data.unit, client_key=key), created=False)
        raise
    return Created(contest, created=True)


@transaction.atomic
def contest_update(*, by: Any, contest: Contest, changes: dict[str, Any]) -> Contest:
    """Change the fields named in ``changes`` (any of :data:`CONTEST_FIELDS`)."""
    contest = Contest.objects.select_for_update().select_related("unit").get(pk=contest.pk)
    current = {name: getattr(contest, name) for name in CONTEST_FIELDS}
    unknown = set(changes) - set(CONTEST_FIELDS)
    if unknown:
        raise ValidationFailed(_("Unknown field."), extra={"field": sorted(unknown)[0]})
    merged = type("ContestValues", (), {**current, **changes})
    values = _contest_values(merged)
    changed = [name for name in CONTEST_FIELDS if values[name] != current[name]]
    _refuse_verifying_missing_contacts(contest, values, current)
    if changed:
        for name in changed:
            setattr(contest, name, values[name])
        contest.save()
        audit_record(
            action="lantoa.contests.contest.updated", by=by, target=contest, unit=contest.unit, changed=changed
        )
    return contest


def _refuse_verifying_missing_contacts(contest: Contest, values: dict[str, Any], current: dict[str, Any]) -> None:
    """Turning verification on once people registered without that contact would leave them
    unable to start: refused (409 ``contacts_missing``)."""
    for name, column in (("verify_phone", "phone"), ("verify_email", "email")):
        if values[name] and not current[name] and contest.contestants.filter(**{column: ""}).exists():
            raise Conflict(
                _("Some contestants registered without this contact: they could not verify it."),
                code="contacts_missing",
                extra={"field": name},
            )


@dataclass
class RoundData:
    bank: QuestionBank
    opens_at: dt.datetime
    closes_at: dt.datetime
    title: str = ""
    number: int | None = None
    window_start: dt.time | None = None
    window_end: dt.time | None = None
    weekdays: str = ""
    questions_per_attempt: int = 20
    draw_rules: list[dict[str, Any]] = field(default_factory=list)
    time_limit_seconds: int = 600
    grace_seconds: int = 30
    attempts_allowed: int = 1
    prediction_kind: str = PredictionKind.NONE
    prediction_prompt: str = ""
    ranking_order: str = DEFAULT_RANKING_ORDER


ROUND_FIELDS = (
    "bank",
    "opens_at",
    "closes_at",
    "title",
    "window_start",
    "window_end",
    "weekdays",
    "questions_per_attempt",
    "draw_rules",
    "time_limit_seconds",
    "grace_seconds",
    "attempts_allowed",
    "prediction_kind",
    "prediction_prompt",
    "ranking_order",
)


def _round_values(contest: Contest, data: Any) -> dict[str, Any]:
    if data.bank.unit_id != contest.unit_id and not _bank_usable(contest, data.bank):
        raise ValidationFailed(_("Choose a bank of the organising unit."), extra={"field": "bank"})
    if data.closes_at <= data.opens_at:
        raise ValidationFailed(_("The round must close after it opens."), extra={"field": "closes_at"})
    if (data.window_start is None) != (data.window_end is None):
        raise ValidationFailed(_("Give both ends of the daily window, or neither."), extra={"field": "window_end"})
    if data.window_start is not None and data.window_end <= data.window_start:
        raise ValidationFailed(_("The daily window must end after it starts."), extra={"field": "window_end"})
    weekdays = "".join(sorted(set(str(data.weekdays or ""))))
    if any(ch not in "1234567" for ch in weekdays):
        raise ValidationFailed(_("Weekdays are written 1 (Monday) to 7 (Sunday)."), extra={"field": "weekdays"})
    bounds = {
        "questions_per_attempt": (1, QUESTIONS_PER_ATTEMPT_MAX),
        "time_limit_seconds": (10, TIME_LIMIT_MAX),
        "grace_seconds": (0, GRACE_MAX),
        "attempts_allowed": (0, ATTEMPTS_ALLOWED_MAX),
    }
    for name, (low, high) in bounds.items():
        if not low <= getattr(data, name) <= high:
            raise ValidationFailed(
                _("This number is between %(low)s and %(high)s.") % {"low": low, "high": high}, extra={"field": name}
            )
    rules: list[dict[str, Any]] = []
    for rule in data.draw_rules or []:
        tag = clean_text(str(rule.get("tag", "")))[:TAG_MAX]
        count = rule.get("count")
        if (
            not tag
            or not isinstance(count, int)
            or isinstance(count, bool)
            or not 1 <= count <= QUESTIONS_PER_ATTEMPT_MAX
        ):
            raise ValidationFailed(_("Each draw rule names a tag and a count."), extra={"field": "draw_rules"})
        rules.append({"tag": tag, "count": count})
    if rules and sum(int(r["count"]) for r in rules) != data.questions_per_attempt:
        raise ValidationFailed(
            _("The draw rules must add up to the questions per attempt."), extra={"field": "draw_rules"}
        )
    if data.prediction_kind not in PredictionKind.values:
        raise ValidationFailed(_("Choose a prediction question."), extra={"field": "prediction_kind"})
    return {
        "bank": data.bank,
        "opens_at": data.opens_at,
        "closes_at": data.closes_at,
        "title": _text(data.title, field_name="title", limit=TITLE_MAX),
        "window_start": data.window_start,
        "window_end": data.window_end,
        "weekdays": weekdays,
        "questions_per_attempt": data.questions_per_attempt,
        "draw_rules": rules,
        "time_limit_seconds": data.time_limit_seconds,
        "grace_seconds": data.grace_seconds,
        "attempts_allowed": data.attempts_allowed,
        "prediction_kind": data.prediction_kind,
        "prediction_prompt": _text(data.prediction_prompt, field_name="prediction_prompt", limit=PROMPT_MAX),
        "ranking_order": clean_order(data.ranking_order),
    }


def _bank_usable(contest: Contest, bank: QuestionBank) -> bool:
    """A bank of the organiser or of a unit above it (a province's bank for a commune's contest)."""
    from lantoa.org.selectors import ever_within_ids

    return contest.unit_id in set(ever_within_ids([bank.unit_id]))


@transaction.atomic
def round_create(*, by: Any, contest: Contest, data: RoundData) -> Round:
    contest = Contest.objects.select_for_update().select_related("unit").get(pk=contest.pk)
    values = _round_values(contest, data)
    number = data.number
    if number is None:
        number = (contest.rounds.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    if not 1 <= number <= 1000:
        raise ValidationFailed(_("This number is between %(low)s and %(high)s.") % {"low": 1, "high": 1000})
    if contest.rounds.filter(number=number).exists():
        raise Conflict(_("The contest already has a round with this number."), code="round_number_taken")
    round_ = Round.objects.create(contest=contest, number=number, **values)
    audit_record(action="lantoa.contests.round.created", by=by, target=round_, unit=contest.unit, changed=["number"])
    return round_


@transaction.atomic
def round_update(*, by: Any, round_: Round, changes: dict[str, Any]) -> Round:
    round_ = Round.objects.select_for_update().select_related("contest__unit", "bank").get(pk=round_.pk)
    unknown = set(changes) - set(ROUND_FIELDS)
    if unknown:
        raise ValidationFailed(_("Unknown field."), extra={"field": sorted(unknown)[0]})
    current = {name: getattr(round_, name) for name in ROUND_FIELDS}
    values = _round_values(round_.contest, type("RoundValues", (), {**current, **changes}))
    if round_.closed_at is not None:
        raise Conflict(_("The round has closed."), code="round_closed")
    if values["bank"].pk != round_.bank_id and round_.attempts.exists():
        raise Conflict(_("Attempts were made: the bank of this round can no longer change."), code="round_started")
    changed = [name for name in ROUND_FIELDS if values[name] != current[name]]
    if changed:
        for name in changed:
            setattr(round_, name, values[name])
        round_.save()
        audit_record(
            action="lantoa.contests.round.updated", by=by, target=round_, unit=round_.contest.unit, changed=changed
        )
    return round_


# --- Contestants ---------------------------------------------------------------------------------


@dataclass
class Registration:
    name: str
    consent: bool
    unit: Unit | None = None
    group: str = ""
    phone: str = ""
    email: str = ""
    birth_year: int | None = None
    guardian_consent: bool = False
    referral_code: str = ""
    invitation: str = ""  # the registration code of a restricted contest's list


@dataclass
class Registered:
    contestant: Contestant
    key: str  # the secret, given once: only its hash is kept


def key_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


SENT_KEY_MAX = 100  # longer than any key registration gives


def sent_key_hash(secret: str | None) -> str | None:
    """The hash of a contestant key as a request sent it, or None when it cannot be a key (empty,
    or too long to be worth hashing)."""
    secret = (secret or "").strip()
    return key_hash(secret) if secret and len(secret) <= SENT_KEY_MAX else None


def contestant_for_key(secret: str) -> Contestant | None:
    """The contestant holding ``secret`` (one indexed query), or None."""
    hashed = sent_key_hash(secret)
    if hashed is None:
        return None
    # A statement compiled once per process: on the start path, building the query through the
    # ORM cost ten times more than running it.
    return select_instance(Contestant, key_hash=hashed)  # type: ignore[return-value]


def _referrer(contest: Contest, code: str, *, phone: str, email: str) -> Contestant | None:
    """Whose referral code a registration gives. An unknown code, or one of the same person
    registering again (their phone or e-mail), is ignored: a referral never blocks registering."""
    code = clean_invitation(clean_text(code))[:16]
    if not code:
        return None
    referrer = Contestant.objects.filter(contest=contest, referral_code=code).first()
    if referrer is None:
        return None
    same_phone = bool(phone) and phone_digits(phone) == phone_digits(referrer.phone)
    same_email = bool(email) and email.casefold() == referrer.email.casefold()
    return None if same_phone or same_email else referrer


def contestant_register(*, contest: Contest, data: Registration, now: dt.datetime | None = None) -> Registered:
    """Register someone for a published contest. Consent must be given (the box is unticked);
    with a minimum age the year of birth is asked, and a minor needs their guardian's consent. A
    restricted contest takes only the people on its list: the registration code their unit gave
    them names them, and their name and unit come from the list. Answers the contestant and its
    secret (given once)."""
    now = now or timezone.now()
    if contest.status != ContestStatus.PUBLISHED:
        raise NotFound(_("No such contest."), extra={"id": contest.pk})
    listed = invitation_to_claim(contest, data.invitation) if contest.audience == Audience.RESTRICTED else None
    unit: Unit | None
    group: str
    if listed is not None:
        name, unit, group = listed.name, listed.unit, str(ContestantGroup.CADRE)
    else:
        name = _text(data.name, field_name="name", limit=NAME_MAX, required=True)
        unit = data.unit if contest.ask_unit else None
        if contest.ask_unit and unit is None:
            raise ValidationFailed(_("Choose your unit."), extra={"field": "unit"})
        group = data.group if contest.ask_group else ""
        if contest.ask_group and group not in ContestantGroup.values:
            raise ValidationFailed(_("Choose your group."), extra={"field": "group"})
    if not data.consent:
        raise ValidationFailed(_("Tick the box to consent, or you cannot take part."), extra={"field": "consent"})
    phone = clean_phone(data.phone)[:CONTACT_MAX] if contest.ask_phone else ""
    email = clean_text(data.email)[:CONTACT_MAX] if contest.ask_email else ""
    if email and "@" not in email:
        raise ValidationFailed(_("Enter a valid e-mail address."), extra={"field": "email"})
    if contest.verify_phone and not phone_digits(phone):
        raise ValidationFailed(
            _("Give your phone number: a code will be sent to it."), code="phone_required", extra={"field": "phone"}
        )
    if contest.verify_email and not email:
        raise ValidationFailed(
            _("Give your e-mail address: a code will be sent to it."), code="email_required", extra={"field": "email"}
        )
    birth_year = None
    guardian = False
    if contest.min_age is not None:
        year = timezone.localdate(now).year
        if data.birth_year is None or not year - 120 <= data.birth_year <= year:
            raise ValidationFailed(_("Give your year of birth."), extra={"field": "birth_year"})
        birth_year = data.birth_year
        age = year - birth_year
        if age < contest.min_age:
            raise Conflict(
                _("This contest is for people aged %(age)s or more.") % {"age": contest.min_age},
                code="too_young",
                extra={"field": "birth_year"},
            )
        if age < ADULT_AGE:
            if not data.guardian_consent:
                raise ValidationFailed(
                    _("A parent or guardian must consent for a contestant under 18."),
                    code="guardian_consent_required",
                    extra={"field": "guardian_consent"},
                )
            guardian = True
    referrer = _referrer(contest, data.referral_code, phone=phone, email=email)
    secret = secrets.token_urlsafe(24)
    for _try in range(5):
        contestant = Contestant(
            contest=contest,
            name=name,
            unit=unit,
            group=group,
            phone=phone,
            email=email,
            birth_year=birth_year,
            guardian_consent=guardian,
            consented_at=now,
            referral_code=new_invitation()[:REFERRAL_LENGTH],
            referred_by=referrer,
            key_hash=key_hash(secret),
            created_at=now,
            name_key=fold(name),
            phone_key=phone_digits(phone),
            email_key=email.casefold(),
        )
        try:
            with transaction.atomic():
                contestant.save(force_insert=True)
                if listed is not None:
                    invitation_claim(listed, contestant)
        except IntegrityError:  # a referral code drawn twice: draw again
            continue
        return Registered(contestant, secret)
    raise Conflict(_("Registration failed; try again."), code="registration_failed")
