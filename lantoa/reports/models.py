"""Data sets and data requests (bộ số liệu, yêu cầu báo cáo).

A :class:`DataSet` is a form of figures: its :class:`DataField` rows are either an indicator
Lantoa computes from records (pre-filled, never typed over) or a typed figure (a bounded
integer or a short text), and its :class:`ValidationRule` rows compare fields (``a <= b * c``),
each warning or blocking.

A :class:`DataRequest` sends a data set down from a unit to the units of one tier in its subtree
for a period, with a deadline; each unit gets one :class:`DataRequestAssignment`. A unit files
a :class:`DataSubmission` (a version: 1, 2, 3…); the level above approves a version, which locks
the assignment; a correction after approval is a new version with a reason. Versions are never
edited except to record their approval once. :class:`DataReminder` rows record each reminder.

Only :mod:`lantoa.reports.request_services` writes these tables.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lantoa.core.models import TimeStampedModel

# Bounds on every text and number (the services check them first and say why; the columns hold them).
CODE_MAX = 40
NAME_MAX = 200
DESCRIPTION_MAX = 2000
LABEL_MAX = 200
HELP_MAX = 500
TEXT_VALUE_MAX = 500
EXPRESSION_MAX = 200
MESSAGE_MAX = 300
REASON_MAX = 1000
EXPLANATION_MAX = 1000
FIELDS_PER_SET = 60
RULES_PER_SET = 30
# A typed integer lies within these bounds whatever its own bounds say.
INTEGER_MIN = 0
INTEGER_MAX = 99_999_999_999


class DataSet(TimeStampedModel):
    """A named form of figures, defined by a unit (which may send it down in requests).

    A data set is never changed once defined: revising it writes version n + 1 under the same
    code (``replaces`` the one before, which is retired then), so every request keeps the
    fields it was sent with. A retired version is not sent again."""

    code = models.SlugField(_("code"), max_length=CODE_MAX)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    name = models.CharField(_("name"), max_length=NAME_MAX)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX, blank=True)
    unit = models.ForeignKey("org.Unit", verbose_name=_("owner unit"), on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("data set")
        verbose_name_plural = _("data sets")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="reports_data_set_code_version"),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="reports_data_set_version_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class FieldKind(models.TextChoices):
    INDICATOR = "indicator", _("Computed indicator")
    INTEGER = "integer", _("Whole number")
    TEXT = "text", _("Short text")


class DataField(models.Model):
    """One field of a data set, in ``position`` order."""

    data_set = models.ForeignKey(DataSet, on_delete=models.CASCADE, related_name="fields")
    position = models.PositiveSmallIntegerField(_("position"))
    code = models.SlugField(_("code"), max_length=CODE_MAX)
    label = models.CharField(_("label"), max_length=LABEL_MAX)
    help_text = models.CharField(_("help text"), max_length=HELP_MAX, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=FieldKind.choices)
    indicator = models.CharField(_("indicator"), max_length=64, blank=True)
    required = models.BooleanField(_("required"), default=True)
    min_value = models.BigIntegerField(_("smallest value"), null=True, blank=True)
    max_value = models.BigIntegerField(_("largest value"), null=True, blank=True)
    max_length = models.PositiveSmallIntegerField(_("longest text"), null=True, blank=True)

    class Meta:
        ordering = ["data_set", "position"]
        verbose_name = _("data field")
        verbose_name_plural = _("data fields")
        constraints = [
            models.UniqueConstraint(fields=["data_set", "code"], name="reports_field_code_unique"),
            models.UniqueConstraint(fields=["data_set", "position"], name="reports_field_position_unique"),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(max_value__gte=models.F("min_value")),
                name="reports_field_bounds_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(kind="indicator") | ~Q(indicator=""), name="reports_field_indicator_named"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.label}"


class Severity(models.TextChoices):
    WARN = "warn", _("Warn")
    BLOCK = "block", _("Block")


class ValidationRule(models.Model):
    """A comparison between fields (``online_points <= conferences * sites``), kept as text and
    parsed by :mod:`lantoa.reports.rules` (no eval)."""

    data_set = models.ForeignKey(DataSet, on_delete=models.CASCADE, related_name="rules")
    position = models.PositiveSmallIntegerField(_("position"))
    expression = models.CharField(_("rule"), max_length=EXPRESSION_MAX)
    severity = models.CharField(_("severity"), max_length=5, choices=Severity.choices, default=Severity.BLOCK)
    message = models.CharField(_("message"), max_length=MESSAGE_MAX)

    class Meta:
        ordering = ["data_set", "position"]
        verbose_name = _("validation rule")
        verbose_name_plural = _("validation rules")
        constraints = [
            models.UniqueConstraint(fields=["data_set", "position"], name="reports_rule_position_unique"),
        ]

    def __str__(self) -> str:
        return self.expression


class DataRequest(TimeStampedModel):
    """A data set sent down by ``unit`` to the units of ``tier`` in its subtree, for ``period``."""

    data_set = models.ForeignKey(DataSet, verbose_name=_("data set"), on_delete=models.PROTECT, related_name="requests")
    unit = models.ForeignKey("org.Unit", verbose_name=_("sent by"), on_delete=models.PROTECT, related_name="+")
    tier = models.ForeignKey("org.Tier", verbose_name=_("tier"), on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey("core.Period", verbose_name=_("period"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=NAME_MAX)
    instructions = models.TextField(_("instructions"), max_length=DESCRIPTION_MAX, blank=True)
    sent_on = models.DateField(_("sent on"))
    deadline = models.DateField(_("deadline"))
    # Computed figures count the records of [period start, cutoff]; within the period, not after the deadline.
    cutoff = models.DateField(_("data cut-off"), help_text=_("Records dated after this day are not counted."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Closed by the sender once the figures are collected: no filing, correction or reminder after
    # it; what was filed stays, and the level above may still approve it.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-sent_on", "-pk"]
        verbose_name = _("data request")
        verbose_name_plural = _("data requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("sent_on")), name="reports_request_deadline_after"
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("cutoff")), name="reports_request_cutoff_by_deadline"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AssignmentStatus(models.TextChoices):
    PENDING = "pending", _("Not filed")
    FILED = "filed", _("Filed")
    APPROVED = "approved", _("Approved")
    # Merged into another assignment of the same request when two assigned units merged.
    MERGED = "merged", _("Merged into another unit's")


class DataRequestAssignment(models.Model):
    """One unit's share of a request. ``unit`` is who files now; ``assigned_unit`` the unit first
    assigned (they differ once a reorganisation moved the assignment to a successor)."""

    request = models.ForeignKey(DataRequest, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    assigned_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("first assigned to"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=AssignmentStatus.choices, default="pending")
    current = models.ForeignKey(
        "DataSubmission",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("current version"),
    )
    filed_at = models.DateTimeField(_("first filed at"), null=True, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from")
    last_reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)
    reminder_count = models.PositiveIntegerField(_("reminders"), default=0)

    class Meta:
        ordering = ["request", "unit__code"]
        verbose_name = _("data request assignment")
        verbose_name_plural = _("data request assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "unit"], condition=~Q(status="merged"), name="reports_assignment_one_per_unit"
            ),
            models.CheckConstraint(
                condition=Q(status="merged", merged_into__isnull=False)
                | (~Q(status="merged") & Q(merged_into__isnull=True)),
                name="reports_assignment_merged_has_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} → {self.unit_id}"


class SubmissionSource(models.TextChoices):
    FORM = "form", _("Form")
    XLSX = "xlsx", _("Spreadsheet")
    API = "api", _("API")


class DataSubmission(models.Model):
    """One version of a unit's filing: the values typed, the computed figures as they stood, the
    explanations of differences, the warnings accepted. Never changed, except that its approval
    is recorded once."""

    assignment = models.ForeignKey(DataRequestAssignment, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    unit = models.ForeignKey("org.Unit", verbose_name=_("filed by unit"), on_delete=models.PROTECT, related_name="+")
    values = models.JSONField(_("values"), default=dict)
    computed = models.JSONField(_("computed figures"), default=dict)
    explanations = models.JSONField(_("explanations"), default=dict, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    reason = models.TextField(_("reason for the correction"), max_length=REASON_MAX, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=SubmissionSource.choices, default="form")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["assignment", "number"]
        verbose_name = _("filed version")
        verbose_name_plural = _("filed versions")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "number"], name="reports_submission_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="reports_submission_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} v{self.number}"


class DataReminder(models.Model):
    """A reminder sent to one assignment's unit: when, by whom, how many were reached."""

    assignment = models.ForeignKey(DataRequestAssignment, on_delete=models.CASCADE, related_name="reminders")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    reached = models.PositiveIntegerField(_("reached"), default=0)
    channels = models.JSONField(_("channels"), default=dict, blank=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")

    def __str__(self) -> str:
        return f"{self.assignment_id} @ {self.sent_at:%Y-%m-%d}"


# --- Official reports (báo cáo) ----------------------------------------------------------------
#
# A :class:`ReportTemplate` is an outline (ordered sections: the officer's text or a block
# generated from indicators; see ``reports/documents/outline.py``) with the document's format,
# title and recipients. A :class:`Report` is a draft for a unit, a period and a structure: it
# copies its template's outline when created (a later edit of the template does not change it)
# and keeps the officer's text per section; each save keeps a :class:`ReportVersion`. Issuing a
# report gives it the next number of its :class:`DocumentCounter` (issuing unit, document type,
# term), never reused. Only :mod:`lantoa.reports.report_services` writes these tables.

REPORT_TITLE_MAX = 200
REPORT_NAME_MAX = 200
REPORT_LINE_MAX = 200  # a header or signature line
REPORT_ABBREVIATION_MAX = 40
REPORT_RECIPIENTS_MAX = 2000
REPORT_SECTION_TEXT_MAX = 20_000
REPORT_SECTIONS_MAX = 40
DOCUMENT_TYPE_MAX = 10
TERM_MAX = 20


class DocumentFormat(models.TextChoices):
    PARTY = "party", _("Party format (Guidance 36-HD/VPTW)")
    STATE = "state", _("State format (Decree 30/2020/NĐ-CP)")


class ReportTemplate(TimeStampedModel):
    """An outline for reports; ``unit`` empty: the shared default every office may copy."""

    unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=REPORT_NAME_MAX)
    format = models.CharField(_("format"), max_length=10, choices=DocumentFormat.choices, default=DocumentFormat.PARTY)
    title = models.CharField(_("title"), max_length=REPORT_TITLE_MAX, default="BÁO CÁO")
    subtitle = models.CharField(_("subject line"), max_length=REPORT_TITLE_MAX, blank=True)
    outline = models.JSONField(_("outline"), default=list)
    recipients = models.TextField(_("recipients"), max_length=REPORT_RECIPIENTS_MAX, blank=True)
    copied_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("report template")
        verbose_name_plural = _("report templates")

    def __str__(self) -> str:
        return self.name


class Report(TimeStampedModel):
    """A report of ``unit`` on ``[start, end]`` in the ``structure`` chosen: a draft until issued."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    template = models.ForeignKey(ReportTemplate, null=True, on_delete=models.SET_NULL, related_name="reports")
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    structure = models.CharField(_("structure"), max_length=20, default="historical")
    format = models.CharField(_("format"), max_length=10, choices=DocumentFormat.choices, default=DocumentFormat.PARTY)
    title = models.CharField(_("title"), max_length=REPORT_TITLE_MAX)
    subtitle = models.CharField(_("subject line"), max_length=REPORT_TITLE_MAX, blank=True)
    outline = models.JSONField(_("outline"), default=list)  # the template's, as it stood when copied
    texts = models.JSONField(_("section texts"), default=dict)  # section key → the officer's text
    superior = models.CharField(_("superior body"), max_length=REPORT_LINE_MAX, blank=True)
    issuer = models.CharField(_("issuing body"), max_length=REPORT_LINE_MAX)
    issuer_abbreviation = models.CharField(_("issuer's abbreviation"), max_length=REPORT_ABBREVIATION_MAX)
    place = models.CharField(_("place"), max_length=REPORT_LINE_MAX)
    signer_on_behalf = models.CharField(_("signing on behalf of"), max_length=REPORT_LINE_MAX, blank=True)
    signer_position = models.CharField(_("signer's position"), max_length=REPORT_LINE_MAX, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=REPORT_LINE_MAX, blank=True)
    recipients = models.TextField(_("recipients"), max_length=REPORT_RECIPIENTS_MAX, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    document_type = models.CharField(_("document type"), max_length=DOCUMENT_TYPE_MAX, default="BC")
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    term = models.CharField(_("numbering term"), max_length=TERM_MAX, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "format", "document_type", "issuer_abbreviation", "term", "number"],
                condition=Q(number__isnull=False),
                name="reports_report_number_unique",
            ),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="reports_report_period_ordered"),
            models.CheckConstraint(
                condition=Q(structure__in=["historical", "current"]), name="reports_report_structure_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.subtitle}".strip()


class ReportVersion(models.Model):
    """The officer's texts as one save left them (1, 2, 3…)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    texts = models.JSONField(_("section texts"), default=dict)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="reports_report_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} v{self.number}"


class DocumentCounter(models.Model):
    """The last number given to documents of one type by one issuing body (the report's unit and
    the abbreviation its numbers carry: "BTGDVTU") in one term (the Party numbers per congress
    term, the State per calendar year)."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    format = models.CharField(_("format"), max_length=10, choices=DocumentFormat.choices)
    document_type = models.CharField(_("document type"), max_length=DOCUMENT_TYPE_MAX)
    issuer_abbreviation = models.CharField(_("issuer's abbreviation"), max_length=REPORT_ABBREVIATION_MAX)
    term = models.CharField(_("numbering term"), max_length=TERM_MAX)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("document counter")
        verbose_name_plural = _("document counters")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "format", "document_type", "issuer_abbreviation", "term"],
                name="reports_document_counter_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.document_type} {self.term}: {self.last}"


class ReportFile(models.Model):
    """A DOCX or PDF of a report, drawn in the background for large reports: its progress for
    the page's progress bar, then the file (kept until the next one of the same report and
    format replaces it)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Drawing")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="files")
    format = models.CharField(_("file format"), max_length=4)  # "docx" or "pdf"
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)  # percent
    data = models.BinaryField(_("file"), null=True, blank=True)
    base_url = models.CharField(max_length=200, blank=True)  # where the numbers' links point
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report file")
        verbose_name_plural = _("report files")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="reports_report_file_progress_bounded"),
            models.CheckConstraint(condition=Q(format__in=["docx", "pdf"]), name="reports_report_file_format_known"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}.{self.format} v{self.version}"


class PartyTerm(models.Model):
    """A Party committee's term (*nhiệm kỳ*), from the congress that elected it to the next one.
    The Party numbers its documents continuously within a term (Hướng dẫn 36-HD/VPTW), and each
    committee holds its congress on its own dates; a unit without a recorded term numbers in the
    term of its nearest ancestor that has one, or in the five-year term of the calendar."""

    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("term"), max_length=TERM_MAX)
    congress = models.CharField(_("congress"), max_length=20, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        ordering = ["unit", "-starts_on"]
        verbose_name = _("Party term")
        verbose_name_plural = _("Party terms")
        constraints = [
            models.UniqueConstraint(fields=["unit", "starts_on"], name="reports_party_term_start_once"),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gt=models.F("starts_on")),
                name="reports_party_term_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.name}"
