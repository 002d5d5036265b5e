"""Prize claims: what a winner gives so their prize can be paid, kept apart from the contestant
and erased after the contest's retention period (:mod:`lantoa.contests.services.claims`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lantoa.contests.models import CONTACT_MAX, NAME_MAX, Contestant, Round

ACCOUNT_MAX = 40
BANK_NAME_MAX = 120


class PayoutMethod(models.TextChoices):
    BANK = "bank", _("Bank transfer")
    IN_PERSON = "in_person", _("Collect in person")


class ClaimStatus(models.TextChoices):
    """What the organiser's page shows; ``unclaimed`` is a prize without a claim row."""

    UNCLAIMED = "unclaimed", _("Not claimed")
    CLAIMED = "claimed", _("Claimed")
    PAID = "paid", _("Paid")
    ERASED = "erased", pgettext_lazy("prize claim", "Erased")


class PrizeClaim(models.Model):
    """What a prize winner gives so the prize can be paid: only that (no ID number, no ID
    photo), kept apart from the contestant so it can be erased whole. Once the prize is paid and
    the contest's retention period has run, the payment fields are emptied and ``erased_at``
    set; that the prize was paid, and when, stays."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="claims")
    contestant = models.ForeignKey(Contestant, on_delete=models.PROTECT, related_name="claims")
    payee_name = models.CharField(_("full name as on the account"), max_length=NAME_MAX, blank=True)
    method = models.CharField(_("how the prize is paid"), max_length=12, choices=PayoutMethod.choices)
    bank_account = models.CharField(_("bank account number"), max_length=ACCOUNT_MAX, blank=True)
    bank_name = models.CharField(_("bank"), max_length=BANK_NAME_MAX, blank=True)
    phone = models.CharField(_("phone"), max_length=CONTACT_MAX, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)

    class Meta:
        ordering = ["round_id", "pk"]
        verbose_name = _("prize claim")
        verbose_name_plural = _("prize claims")
        constraints = [
            models.UniqueConstraint(fields=["round", "contestant"], name="contests_claim_once"),
            models.CheckConstraint(
                condition=Q(erased_at__isnull=True) | Q(paid_at__isnull=False), name="contests_claim_erased_paid"
            ),
        ]
        indexes = [models.Index(fields=["paid_at"], name="contests_claim_paid", condition=Q(erased_at__isnull=True))]

    def __str__(self) -> str:
        return f"{self.round_id} {self.contestant_id}"

    @property
    def status(self) -> str:
        if self.erased_at is not None:
            return ClaimStatus.ERASED
        return ClaimStatus.PAID if self.paid_at is not None else ClaimStatus.CLAIMED
