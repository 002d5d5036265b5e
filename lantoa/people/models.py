"""Persons, their network roles over time, outreach groups and what the network did.

Counts come first: an activity record says what was done, where and for how many people —
never who was reached. Personal data is minimal: names, sex, year of birth, home unit and an
optional contact; ethnicity and party membership exist only where a deployment turns them on
(``LANTOA_PERSON_SENSITIVE_FIELDS``). Only ``lantoa.people.services`` writes these tables.

Lasting records (a role held, a group in existence, a membership) are valid on the half-open
interval ``[valid_from, valid_to)``. They are ended, never edited back in time: when a unit
closes in a restructuring event, what was attached to it ends that day and continues on its
successor as a new row, so figures for earlier dates stay where they were.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lantoa.core.models import RankedKindModel, TimeStampedModel


class NetworkRoleKind(RankedKindModel):
    """Reporter, propagandist, outreach cadre… Roles are data; a deployment may add its own."""

    is_active = models.BooleanField(_("in use"), default=True)

    class Meta(RankedKindModel.Meta):
        verbose_name = _("network role")
        verbose_name_plural = _("network roles")


class GroupKind(RankedKindModel):
    """Outreach board, outreach team… with the tier of unit the group belongs to."""

    tier_code = models.SlugField(
        _("tier"), max_length=40, blank=True, help_text=_("The tier of the units that hold groups of this kind.")
    )

    class Meta(RankedKindModel.Meta):
        verbose_name = _("group kind")
        verbose_name_plural = _("group kinds")


class ActivityKind(RankedKindModel):
    """Village meeting, home visits, loudspeaker broadcast, dialogue…"""

    is_active = models.BooleanField(_("in use"), default=True)

    class Meta(RankedKindModel.Meta):
        verbose_name = _("activity kind")
        verbose_name_plural = _("activity kinds")


class Person(TimeStampedModel):
    class Sex(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other")

    family_name = models.CharField(_("family name"), max_length=60, blank=True)
    middle_name = models.CharField(_("middle name"), max_length=80, blank=True)
    given_name = models.CharField(_("given name"), max_length=60)
    # Derived by the services: the folded full name (search, duplicates) and a key whose byte
    # order is Vietnamese name order (given name first), so lists sort in the database.
    name_folded = models.CharField(max_length=200, editable=False, db_index=True)
    sort_key = models.CharField(max_length=600, editable=False, db_index=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    home_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("home unit"), on_delete=models.PROTECT, related_name="persons"
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    phone_digits = models.CharField(max_length=20, editable=False, blank=True, db_index=True)
    email = models.EmailField(_("email"), blank=True)
    # Sensitive: stored only where the deployment turns them on; every read is logged.
    ethnicity = models.CharField(_("ethnicity"), max_length=60, blank=True)
    is_party_member = models.BooleanField(_("party member"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    class Meta:
        ordering = ["sort_key", "pk"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        indexes = [models.Index(fields=["home_unit", "sort_key"], name="people_person_unit_sort")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.family_name, self.middle_name, self.given_name) if part)


class RoleAssignment(TimeStampedModel):
    """A person holding a network role in a unit, from ``valid_from`` until ``valid_to`` (exclusive)."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="roles")
    role = models.ForeignKey(NetworkRoleKind, verbose_name=_("role"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until"), null=True, blank=True, help_text=_("The first day no longer held."))
    decision_ref = models.CharField(
        _("decision"), max_length=120, blank=True, help_text=_("For example: Quyết định số 123-QĐ/TU")
    )
    continues = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("continues")
    )

    class Meta:
        ordering = ["valid_from", "pk"]
        verbose_name = _("network role held")
        verbose_name_plural = _("network roles held")
        indexes = [
            models.Index(fields=["role", "valid_from"], name="people_role_role_from"),
            models.Index(fields=["unit", "valid_from"], name="people_role_unit_from"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="people_role_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.role}"


class NetworkGroup(TimeStampedModel):
    """An outreach board of a commune, an outreach team of a village…"""

    kind = models.ForeignKey(GroupKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="groups")
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    valid_from = models.DateField(_("formed on"))
    valid_to = models.DateField(_("dissolved on"), null=True, blank=True)
    decision_ref = models.CharField(_("decision"), max_length=120, blank=True)
    continues = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("continues")
    )

    class Meta:
        ordering = ["valid_from", "pk"]
        verbose_name = _("network group")
        verbose_name_plural = _("network groups")
        indexes = [models.Index(fields=["kind", "valid_from"], name="people_group_kind_from")]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="people_group_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_open_on(self, day) -> bool:  # type: ignore[no-untyped-def]
        return self.valid_from <= day and (self.valid_to is None or self.valid_to > day)


class GroupMembership(TimeStampedModel):
    group = models.ForeignKey(NetworkGroup, verbose_name=_("group"), on_delete=models.PROTECT, related_name="members")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships")
    is_leader = models.BooleanField(_("leader"), default=False)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["valid_from", "pk"]
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="people_member_ends_after_start",
            )
        ]


class GroupEvent(models.Model):
    """What happened to a group, in order. Append-only."""

    class Kind(models.TextChoices):
        FORMED = "formed", _("Formed")
        MERGED = "merged", _("Merged into another group")
        ABSORBED = "absorbed", _("Took in another group")
        DISSOLVED = "dissolved", _("Dissolved")
        MOVED = "moved", _("Continued in the successor unit")
        RENAMED = "renamed", _("Renamed")

    group = models.ForeignKey(NetworkGroup, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    happened_on = models.DateField(_("date"))
    other = models.ForeignKey(NetworkGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decision_ref = models.CharField(_("decision"), max_length=120, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["happened_on", "pk"]
        verbose_name = _("group event")
        verbose_name_plural = _("group events")

    def __str__(self) -> str:
        return f"{self.group} — {self.get_kind_display()}"


class Activity(models.Model):
    """Outreach work done in a unit: what kind, when, about what, for how many people.

    One record may stand for several sessions (``sessions``): a team leader's monthly summary
    for the whole team is one record. Nothing here identifies a household or a person reached.
    Records are not edited: a wrong one is withdrawn (with a reason) and filed again.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        CONFIRMED = "confirmed", _("Confirmed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("date"))
    kind = models.ForeignKey(ActivityKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="+")
    topic = models.CharField(_("topic or document"), max_length=255)
    sessions = models.PositiveIntegerField(_("number of sessions"), default=1)
    people_reached = models.PositiveIntegerField(_("people reached"))
    group = models.ForeignKey(
        NetworkGroup, verbose_name=_("team"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("done by"), null=True, blank=True, on_delete=models.PROTECT, related_name="activities"
    )
    is_summary = models.BooleanField(_("monthly summary"), default=False)
    note = models.CharField(_("note about the activity"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # A phone that lost its connection sends the same form again: the key makes it count once.
    client_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(_("reason for withdrawal"), max_length=255, blank=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            models.Index(fields=["held_on", "unit"], name="people_activity_day_unit"),
            models.Index(fields=["unit", "held_on"], name="people_activity_unit_day"),
            # "Activities to confirm" on every dashboard counts the few still submitted among
            # years of confirmed ones: read from this small index, not from every activity.
            models.Index(fields=["unit"], condition=Q(status="submitted"), name="people_activity_to_confirm"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(sessions__gte=1), name="people_activity_sessions_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} — {self.held_on:%d/%m/%Y}"
