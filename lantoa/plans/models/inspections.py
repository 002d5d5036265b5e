"""Inspections and supervisions: the yearly plan, the inspection with its team, inspected units,
numbered conclusions and follow-ups, and its papers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lantoa.core.models import TimeStampedModel
from lantoa.plans.models.programmes import LONG_TEXT_MAX, NUMBER_MAX, TEXT_MAX, TITLE_MAX, URL_MAX

# --- Inspections and supervisions ------------------------------------------------------------------

CONCLUSIONS_MAX = 100
MEMBERS_MAX = 30
INSPECTED_MAX = 50
NAME_MAX = 200


class InspectionKind(models.TextChoices):
    INSPECTION = "inspection", _("Inspection")
    SUPERVISION = "supervision", _("Supervision")


PLAN_ITEMS_MAX = 100


class InspectionPlan(TimeStampedModel):
    """A unit's yearly plan of inspections and supervisions, issued by a decision (Party number)."""

    unit = models.ForeignKey("org.Unit", verbose_name=_("planning unit"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    decision_number = models.CharField(_("number and symbol"), max_length=NUMBER_MAX)
    decided_on = models.DateField(_("issued on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-year", "pk"]
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="plans_inspection_plan_year"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="plans_plan_year"),
        ]

    def __str__(self) -> str:
        return f"{self.decision_number} — {self.title}"


class PlannedInspection(models.Model):
    """One inspection a plan foresees: of which unit, on what, in which month. It is held when an
    inspection names it (``Inspection.planned``)."""

    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("number"))
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit to inspect"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=InspectionKind.choices, default=InspectionKind.INSPECTION)
    topic = models.CharField(_("topic"), max_length=TITLE_MAX)
    month = models.PositiveSmallIntegerField(_("month"))

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("planned inspection")
        verbose_name_plural = _("planned inspections")
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="plans_planned_position"),
            models.CheckConstraint(condition=Q(month__gte=1) & Q(month__lte=12), name="plans_planned_month"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.topic}"


class Inspection(TimeStampedModel):
    """An inspection or supervision of units and their work (never of individuals' views). It is
    kept by ``unit`` (the unit whose staff record it: the deciding unit, or the inspected unit
    when the deciding body is outside the tree, such as the Politburo)."""

    unit = models.ForeignKey("org.Unit", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("plan year"))
    kind = models.CharField(_("kind"), max_length=20, choices=InspectionKind.choices, default=InspectionKind.INSPECTION)
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    deciding_body = models.CharField(_("deciding body"), max_length=NAME_MAX)
    decision_number = models.CharField(_("decision number"), max_length=NUMBER_MAX, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    topics = models.TextField(_("topics and questions"), max_length=LONG_TEXT_MAX)
    findings = models.TextField(_("findings"), blank=True, max_length=LONG_TEXT_MAX)
    planned = models.OneToOneField(
        PlannedInspection,
        verbose_name=_("planned as"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspection",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="plans_inspection_dates"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="plans_inspection_year"),
        ]

    def __str__(self) -> str:
        return self.title


class InspectedUnit(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="inspected")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["inspection", "pk"]
        constraints = [models.UniqueConstraint(fields=["inspection", "unit"], name="plans_inspected_unique")]

    def __str__(self) -> str:
        return f"{self.inspection_id}: {self.unit_id}"


class TeamRole(models.TextChoices):
    CHIEF = "chief", _("Head of the team")
    MEMBER = "member", _("Member")
    SECRETARY = "secretary", _("Secretary")


class TeamMember(models.Model):
    """A person of the outreach network, a user, or (for a team from outside the tree) a name."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="team")
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=NAME_MAX, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=TeamRole.choices)

    class Meta:
        ordering = ["inspection", "role", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(user__isnull=True) & Q(name=""))
                | (Q(person__isnull=True) & Q(user__isnull=False) & Q(name=""))
                | (Q(person__isnull=True) & Q(user__isnull=True) & ~Q(name="")),
                name="plans_member_one_identity",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.person_id:
            return self.person.full_name  # type: ignore[union-attr]
        if self.user_id:
            return self.user.get_full_name() or self.user.get_username()  # type: ignore[union-attr]
        return self.name


class Conclusion(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="conclusions")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("conclusion"), max_length=TEXT_MAX)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["inspection", "number"]
        verbose_name = _("conclusion")
        verbose_name_plural = _("conclusions")
        constraints = [models.UniqueConstraint(fields=["inspection", "number"], name="plans_conclusion_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"


class FollowUp(TimeStampedModel):
    """What a conclusion asks a unit to do, by a date; closed with evidence."""

    conclusion = models.OneToOneField(Conclusion, on_delete=models.CASCADE, related_name="follow_up")
    owner_unit = models.ForeignKey("org.Unit", verbose_name=_("owner unit"), on_delete=models.PROTECT, related_name="+")
    # The owner when the conclusion was drawn, never moved: the indicators count it there (the
    # rollup carries it across a merge), while ``owner_unit`` passes to a successor.
    origin_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("owner unit when concluded"), on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("deadline"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True, max_length=TEXT_MAX)
    evidence_url = models.URLField(_("evidence link"), max_length=URL_MAX, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        indexes = [models.Index(fields=["owner_unit", "closed_on", "due_on"], name="plans_followup_owner")]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | ~Q(evidence="") | ~Q(evidence_url=""),
                name="plans_followup_closed_evidence",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.conclusion} → {self.owner_unit_id}"


def _file_storage():  # type: ignore[no-untyped-def]
    # The library's private storage: inspection papers are internal and served only through a gate.
    from django.core.files.storage import storages

    return storages["library"]


class InspectionFileKind(models.TextChoices):
    REPORT = "report", _("Inspected unit's report")
    MINUTES = "minutes", _("Minutes of the working session")
    OTHER = "other", _("Other paper")


class InspectionFile(models.Model):
    """A paper of an inspection, kept as uploaded. Never changed: a corrected paper is a new row
    that ``replaces`` the old one, which stays (superseded) in the history."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="files")
    kind = models.CharField(_("kind"), max_length=12, choices=InspectionFileKind.choices)
    # The inspected unit whose report this is (reports only).
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX, blank=True)
    dated_on = models.DateField(_("dated"))
    file = models.FileField(storage=_file_storage, upload_to="plans/%Y/%m/", max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    replaces = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["inspection", "kind", "pk"]
        verbose_name = _("inspection file")
        verbose_name_plural = _("inspection files")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="report") & Q(unit__isnull=False)) | (~Q(kind="report") & Q(unit__isnull=True)),
                name="plans_file_report_unit",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name
