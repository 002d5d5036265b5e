"""A contestant proves their phone number or e-mail address by a one-time code (public, no sign-in).

When a contest says so (``Contest.verify_phone`` / ``verify_email``), a contestant asks for a
code, receives it through the notification channels (:mod:`lantoa.core.onetime`) and types it;
the contestant row then keeps the time the contact was verified, nothing else. Until every
contact the contest verifies is verified, starting an attempt is refused (409
``contact_not_verified``) — a check on the contestant row the start path reads anyway.

Limits (:mod:`lantoa.contests.limits`): code requests per address and per phone number or
e-mail address; wrong codes count against the address like unknown contestant keys. A code
lasts five minutes and allows five tries; a new request replaces the earlier one. The code is
never stored, logged, audited nor answered. Like starting an attempt, this is the contestant's
own act and writes no audit row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.contests import limits
from lantoa.contests.models import ContactChallenge, ContactMedium, Contest, Contestant
from lantoa.core import onetime
from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.core.notify import Channel, Recipient

NAMESPACE = "lantoa.contests.contact"


@dataclass(frozen=True)
class CodeSent:
    token: str  # names the request: sent back with the code
    medium: str
    expires_at: dt.datetime


@dataclass(frozen=True)
class Verified:
    medium: str
    verified_at: dt.datetime


def unverified(contest: Contest, contestant: Contestant) -> list[str]:
    """The contacts the contest verifies that the contestant has not verified yet (no query)."""
    waiting = []
    if contest.verify_phone and contestant.phone_verified_at is None:
        waiting.append(str(ContactMedium.PHONE))
    if contest.verify_email and contestant.email_verified_at is None:
        waiting.append(str(ContactMedium.EMAIL))
    return waiting


def verification_refusal(contest: Contest, contestant: Contestant) -> Conflict | None:
    """Why the contestant may not start an attempt yet, or None."""
    waiting = unverified(contest, contestant)
    if not waiting:
        return None
    if waiting == [ContactMedium.EMAIL]:
        message = _("Verify your e-mail address with the code sent to it before starting.")
    elif waiting == [ContactMedium.PHONE]:
        message = _("Verify your phone number with the code sent to it before starting.")
    else:
        message = _("Verify your phone number and e-mail address with the codes sent to them before starting.")
    return Conflict(message, code="contact_not_verified", extra={"unverified": waiting})


def _medium(contest: Contest, contestant: Contestant, medium: str) -> str:
    if medium not in ContactMedium.values:
        raise ValidationFailed(_("Choose the phone or the e-mail."), extra={"field": "medium"})
    asked = contest.verify_phone if medium == ContactMedium.PHONE else contest.verify_email
    if not asked:
        raise ValidationFailed(_("This contest does not verify this contact."), extra={"field": "medium"})
    verified = contestant.phone_verified_at if medium == ContactMedium.PHONE else contestant.email_verified_at
    if verified is not None:
        raise Conflict(_("This contact is already verified."), code="contact_already_verified")
    return str(medium)


def code_request(
    *,
    contestant: Contestant,
    medium: str,
    address: str,
    now: dt.datetime | None = None,
    channels: Sequence[Channel] | None = None,
) -> CodeSent:
    """Send a six-digit code to the contestant's phone or e-mail (through the notification
    channels, or ``channels``). 409 ``contact_unreachable`` when no channel can reach it (nothing
    is kept), 503 ``code_not_sent`` when the channels that could reach it failed."""
    now = now or timezone.now()
    contest = Contest.objects.get(pk=contestant.contest_id)
    medium = _medium(contest, contestant, medium)
    phone = medium == ContactMedium.PHONE
    contact = contestant.phone if phone else contestant.email
    if not contact:
        raise Conflict(
            _("You gave no phone number at registration.")
            if phone
            else _("You gave no e-mail address at registration."),
            code="no_contact",
        )
    limits.count_code_request(address, (contestant.phone_key if phone else contestant.email_key) or contact)
    issued = onetime.issue(NAMESPACE, now)
    onetime.replace(ContactChallenge.objects.all(), issued, now=now, contestant=contestant, medium=medium)
    body = _("Your code for “%(contest)s”: %(code)s. It is valid for 5 minutes.") % {
        "contest": contest.title,
        "code": issued.code,
    }
    recipient = Recipient(name=contestant.name, phone=contact) if phone else Recipient(name="", email=contact)
    delivery = onetime.send(recipient, _("Contest code"), body, channels=channels)
    if not delivery.sent:
        ContactChallenge.objects.filter(pk=issued.token).delete()
        if not delivery.reachable:
            raise Conflict(
                _("No message can be sent to this phone number; ask the organiser.")
                if phone
                else _("No message can be sent to this e-mail address; ask the organiser."),
                code="contact_unreachable",
            )
        raise onetime.CodeNotSent(_("The code could not be sent. Try again in a few minutes."))
    return CodeSent(issued.token, medium, issued.expires_at)


def code_confirm(
    *, contestant: Contestant, token: str, code: str, address: str, now: dt.datetime | None = None
) -> Verified:
    """Check the code typed against the contestant's request ``token``; when it is right, note
    the time the contact was verified and spend the request."""
    now = now or timezone.now()
    limits.refuse_if_guessing(address)
    requests = ContactChallenge.objects.filter(contestant=contestant)
    challenge = onetime.check(
        requests,
        namespace=NAMESPACE,
        token=token,
        code=code,
        now=now,
        on_wrong=lambda: limits.count_unknown_key(address),
    )
    field_name = "phone_verified_at" if challenge.medium == ContactMedium.PHONE else "email_verified_at"
    with transaction.atomic():
        onetime.spend(requests, challenge.pk)
        Contestant.objects.filter(pk=contestant.pk, **{f"{field_name}__isnull": True}).update(**{field_name: now})
    setattr(contestant, field_name, getattr(contestant, field_name) or now)
    return Verified(challenge.medium, getattr(contestant, field_name))
