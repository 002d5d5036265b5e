"""The rows of criteria assessments. Loaded by :mod:`lantoa.judging.models`, so they belong to
the judging app and its migrations.

An assessment's result is never edited in place: reopening writes an :class:`AssessmentReopening`
holding the result it replaces, before the subject or the assessor may change anything.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lantoa.core.models import TimeStampedModel

YEAR_MIN = 2000
YEAR_MAX = 2100
SUBJECTS_MAX = 2_000
EVIDENCE_MAX = 10
NOTE_MAX = 1_000
# Evidence files (decision 0037): per criterion and side, and the size of one file.
EVIDENCE_FILES_MAX = 5
EVIDENCE_FILE_MAX_MB = 10


class AssessmentCampaign(TimeStampedModel):
    """An assessing unit's round of assessments against one rubric version for one year."""

    unit = models.ForeignKey("org.Unit", verbose_name=_("assessing unit"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    starts_on = models.DateField(_("period starts on"))
    ends_on = models.DateField(_("period ends on"))
    rubric_version = models.ForeignKey(
        "judging.RubricVersion", verbose_name=_("rubric version"), on_delete=models.PROTECT, related_name="+"
    )
    pass_score = models.DecimalField(_("pass score"), max_digits=5, decimal_places=2)
    # Criterion id (as text) → its own minimum; empty when only the overall score counts.
    minimums = models.JSONField(_("criterion minimums"), default=dict, blank=True)

    class Meta:
        ordering = ["-year", "pk"]
        verbose_name = _("assessment campaign")
        verbose_name_plural = _("assessment campaigns")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="judging_campaign_dates"),
            models.CheckConstraint(
                condition=Q(pass_score__gte=0) & Q(pass_score__lte=100), name="judging_campaign_pass_score"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Self-assessing")
    SUBMITTED = "submitted", _("Awaiting verification")
    VERIFIED = "verified", _("Verified")


class Assessment(TimeStampedModel):
    """One subject of a campaign: a unit, or an exemplary model of a unit (``model_title``).

    ``counted_unit`` and ``counted_on`` are written at verification: the subject's unit then and
    the campaign period's last day, so the indicator keeps the result where it was earned when
    the tree changes later (decision 0033)."""

    campaign = models.ForeignKey(AssessmentCampaign, on_delete=models.CASCADE, related_name="assessments")
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    model_title = models.CharField(_("exemplary model"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    self_comment = models.TextField(_("self-assessment comment"), blank=True, max_length=NOTE_MAX)
    evidence = models.JSONField(_("evidence (links)"), default=list, blank=True)
    self_total = models.DecimalField(_("self-assessed score"), max_digits=7, decimal_places=3, null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    verified_total = models.DecimalField(_("verified score"), max_digits=7, decimal_places=3, null=True, blank=True)
    verification_comment = models.TextField(_("verification comment"), blank=True, max_length=NOTE_MAX)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    counted_unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    counted_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["campaign", "unit__code", "model_title", "pk"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit", "model_title"], name="judging_assessment_once"),
        ]
        indexes = [models.Index(fields=["passed", "counted_on"], name="judging_assessment_counted")]

    def __str__(self) -> str:
        return self.model_title or str(self.unit)


class AssessmentScore(models.Model):
    """One criterion of one assessment: the subject's score and note, then the verifier's score
    and, when it differs, the reason."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey("judging.Criterion", on_delete=models.PROTECT, related_name="+")
    self_value = models.DecimalField(_("self-assessed score"), max_digits=7, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    verified_value = models.DecimalField(_("verified score"), max_digits=7, decimal_places=2, null=True, blank=True)
    reason = models.CharField(_("reason for the change"), max_length=500, blank=True)
    passed = models.BooleanField(_("criterion met"), null=True, blank=True)

    class Meta:
        ordering = ["assessment", "criterion__position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="judging_assessment_score_once"),
            models.CheckConstraint(
                condition=Q(self_value__isnull=True) | Q(self_value__gte=0), name="judging_assessment_self_range"
            ),
            models.CheckConstraint(
                condition=Q(verified_value__isnull=True) | Q(verified_value__gte=0),
                name="judging_assessment_verified_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.self_value} / {self.verified_value}"


class AssessmentReopening(models.Model):
    """The assessor reopened an assessment, saying why; ``previous`` keeps what it replaced
    (status, totals, result and every criterion's scores)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="reopenings")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(_("reason"), max_length=500)
    previous = models.JSONField(default=dict)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assessment", "at"]

    def __str__(self) -> str:
        return self.reason


def _file_storage():  # type: ignore[no-untyped-def]
    # The library's private storage: evidence is internal and served only through a gate.
    from django.core.files.storage import storages

    return storages["library"]


class EvidenceSide(models.TextChoices):
    SELF = "self", _("Self-assessment")
    VERIFICATION = "verification", _("Verification")


class AssessmentEvidenceFile(models.Model):
    """A file kept as evidence for one criterion of an assessment: sent by the subject with its
    self-assessment, or by the assessor with the verification. Checked by content like every
    upload; locked with the scores of its side (decision 0037)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="evidence_files")
    criterion = models.ForeignKey("judging.Criterion", on_delete=models.PROTECT, related_name="+")
    side = models.CharField(_("added with"), max_length=12, choices=EvidenceSide.choices)
    file = models.FileField(storage=_file_storage, upload_to="judging/evidence/%Y/%m/", max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["assessment", "criterion__position", "side", "pk"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        indexes = [models.Index(fields=["assessment", "criterion"], name="judging_evidence_criterion")]

    def __str__(self) -> str:
        return self.original_name
