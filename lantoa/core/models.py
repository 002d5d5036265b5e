from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantoa.core.i18n import BilingualNameMixin
from lantoa.core.indicators import FIGURE_DECIMAL_PLACES, FIGURE_MAX, FIGURE_MAX_DIGITS, FIGURE_MIN


class KindManager(models.Manager):
    def get_by_natural_key(self, code: str) -> models.Model:
        return self.get(code=code)


class TimeStampedModel(models.Model):
    """Base for Lantoa models: when a row was created and last changed."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, editable=False)

    class Meta:
        abstract = True


class KindModel(BilingualNameMixin):
    """Base of the kinds that are data (unit kinds, document kinds, network roles…): a stable
    code and names in Vietnamese and English. The rows every deployment starts with are
    registered in :mod:`lantoa.core.kinds`."""

    code = models.SlugField(_("code"), max_length=40, unique=True)

    objects = KindManager()

    class Meta:
        abstract = True

    def natural_key(self) -> tuple[str]:
        return (self.code,)


class RankedKindModel(KindModel):
    """A kind listed in a chosen order (its rank), then by code."""

    rank = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta(KindModel.Meta):
        abstract = True
        ordering = ["rank", "code"]


class AuditEntry(models.Model):
    """One staff write: who did what to which object, in which unit, when.

    Entries name the fields that changed, never their values, so the log itself holds no
    personal data. Rows are only ever inserted.
    """

    action = models.CharField(_("action"), max_length=120, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_entries",
    )
    actor_username = models.CharField(_("actor username"), max_length=150, blank=True)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_entries",
    )
    target_type = models.CharField(_("target type"), max_length=100, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    target_repr = models.CharField(_("target"), max_length=255, blank=True)
    changed_fields = models.JSONField(_("changed fields"), default=list, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"


class Period(models.Model):
    """A reporting period: a month, quarter, half-year, year or any date range (both ends inclusive)."""

    class Kind(models.TextChoices):
        MONTH = "month", _("Month")
        QUARTER = "quarter", _("Quarter")
        HALF_YEAR = "half_year", _("Half-year")
        YEAR = "year", _("Year")
        RANGE = "range", _("Date range")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    cutoff = models.DateField(
        _("data cut-off"),
        null=True,
        blank=True,
        help_text=_("Figures recorded after this date belong to a later report."),
    )

    class Meta:
        ordering = ["start", "end"]
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        constraints = [
            models.UniqueConstraint(fields=["kind", "start", "end"], name="period_unique"),
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="period_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.start.isoformat()} – {self.end.isoformat()}"


class DataValue(models.Model):
    """A figure filed for a unit and period (party members, population…) that no record produces.

    Append-only: a correction is a new row that supersedes the previous one, which keeps
    ``superseded_at``; readers take the row where ``superseded_at`` is empty.
    """

    indicator = models.CharField(_("indicator"), max_length=64, db_index=True)
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="data_values")
    period = models.ForeignKey(Period, verbose_name=_("period"), on_delete=models.PROTECT, related_name="values")
    # data_value_record checks the range (and the indicator's own bound) first; the check below backs it.
    value = models.DecimalField(_("value"), max_digits=FIGURE_MAX_DIGITS, decimal_places=FIGURE_DECIMAL_PLACES)
    source = models.CharField(_("source"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)

    class Meta:
        ordering = ["indicator", "unit", "period", "-created_at"]
        verbose_name = _("reported figure")
        verbose_name_plural = _("reported figures")
        indexes = [models.Index(fields=["indicator", "unit", "period"], name="datavalue_lookup_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "period"],
                condition=models.Q(superseded_at__isnull=True),
                name="datavalue_one_current",
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=FIGURE_MIN) & models.Q(value__lte=FIGURE_MAX),
                name="datavalue_value_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.unit_id} {self.period}: {self.value}"
