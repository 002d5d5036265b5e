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
from lantoa.core.models import KindModel, TimeStampedModel


class Tier(BilingualNameMixin):
    """A level of the tree (province, district, commune, village…). Tiers are data."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    rank = models.PositiveSmallIntegerField(_("rank"), help_text=_("Smaller ranks sit higher in the tree."))

    class Meta:
        ordering = ["rank"]
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")


class UnitKind(KindModel):
    """A kind of unit (provincial committee, commune committee, party cell…). Kinds are data."""

    tier = models.ForeignKey(Tier, verbose_name=_("tier"), on_delete=models.PROTECT, related_name="kinds")
    is_territorial = models.BooleanField(
        _("territorial"),
        default=True,
        help_text=_("Territorial units carry an administrative area; functional units do not."),
    )

    class Meta(KindModel.Meta):
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
    records_since = models.DateField(
        _("records kept in Lantoa since"),
        null=True,
        blank=True,
        help_text=_("Before this date the unit kept no records here: its figures are missing, not zero."),
    )

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

    def __str__(self) -> str:
        return f"{self.unit_id} ⊂ {self.parent_id} [{self.valid_from}, {self.valid_to or '…'})"


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

    def __str__(self) -> str:
        return f"{self.ancestor_id} ≥ {self.descendant_id} ({self.depth})"


class RestructuringEvent(TimeStampedModel):
    """A decided change to the tree (merge, split, move, rename…), applied once, never edited.

    Same-day events apply in ``sequence`` order. Undoing an event is a new event.
    """

    class Kind(models.TextChoices):
        CREATE = "create", _("Create")
        CLOSE = "close", _("Close")
        RENAME = "rename", _("Rename")
        MOVE = "move", _("Move")
        MERGE = "merge", _("Merge")
        SPLIT = "split", _("Split")
        ABOLISH_TIER = "abolish_tier", _("Abolish a tier")
        CHANGE_KIND = "change_kind", _("Change kind")
        CHANGE_AREA = "change_area", _("Change administrative area")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    effective_on = models.DateField(_("effective on"), db_index=True)
    sequence = models.PositiveIntegerField(_("sequence within the day"), default=0)
    note = models.TextField(_("note"), blank=True)
    payload = models.JSONField(_("request"), default=dict, blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["effective_on", "sequence", "id"]
        verbose_name = _("restructuring event")
        verbose_name_plural = _("restructuring events")
        constraints = [models.UniqueConstraint(fields=["effective_on", "sequence"], name="event_one_per_day_sequence")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_on.isoformat()} #{self.sequence}"


class Succession(models.Model):
    """``predecessor``'s records flow to ``successor`` (with ``weight``) from the event's date."""

    event = models.ForeignKey(RestructuringEvent, on_delete=models.PROTECT, related_name="successions")
    predecessor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="successions_out")
    successor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="successions_in")
    weight = models.DecimalField(_("weight"), max_digits=9, decimal_places=6, default=1)
    is_default = models.BooleanField(_("default successor"), default=True)

    class Meta:
        ordering = ["event", "predecessor", "-is_default", "successor"]
        verbose_name = _("succession")
        verbose_name_plural = _("successions")
        constraints = [
            models.UniqueConstraint(fields=["event", "predecessor", "successor"], name="succession_unique"),
            models.CheckConstraint(condition=Q(weight__gt=0) & Q(weight__lte=1), name="succession_weight_in_0_1"),
            models.CheckConstraint(condition=~Q(predecessor=models.F("successor")), name="succession_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.weight})"
