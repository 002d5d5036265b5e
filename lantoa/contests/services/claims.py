"""Prize claims: a winner says how their prize is paid; the prize officer sees it in full (each
view audited), pays it and exports the list for payment (audited); after the contest's
retention period the payment details are erased (decision 0034).

The claim is the winner's own public write (like registering: no audit row). Everything staff
do with a claim is audited, naming fields, never their values. Only what payment requires is
asked: the name as on the account, a bank account and bank or "collect in person", a phone.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.contests.models import (
    ACCOUNT_MAX,
    BANK_NAME_MAX,
    CONTACT_MAX,
    NAME_MAX,
    Contest,
    Contestant,
    PayoutMethod,
    PrizeClaim,
    Round,
    RoundResult,
)
from lantoa.core.audit import audit_record, audit_record_many
from lantoa.core.errors import Conflict, NotFound, ValidationFailed
from lantoa.core.masking import clean_phone, phone_digits
from lantoa.core.text import clean_text

_ACCOUNT = re.compile(r"^[0-9]{6,20}$")
PAYMENT_FIELDS = ("payee_name", "bank_account", "bank_name", "phone")


@dataclass
class ClaimData:
    method: str
    payee_name: str = ""
    bank_account: str = ""
    bank_name: str = ""
    phone: str = ""


def _clean(data: ClaimData) -> dict[str, str]:
    """The claim's fields cleaned, or :class:`ValidationFailed` naming the first bad field."""
    if data.method not in PayoutMethod.values:
        raise ValidationFailed(_("Choose how the prize is paid."), extra={"field": "method"})
    values = {
        "method": data.method,
        "payee_name": clean_text(data.payee_name),
        "bank_account": re.sub(r"[\s.-]", "", clean_text(data.bank_account)),
        "bank_name": clean_text(data.bank_name),
        "phone": clean_phone(data.phone),
    }
    if not values["payee_name"] or len(values["payee_name"]) > NAME_MAX:
        raise ValidationFailed(_("Give your full name as on the account."), extra={"field": "payee_name"})
    digits = phone_digits(values["phone"])
    if not 9 <= len(digits) <= 12 or len(values["phone"]) > CONTACT_MAX:
        raise ValidationFailed(_("Give a phone number the organisers can call."), extra={"field": "phone"})
    if data.method == PayoutMethod.BANK:
        if not _ACCOUNT.match(values["bank_account"]) or len(values["bank_account"]) > ACCOUNT_MAX:
            raise ValidationFailed(_("A bank account number is 6 to 20 digits."), extra={"field": "bank_account"})
        if not values["bank_name"] or len(values["bank_name"]) > BANK_NAME_MAX:
            raise ValidationFailed(_("Give the bank's name."), extra={"field": "bank_name"})
    else:
        values["bank_account"] = values["bank_name"] = ""
    return values


def claim_refusal(round_: Round, contestant: Contestant) -> Conflict | None:
    """Why this contestant may not claim a prize of this round now, or None."""
    if round_.closed_at is None:
        return Conflict(_("Prizes are claimed once the round has closed."), code="round_open")
    if not RoundResult.objects.filter(round_id=round_.pk, contestant_id=contestant.pk, prize=True).exists():
        return Conflict(_("You have no individual prize in this round."), code="no_prize")
    return None


@transaction.atomic
def claim_submit(
    *, contestant: Contestant, round_: Round, data: ClaimData, now: dt.datetime | None = None
) -> PrizeClaim:
    """Record (or correct, until it is paid) how a winner's prize is paid."""
    values = _clean(data)
    refusal = claim_refusal(round_, contestant)
    if refusal is not None:
        raise refusal
    now = now or timezone.now()
    claim = PrizeClaim.objects.select_for_update().filter(round_id=round_.pk, contestant_id=contestant.pk).first()
    if claim is not None and claim.paid_at is not None:
        raise Conflict(_("This prize has been paid; its claim can no longer change."), code="claim_paid")
    if claim is None:
        claim = PrizeClaim(round_id=round_.pk, contestant_id=contestant.pk, claimed_at=now, **values)
        try:
            with transaction.atomic():
                claim.save()
        except IntegrityError:  # the same claim sent twice at once: the first one stands
            return PrizeClaim.objects.get(round_id=round_.pk, contestant_id=contestant.pk)
        return claim
    for name, value in values.items():
        setattr(claim, name, value)
    claim.claimed_at = now
    claim.save()
    return claim


def claim_viewed(*, by: Any, claim: PrizeClaim) -> None:
    """Record that the prize officer saw a claim's payment details in full."""
    audit_record(action="lantoa.contests.claim.viewed", by=by, target=claim, unit=claim.round.contest.unit, changed=())


@transaction.atomic
def claim_mark_paid(*, by: Any, claim: PrizeClaim, now: dt.datetime | None = None) -> PrizeClaim:
    """Mark a claim's prize as paid: its retention period starts now."""
    claim = PrizeClaim.objects.select_for_update().select_related("round__contest__unit").get(pk=claim.pk)
    if claim.paid_at is not None:
        raise Conflict(_("This prize is already marked paid."), code="claim_paid")
    claim.paid_at = now or timezone.now()
    claim.paid_by = by if getattr(by, "is_authenticated", False) else None
    claim.save(update_fields=["paid_at", "paid_by"])
    audit_record(
        action="lantoa.contests.claim.paid", by=by, target=claim, unit=claim.round.contest.unit, changed=["paid_at"]
    )
    return claim


def claims_exported(*, by: Any, round_: Round) -> None:
    """Record that the payment list of a round was downloaded."""
    audit_record(
        action="lantoa.contests.claim.exported", by=by, target=round_, unit=round_.contest.unit, changed=PAYMENT_FIELDS
    )


@transaction.atomic
def claims_erase(*, now: dt.datetime | None = None, by: Any = None) -> int:
    """Erase the payment details of every paid claim whose contest's retention period has run
    out by ``now``; keeps that the prize was paid and when. Running it again erases nothing new."""
    now = now or timezone.now()
    due = []
    candidates = PrizeClaim.objects.filter(erased_at__isnull=True, paid_at__isnull=False).select_related(
        "round__contest__unit"
    )
    for claim in candidates.iterator(chunk_size=500):
        assert claim.paid_at is not None
        if claim.paid_at + dt.timedelta(days=claim.round.contest.claim_retention_days) <= now:
            due.append(claim)
    if not due:
        return 0
    PrizeClaim.objects.filter(pk__in=[c.pk for c in due]).update(
        payee_name="", bank_account="", bank_name="", phone="", erased_at=now
    )
    audit_record_many(
        action="lantoa.contests.claim.erased",
        by=by,
        targets=[(claim, claim.round.contest.unit) for claim in due],
        changed=PAYMENT_FIELDS,
    )
    return len(due)


def claim_for_contestant(round_id: int, contestant: Contestant) -> tuple[Round, PrizeClaim | None]:
    """The contestant's round (404 outside their contest) and their claim in it, if any."""
    round_ = Round.objects.filter(pk=round_id, contest_id=contestant.contest_id).select_related("contest").first()
    if round_ is None:
        raise NotFound(_("No such round."), extra={"id": round_id})
    return round_, PrizeClaim.objects.filter(round_id=round_.pk, contestant_id=contestant.pk).first()


def retention_ends(claim: PrizeClaim, contest: Contest) -> dt.datetime | None:
    return claim.paid_at + dt.timedelta(days=contest.claim_retention_days) if claim.paid_at else None
