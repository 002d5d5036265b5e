"""Every reminder sent, kept as a row of its own (one per record reminded and unit), never
changed: what it was about, to which unit, by whom, when, through which channel, and its text.
The audit log keeps its own entry beside it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lantoa.plans.models.inspections import FollowUp
from lantoa.plans.models.programmes import LONG_TEXT_MAX, TITLE_MAX, IssueRequirement, ProgrammeTask, Recommendation


class ReminderAbout(models.TextChoices):
    REQUIREMENT = "requirement", _("Programme not issued")
    TASK = "task", _("Overdue programme task")
    FOLLOW_UP = "follow_up", _("Overdue follow-up")
    RECOMMENDATION = "recommendation", _("Unanswered recommendation")


class ReminderChannel(models.TextChoices):
    NOTIFIED = "notified", _("Notification channels and message to copy")
    MESSAGE = "message", _("Message to copy only")


RECORD_FIELDS = ("requirement", "task", "follow_up", "recommendation")


def _only(field: str) -> Q:
    """A reminder about ``field``'s kind names that record and no other."""
    condition = Q(about=field) & Q(**{f"{field}__isnull": False})
    for other in RECORD_FIELDS:
        if other != field:
            condition &= Q(**{f"{other}__isnull": True})
    return condition


class SentReminder(models.Model):
    about = models.CharField(_("about"), max_length=20, choices=ReminderAbout.choices)
    requirement = models.ForeignKey(
        IssueRequirement, null=True, blank=True, on_delete=models.CASCADE, related_name="reminders"
    )
    task = models.ForeignKey(ProgrammeTask, null=True, blank=True, on_delete=models.CASCADE, related_name="reminders")
    follow_up = models.ForeignKey(FollowUp, null=True, blank=True, on_delete=models.CASCADE, related_name="reminders")
    recommendation = models.ForeignKey(
        Recommendation, null=True, blank=True, on_delete=models.CASCADE, related_name="reminders"
    )
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit reminded"), on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("channel"), max_length=12, choices=ReminderChannel.choices)
    subject = models.CharField(_("subject"), max_length=TITLE_MAX)
    text = models.TextField(_("text"), max_length=LONG_TEXT_MAX)
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        indexes = [
            models.Index(fields=["unit", "sent_at"], name="plans_reminder_unit"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=_only("requirement") | _only("task") | _only("follow_up") | _only("recommendation"),
                name="plans_reminder_one_record",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.about} → {self.unit_id} ({self.sent_at:%d/%m/%Y})"

    @property
    def record(self) -> models.Model | None:
        return self.requirement or self.task or self.follow_up or self.recommendation
