"""The organisation tree.

A unit's history lives in dated rows: its names (:class:`UnitName`), its parent links
(:class:`UnitParent`) and its administrative area (:class:`UnitArea`), each valid on the
half-open interval ``[valid_from, valid_to)``; ``valid_to`` empty means "still valid".
:class:`UnitClosure` is derived from the parent links (one row per ancestor, descendant and
interval) so that "the subtree of U as of D" is one indexed query. Only
``lantoa.org.services`` writes any of these tables.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lantoa.core.i18n import BilingualNameMixin
from lantoa.core.models import TimeStampedModel


class Tier(BilingualNameMixin):
    """A level of the tree (province, district, commune, village…). Tiers are data."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    rank = models.PositiveSmallIntegerField(
        _("rank"), help_text=_("Smaller ranks sit higher in the tree.")
    )

    class Meta:
        ordering = ["rank"]
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")


class UnitKind(BilingualNameMixin):
    """A kind of unit (provincial committee, commune committee, party cell…). Kinds are data."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    tier = models.ForeignKey(Tier, verbose_name=_("tier"), on_delete=models.PROTECT, related_name="kinds")
    is_territorial = models.BooleanField(
        _("territorial"),
        default=True,
        help_text=_("Territorial units carry an administrative area; functional units do not."),
    )

    class Meta:
        ordering = ["tier__rank", "code"]
        verbose_name = _("unit kind")
        verbose_name_plural = _("unit kinds")


class Unit(TimeStampedModel):
    """A unit of the organisation. Its ``code`` is unique forever and never reused.

    ``name``, ``kind`` and the dates mirror the current dated rows for quick display;
    history questions go to the dated tables.
    """

    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    name_folded = models.CharField(max_length=255, editable=False, db_index=True)
    kind = models.ForeignKey(UnitKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="units")
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gt=models.F("opened_on")),
                name="unit_closes_after_opening",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_open_on(self, day) -> bool:  # type: ignore[no-untyped-def]
        return self.opened_on <= day and (self.closed_on is None or day < self.closed_on)


class UnitName(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="names")
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        ordering = ["unit", "valid_from"]
        verbose_name = _("unit name")
        verbose_name_plural = _("unit names")

    def __str__(self) -> str:
        return self.name


class UnitParent(models.Model):
    """``unit`` sat under ``parent`` on ``[valid_from, valid_to)``."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="parent_links")
    parent = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="child_links")
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        ordering = ["unit", "valid_from"]
        verbose_name = _("parent link")
        verbose_name_plural = _("parent links")
        indexes = [models.Index(fields=["parent", "valid_from"], name="unitparent_parent_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(unit=models.F("parent")), name="unitparent_not_self"),
            models.UniqueConstraint(fields=["unit", "valid_from"], name="unitparent_one_per_start"),
        ]


class UnitArea(models.Model):
    """The administrative area a territorial unit covers, with the State's official code.

    Official codes are dated because the State reuses them after reorganisations.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        DISTRICT = "district", _("District")
        COMMUNE = "commune", _("Commune")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="areas")
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    official_code = models.CharField(_("official code"), max_length=20, db_index=True)
    area_name = models.CharField(_("area name"), max_length=255)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        ordering = ["unit", "valid_from"]
        verbose_name = _("administrative area")
        verbose_name_plural = _("administrative areas")

    def __str__(self) -> str:
        return f"{self.area_name} ({self.official_code})"


class UnitClosure(models.Model):
    """Derived: ``ancestor`` is ``depth`` levels above ``descendant`` on ``[valid_from, valid_to)``."""

    ancestor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    descendant = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    depth = models.PositiveSmallIntegerField()
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["ancestor", "valid_from", "valid_to"], name="closure_ancestor_idx"),
            models.Index(fields=["descendant", "depth"], name="closure_descendant_idx"),
        ]
