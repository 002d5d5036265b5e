"""Writes of the audience vote: opening and closing it, generating ballots, sending a one-time
code to a phone, casting a vote.

A right to vote is spent by inserting a :class:`VoterMark` (a ballot's or a phone's keyed hash,
unique per poll) in the same transaction as the vote: whatever the number of copies of a request
sent at once, the database lets one insert through. The vote row itself holds the stage, the
entry, the method and the day only (decision 0030). Staff writes are audited; votes, like check-
ins, are their own append-only records and are not.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from lantoa.core import onetime
from lantoa.core.audit import audit_record
from lantoa.core.errors import Conflict, NotFound, ValidationFailed
from lantoa.core.notify import Channel, Recipient
from lantoa.core.results import Created
from lantoa.judging.audience import limits
from lantoa.judging.models import (
    BALLOT_BATCH_MAX,
    BALLOT_CODE_LENGTH,
    BALLOTS_PER_STAGE_MAX,
    POLL_DAYS_MAX,
    AudiencePoll,
    AudienceVote,
    Ballot,
    EntryStage,
    PhoneChallenge,
    Stage,
    VoteMethod,
    VoterMark,
)

# Capitals and digits that cannot be taken for one another: of each look-alike group (0 O Q D,
# 1 I L, 2 Z, 5 S, 8 B, 6 G) one at most is kept, and none of 0 O Q 1 I L.
BALLOT_ALPHABET = "ACEFHJKMNPRTUVWXY345679"
_PHONE = re.compile(r"0[35789]\d{8}")
_SEPARATORS = re.compile(r"[\s.\-()]")


_NAMESPACE = "lantoa.judging.vote"
# The one-time codes are lantoa.core.onetime's; their figures stay importable from here.
CODE_DIGITS, CODE_SECONDS, CODE_TRIES = onetime.CODE_DIGITS, onetime.CODE_SECONDS, onetime.CODE_TRIES
CodeNotSent = onetime.CodeNotSent


# --- Keyed hashes (the SECRET_KEY is the key) ----------------------------------------------------


def _digest(purpose: str, value: str) -> str:
    return salted_hmac(f"{_NAMESPACE}.{purpose}", value, algorithm="sha256").hexdigest()


def normal_phone(value: str) -> str:
    """A Vietnamese mobile number as ten digits (``0912345678``) from the ways people write it
    (``+84 912 345 678``, ``84-912-345-678``, ``0912.345.678``); a ValidationFailed otherwise."""
    text = _SEPARATORS.sub("", str(value or ""))
    if text.startswith("+"):
        text = text[1:]
    if text.startswith("84") and len(text) == 11:
        text = "0" + text[2:]
    if not _PHONE.fullmatch(text):
        raise ValidationFailed(
            _("Enter a Vietnamese mobile number of ten digits, for example 0912 345 678."),
            code="bad_phone",
            extra={"field": "phone"},
        )
    return text


def phone_digest(phone: str) -> str:
    """The keyed hash of a normalised phone number: what is stored instead of the number."""
    return _digest("phone", phone)


def normal_ballot(value: str) -> str:
    """A typed ballot code without spaces or dashes, in capitals ("" when it cannot be one)."""
    text = _SEPARATORS.sub("", str(value or "")).upper()
    if len(text) != BALLOT_CODE_LENGTH or any(ch not in BALLOT_ALPHABET for ch in text):
        return ""
    return text


def shown_ballot(code: str) -> str:
    """``ACDE-FHJK``: as the ballot prints it."""
    return f"{code[:4]}-{code[4:]}"


# --- Opening, closing, ballots (the stage's organisers) ------------------------------------------


def _aware(value: dt.datetime, field_name: str) -> dt.datetime:
    if timezone.is_naive(value):
        raise ValidationFailed(_("Give the time with its time zone."), extra={"field": field_name})
    return value


def poll_open(*, by: Any, stage: Stage, opens_at: dt.datetime, closes_at: dt.datetime) -> Created[AudiencePoll]:
    """Open (or re-time) the stage's audience vote. A blind stage has none: its entries are
    written, not performed before an audience."""
    if stage.blind:
        raise Conflict(
            _("A blind stage has no audience vote: its entries are written, not performed."), code="stage_blind"
        )
    opens_at, closes_at = _aware(opens_at, "opens_at"), _aware(closes_at, "closes_at")
    if closes_at <= opens_at:
        raise ValidationFailed(_("The vote must close after it opens."), extra={"field": "closes_at"})
    if closes_at - opens_at > dt.timedelta(days=POLL_DAYS_MAX):
        raise ValidationFailed(
            _("An audience vote stays open %(days)s days at most.") % {"days": POLL_DAYS_MAX},
            extra={"field": "closes_at"},
        )
    with transaction.atomic():
        Stage.objects.select_for_update().filter(pk=stage.pk).first()
        poll, created = AudiencePoll.objects.update_or_create(
            stage=stage, defaults={"opens_at": opens_at, "closes_at": closes_at}
        )
        audit_record(
            action="lantoa.judging.vote.opened",
            by=by,
            target=stage,
            unit=stage.competition.unit,
            changed=[] if created else ["opens_at", "closes_at"],
        )
    return Created(poll, created)


def _poll_of(stage: Stage) -> AudiencePoll:
    poll = AudiencePoll.objects.filter(stage=stage).first()
    if poll is None:
        raise Conflict(_("No audience vote has been opened for this stage."), code="no_vote")
    return poll


def poll_close(*, by: Any, stage: Stage, now: dt.datetime | None = None) -> AudiencePoll:
    """Close the vote now (it stays as it is when it is not open)."""
    now = now or timezone.now()
    with transaction.atomic():
        poll = _poll_of(stage)
        if not poll.is_open(now):
            raise Conflict(_("The audience vote is not open."), code="vote_closed")
        poll.closes_at = now
        poll.save(update_fields=["closes_at", "updated_at"])
        audit_record(
            action="lantoa.judging.vote.closed", by=by, target=stage, unit=stage.competition.unit, changed=["closes_at"]
        )
    return poll


def _new_code() -> str:
    return "".join(secrets.choice(BALLOT_ALPHABET) for _ in range(BALLOT_CODE_LENGTH))


def ballots_issue(*, by: Any, stage: Stage, count: int) -> int:
    """Generate ``count`` random ballot codes for the stage's vote as a new batch; its number."""
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= BALLOT_BATCH_MAX:
        raise ValidationFailed(
            _("Generate between 1 and %(max)s ballots at a time.") % {"max": BALLOT_BATCH_MAX},
            extra={"field": "count"},
        )
    with transaction.atomic():
        poll = _poll_of(stage)
        AudiencePoll.objects.select_for_update().filter(pk=poll.pk).first()  # batches numbered one at a time
        issued = Ballot.objects.filter(poll=poll).count()
        if issued + count > BALLOTS_PER_STAGE_MAX:
            raise ValidationFailed(
                _("A stage has at most %(max)s ballots; %(issued)s are issued.")
                % {"max": BALLOTS_PER_STAGE_MAX, "issued": issued},
                extra={"field": "count"},
            )
        batch = (Ballot.objects.filter(poll=poll).order_by("-batch").values_list("batch", flat=True).first() or 0) + 1
        codes: set[str] = set()
        while len(codes) < count:
            fresh = {_new_code() for _ in range(count - len(codes))} - codes
            taken = set(Ballot.objects.filter(code__in=fresh).values_list("code", flat=True))
            codes |= fresh - taken
        Ballot.objects.bulk_create([Ballot(poll=poll, code=code, batch=batch) for code in sorted(codes)])
        audit_record(action="lantoa.judging.vote.ballots", by=by, target=stage, unit=stage.competition.unit)
    return batch


# --- Voting (anyone, no sign-in) -----------------------------------------------------------------


def open_poll(stage: Stage, now: dt.datetime) -> AudiencePoll:
    """The stage's vote when it takes votes at ``now``; a Conflict saying why not otherwise."""
    poll = AudiencePoll.objects.filter(stage=stage).first()
    if poll is None or stage.blind:
        raise NotFound(_("This stage has no audience vote."), extra={"id": stage.pk})
    if now < poll.opens_at:
        raise Conflict(_("The audience vote has not opened yet."), code="vote_not_open")
    if now >= poll.closes_at:
        raise Conflict(_("The audience vote is closed."), code="vote_closed")
    return poll


def _check_entry(stage: Stage, entry_id: int) -> None:
    if not EntryStage.objects.filter(stage=stage, entry_id=entry_id).exists():
        raise ValidationFailed(
            _("Choose one of the entries of this stage."), code="bad_entry", extra={"field": "entry"}
        )


def code_request(
    *,
    stage: Stage,
    phone: str,
    address: str,
    now: dt.datetime | None = None,
    channels: Sequence[Channel] | None = None,
) -> str:
    """Send a six-digit code to ``phone`` (through the notification channels, or ``channels``);
    the token that names the request, to send back with the code. A new request replaces the
    phone's earlier code."""
    now = now or timezone.now()
    number = normal_phone(phone)
    digest = phone_digest(number)
    limits.count_code_request(address, digest)
    poll = open_poll(stage, now)
    if VoterMark.objects.filter(poll=poll, digest=digest).exists():
        raise Conflict(_("This phone number has already voted in this stage."), code="already_voted")
    issued = onetime.issue(_NAMESPACE, now)
    onetime.replace(PhoneChallenge.objects.filter(poll=poll), issued, now=now, poll=poll, phone_digest=digest)
    body = _("Your code to vote in “%(stage)s”: %(code)s. It is valid for 5 minutes.") % {
        "stage": stage.name,
        "code": issued.code,
    }
    delivery = onetime.send(Recipient(name="", phone=number), _("Voting code"), body, channels=channels)
    if not delivery.sent:
        PhoneChallenge.objects.filter(pk=issued.token).delete()
        raise CodeNotSent(_("The code could not be sent to this number. Vote with a printed ballot instead."))
    token = issued.token
    return token


def _spend(poll: AudiencePoll, method: str, digest: str, used: Conflict) -> None:
    try:
        with transaction.atomic():
            VoterMark.objects.create(poll=poll, method=method, digest=digest)
    except IntegrityError:
        raise used from None


def _vote(stage: Stage, entry_id: int, method: str, now: dt.datetime) -> AudienceVote:
    return AudienceVote.objects.create(stage=stage, entry_id=entry_id, method=method, day=timezone.localdate(now))


def vote_by_ballot(
    *, stage: Stage, entry_id: int, ballot: str, address: str, now: dt.datetime | None = None
) -> AudienceVote:
    """Cast a vote with a printed ballot code: the code counts once (409 ``ballot_used`` after)."""
    now = now or timezone.now()
    limits.refuse_if_guessing(address)
    poll = open_poll(stage, now)
    _check_entry(stage, entry_id)
    code = normal_ballot(ballot)
    if not code or not Ballot.objects.filter(poll=poll, code=code).exists():
        limits.count_guess(address)
        raise ValidationFailed(
            _("This ballot code is not one of this vote's. Check the code printed on your ballot."),
            code="unknown_ballot",
            extra={"field": "ballot"},
        )
    limits.count_vote(address, stage.pk)
    used = Conflict(_("This ballot has already been used."), code="ballot_used", extra={"field": "ballot"})
    with transaction.atomic():
        _spend(poll, VoteMethod.BALLOT, _digest("ballot", code), used)
        return _vote(stage, entry_id, VoteMethod.BALLOT, now)


def vote_by_phone(
    *, stage: Stage, entry_id: int, token: str, code: str, address: str, now: dt.datetime | None = None
) -> AudienceVote:
    """Cast a vote with the one-time code sent to a phone: five tries, five minutes, one vote
    per phone in the stage (409 ``already_voted``)."""
    now = now or timezone.now()
    limits.refuse_if_guessing(address)
    poll = open_poll(stage, now)
    _check_entry(stage, entry_id)
    challenge = onetime.check(
        PhoneChallenge.objects.filter(poll=poll),
        namespace=_NAMESPACE,
        token=token,
        code=code,
        now=now,
        on_wrong=lambda: limits.count_guess(address),
    )
    limits.count_vote(address, stage.pk)
    used = Conflict(_("This phone number has already voted in this stage."), code="already_voted")
    with transaction.atomic():
        onetime.spend(PhoneChallenge.objects.all(), challenge.pk)
        _spend(poll, VoteMethod.PHONE, challenge.phone_digest, used)
        return _vote(stage, entry_id, VoteMethod.PHONE, now)
