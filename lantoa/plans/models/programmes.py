"""Action programmes and recommendations.

An **action programme** (*chương trình hành động, kế hoạch thực hiện*) is a unit's answer to a
document of the library (a resolution, a conclusion): issued by a decision with a Party number
and a date, made of tasks, each tracked by progress updates that are appended and never edited.
A programme keeps the unit that issued it (``origin_unit``, never changed) and the unit that
carries it today (``unit``): when a unit is merged its programmes continue at the successor
(a restructuring pointer handler moves ``unit`` and writes a :class:`ProgrammeTransfer`).

An **issue requirement** is a unit's instruction to the units of a tier beneath it to issue their
programme for a document by a date ("within 30 days of the resolution"); coverage compares the
programmes with it (decision 0029).

A **recommendation** (*kiến nghị, đề xuất*) goes from a unit to a unit of the tree or to a named
outside body, and moves through sent → received → being considered → answered / implemented /
declined (a reason required).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lantoa.core.indicators import FIGURE_DECIMAL_PLACES, FIGURE_MAX, FIGURE_MAX_DIGITS
from lantoa.core.models import TimeStampedModel

TITLE_MAX = 300
NUMBER_MAX = 40
TEXT_MAX = 2_000
LONG_TEXT_MAX = 8_000
ROLE_MAX = 200
URL_MAX = 500
TASKS_MAX = 200
UPDATES_MAX = 500
TARGET_MAX = FIGURE_MAX
INDICATOR_CODE_MAX = 80
ADDRESSEE_MAX = 200
TOPIC_MAX = 200


class IssueRequirement(TimeStampedModel):
    """``unit`` asks the units of ``tier`` beneath it to issue a programme for ``document`` by ``due_on``."""

    unit = models.ForeignKey("org.Unit", verbose_name=_("requiring unit"), on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey(
        "library.Document", verbose_name=_("document"), on_delete=models.PROTECT, related_name="+"
    )
    tier = models.ForeignKey("org.Tier", verbose_name=_("tier"), on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("programmes due by"))
    note = models.TextField(_("note"), blank=True, max_length=TEXT_MAX)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-due_on", "pk"]
        verbose_name = _("issue requirement")
        verbose_name_plural = _("issue requirements")
        constraints = [
            models.UniqueConstraint(fields=["unit", "document", "tier"], name="plans_requirement_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.document} → {self.tier} ({self.due_on:%d/%m/%Y})"


class ActionProgramme(TimeStampedModel):
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("carried by"), on_delete=models.PROTECT, related_name="action_programmes"
    )
    origin_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("issuing unit"), on_delete=models.PROTECT, related_name="+"
    )
    document = models.ForeignKey(
        "library.Document", verbose_name=_("document"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    decision_number = models.CharField(_("number and symbol"), max_length=NUMBER_MAX)
    issued_on = models.DateField(_("issued on"))
    # Whether it was issued by the date a requirement set for its issuing unit (None: no requirement).
    on_time = models.BooleanField(_("issued on time"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-issued_on", "pk"]
        verbose_name = _("action programme")
        verbose_name_plural = _("action programmes")
        indexes = [
            models.Index(fields=["document", "unit"], name="plans_prog_doc_unit"),
            models.Index(fields=["document", "origin_unit"], name="plans_prog_doc_origin"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["origin_unit", "decision_number"], name="plans_prog_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.decision_number} — {self.title}"


class ProgrammeTransfer(models.Model):
    """History: a programme that moved to the successor of its unit on ``effective_on``."""

    programme = models.ForeignKey(ActionProgramme, on_delete=models.CASCADE, related_name="transfers")
    from_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    effective_on = models.DateField(_("effective on"))

    class Meta:
        ordering = ["effective_on", "pk"]

    def __str__(self) -> str:
        return f"{self.programme_id}: {self.from_unit_id} → {self.to_unit_id} ({self.effective_on})"


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    OVERDUE = "overdue", _("Overdue")


class ProgrammeTask(TimeStampedModel):
    programme = models.ForeignKey(ActionProgramme, on_delete=models.CASCADE, related_name="tasks")
    position = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("task"), max_length=TITLE_MAX)
    owner_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("owner unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner_role = models.CharField(_("owner (role)"), max_length=ROLE_MAX, blank=True)
    # The unit the task counts for in the indicators: its owner unit when it was added, or the
    # programme's unit then for a task owned by a role. Never moved (the rollup carries it across
    # a merge), unlike ``owner_unit``, which an open task's successor takes over.
    counted_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("counted for"), on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField(_("starts on"))
    due_on = models.DateField(_("deadline"))
    expected_result = models.TextField(_("expected result"), blank=True, max_length=TEXT_MAX)
    indicator = models.CharField(_("indicator"), max_length=INDICATOR_CODE_MAX, blank=True)
    target_value = models.DecimalField(
        _("target"),
        max_digits=FIGURE_MAX_DIGITS,
        decimal_places=FIGURE_DECIMAL_PLACES,
        null=True,
        blank=True,
    )
    # The latest update's figures, kept by progress_record (the updates themselves never change).
    percent_done = models.PositiveSmallIntegerField(_("percent done"), default=0)
    last_update_on = models.DateField(_("last update"), null=True, blank=True)

    class Meta:
        ordering = ["programme", "position"]
        verbose_name = _("programme task")
        verbose_name_plural = _("programme tasks")
        indexes = [models.Index(fields=["owner_unit", "due_on"], name="plans_task_owner_due")]
        constraints = [
            models.UniqueConstraint(fields=["programme", "position"], name="plans_task_position"),
            models.CheckConstraint(condition=Q(due_on__gte=models.F("starts_on")), name="plans_task_dates"),
            models.CheckConstraint(condition=Q(percent_done__lte=100), name="plans_task_percent"),
            models.CheckConstraint(
                condition=Q(target_value__isnull=True) | (Q(target_value__gte=0) & Q(target_value__lte=TARGET_MAX)),
                name="plans_task_target",
            ),
            models.CheckConstraint(
                condition=Q(target_value__isnull=True) | ~Q(indicator=""), name="plans_task_target_indicator"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class ProgressUpdate(models.Model):
    """Appended, never edited: how far a task had gone on ``recorded_on``, with its evidence."""

    task = models.ForeignKey(ProgrammeTask, on_delete=models.CASCADE, related_name="updates")
    percent = models.PositiveSmallIntegerField(_("percent done"))
    note = models.TextField(_("note"), blank=True, max_length=TEXT_MAX)
    recorded_on = models.DateField(_("recorded on"))
    conference = models.ForeignKey(
        "meetings.Conference",
        verbose_name=_("conference"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    document = models.ForeignKey(
        "library.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    url = models.URLField(_("link"), max_length=URL_MAX, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["task", "recorded_on", "pk"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        constraints = [models.CheckConstraint(condition=Q(percent__lte=100), name="plans_update_percent")]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.percent}%"


class RecommendationStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    RECEIVED = "received", _("Received")
    CONSIDERING = "considering", _("Being considered")
    ANSWERED = "answered", _("Answered")
    IMPLEMENTED = "implemented", _("Implemented")
    DECLINED = "declined", _("Declined")


OPEN_STATUSES = (RecommendationStatus.SENT, RecommendationStatus.RECEIVED, RecommendationStatus.CONSIDERING)
CLOSED_STATUSES = (RecommendationStatus.ANSWERED, RecommendationStatus.IMPLEMENTED, RecommendationStatus.DECLINED)


class Recommendation(TimeStampedModel):
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("sending unit"), on_delete=models.PROTECT, related_name="recommendations_sent"
    )
    addressee_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("addressed to (unit)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations_received",
    )
    addressee_name = models.CharField(_("addressed to (outside body)"), max_length=ADDRESSEE_MAX, blank=True)
    topic = models.CharField(_("topic"), max_length=TOPIC_MAX)
    text = models.TextField(_("recommendation"), max_length=LONG_TEXT_MAX)
    source = models.CharField(_("source"), max_length=TITLE_MAX, blank=True)
    inspection = models.ForeignKey(
        "Inspection",
        verbose_name=_("from the inspection"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    sent_on = models.DateField(_("sent on"))
    due_on = models.DateField(_("answer due by"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RecommendationStatus.choices, default=RecommendationStatus.SENT
    )
    answer = models.TextField(_("answer"), blank=True, max_length=LONG_TEXT_MAX)
    answer_document = models.ForeignKey(
        "library.Document",
        verbose_name=_("answer document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    # Whether the first answer came by the deadline (None: not answered, or no deadline).
    answered_on_time = models.BooleanField(null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True, max_length=TEXT_MAX)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-sent_on", "pk"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        indexes = [
            models.Index(fields=["unit", "sent_on"], name="plans_rec_unit_sent"),
            models.Index(fields=["addressee_unit", "status"], name="plans_rec_addressee"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(addressee_unit__isnull=False) & Q(addressee_name=""))
                | (Q(addressee_unit__isnull=True) & ~Q(addressee_name="")),
                name="plans_rec_one_addressee",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""), name="plans_rec_declined_reason"
            ),
            models.CheckConstraint(
                condition=Q(due_on__isnull=True) | Q(due_on__gte=models.F("sent_on")), name="plans_rec_due"
            ),
        ]

    def __str__(self) -> str:
        return self.topic

    @property
    def addressee(self) -> str:
        return self.addressee_unit.name if self.addressee_unit_id else self.addressee_name  # type: ignore[union-attr]
