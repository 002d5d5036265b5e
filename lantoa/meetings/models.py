"""Study conferences: one conference, its sites (a host and any number of bridge points), the
attendance at each site, and the study reflections of party cells — counts only.

Where attendance lives decides what adds up. Attendance is recorded only on a site
(:class:`BridgePoint`), never on the conference, and every site belongs to exactly one
conference and one unit, at most once per conference. A province conference relayed to 150
communes is one conference with 151 sites; a commune holding its own session is another
conference with its own site. Rollups sum sites, so an attendance is counted once, in the unit
where the people sat (docs/decisions/0011-attendance-lives-on-sites.md).

Only ``lantoa.meetings.services`` writes these tables. A site keeps the figures the rollup
reads (its unit, its local date and its totals) next to the rows they come from; the services
recompute them in the same transaction as every change.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lantoa.core.models import RankedKindModel, TimeStampedModel


class ConferenceKind(RankedKindModel):
    """Resolution study, thematic conference, monthly reporters' conference, training… (data)."""

    is_active = models.BooleanField(_("in use"), default=True)

    class Meta(RankedKindModel.Meta):
        verbose_name = _("conference kind")
        verbose_name_plural = _("conference kinds")


class Format(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid (in person and online)")


# The formats whose conferences are relayed to bridge points.
RELAYED_FORMATS = frozenset({Format.ONLINE, Format.HYBRID})


class Level(models.TextChoices):
    """The level of a conference or a site, as offices report it."""

    CENTRAL = "central", _("Central")
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")
    GRASSROOTS = "grassroots", _("Grassroots")


class Category(models.TextChoices):
    """Who attended. The categories do not overlap: a cadre who is a party member counts as a
    party member; ``cadres`` are cadres and civil servants who are not."""

    PARTY_MEMBERS = "party_members", _("Party members")
    CADRES = "cadres", _("Cadres (not party members)")
    NON_MEMBERS = "non_members", _("Non-members")
    STUDENTS = "students", _("Students")
    OTHERS = "others", _("Others")


class Recurrence(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


class ConferenceSeries(TimeStampedModel):
    """Recurring conferences planned from a template: the same sites, the next date."""

    title = models.CharField(pgettext_lazy("conference", "title"), max_length=255)
    kind = models.ForeignKey(ConferenceKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="+")
    organiser = models.ForeignKey(
        "org.Unit", verbose_name=_("organising unit"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    format = models.CharField(
        pgettext_lazy("conference", "format"), max_length=12, choices=Format.choices, default=Format.HYBRID
    )
    recurrence = models.CharField(_("recurrence"), max_length=12, choices=Recurrence.choices)
    # The day of the month, the start time and the length of each conference.
    day_of_month = models.PositiveSmallIntegerField(_("day of the month"), default=1)
    starts_at_time = models.TimeField(_("start time"))
    duration_minutes = models.PositiveIntegerField(_("length in minutes"), default=180)
    is_mandatory = models.BooleanField(_("mandatory for cadres"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("conference series")
        verbose_name_plural = _("conference series")

    def __str__(self) -> str:
        return self.title


class SeriesSite(models.Model):
    """A site every conference of the series is planned with."""

    series = models.ForeignKey(ConferenceSeries, on_delete=models.CASCADE, related_name="sites")
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    is_host = models.BooleanField(_("host site"), default=False)
    location = models.CharField(_("location"), max_length=255, blank=True)
    contact_name = models.CharField(_("contact"), max_length=120, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)

    class Meta:
        ordering = ["-is_host", "pk"]
        constraints = [models.UniqueConstraint(fields=["series", "unit"], name="meetings_series_site_once")]

    def __str__(self) -> str:
        return f"{self.series_id}: {self.unit_id}"


class Conference(TimeStampedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(pgettext_lazy("conference", "title"), max_length=255)
    # Derived by the services (folded: no diacritics, đ → d, lower case) for searching titles.
    title_folded = models.CharField(max_length=255, editable=False, blank=True)
    kind = models.ForeignKey(ConferenceKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="+")
    series = models.ForeignKey(
        ConferenceSeries,
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conferences",
    )
    organiser = models.ForeignKey(
        "org.Unit", verbose_name=_("organising unit"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    # The local date of the start (Asia/Ho_Chi_Minh), derived by the services: the rollup's date.
    held_on = models.DateField(_("date"), editable=False, db_index=True)
    format = models.CharField(
        pgettext_lazy("conference", "format"), max_length=12, choices=Format.choices, default=Format.IN_PERSON
    )
    is_mandatory = models.BooleanField(
        _("mandatory for cadres"),
        default=False,
        help_text=_("Only for mandatory conferences are absent persons listed by name; otherwise only counted."),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    documents = models.ManyToManyField(
        "library.Document", verbose_name=_("documents covered"), blank=True, related_name="+"
    )
    # Expected attendance per category ({"party_members": 120, …}), for planning.
    expected = models.JSONField(_("expected attendance"), default=dict, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=255, blank=True)
    # A key sent by the client that created it, so that a retried import or form counts once.
    client_key = models.CharField(max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("conference")
        verbose_name_plural = _("conferences")
        indexes = [models.Index(fields=["organiser", "held_on"], name="meetings_conf_org_date")]
        constraints = [
            models.UniqueConstraint(
                fields=["organiser", "client_key"],
                condition=~Q(client_key=""),
                name="meetings_conference_client_key_once",
            ),
            models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")), name="meetings_conf_ends_after"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_relayed(self) -> bool:
        return self.format != Format.IN_PERSON


class ConferencePresenter(models.Model):
    """Who presents: a person of the outreach network (usually a reporter) or a name."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="presenters")
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    topic = models.CharField(_("topic"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.person.full_name if self.person is not None else self.name


def _attachment_storage():  # type: ignore[no-untyped-def]
    from django.core.files.storage import storages

    return storages["library"]


class ConferenceAttachment(models.Model):
    """A photo or the minutes of a conference (private storage, content-checked)."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        MINUTES = "minutes", _("Minutes")
        OTHER = "other", _("Other")

    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.PHOTO)
    file = models.FileField(storage=_attachment_storage, upload_to="meetings/%Y/%m/", max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


class BridgePoint(models.Model):
    """A site of a conference: the host site or a bridge point, with its own attendance.

    The totals below are derived by the services from the site's headcounts (or from its
    participants when attendance is taken per person) and read by the rollup. ``unit`` and
    ``held_on`` repeat the site's unit and the conference's date for the same reason, and
    ``conference_held`` and ``conference_online`` whether the conference took place and was online
    or hybrid: the rollup reads a hundred thousand sites without joining their conferences, which
    took half of a province dashboard's largest statement (the services keep them in step).
    """

    class Mode(models.TextChoices):
        HEADCOUNT = "headcount", _("Headcount per category")
        PER_PERSON = "per_person", _("Per person (check-in)")

    class Connection(models.TextChoices):
        UNKNOWN = "unknown", _("Not reported")
        CONNECTED = "connected", _("Connected")
        DROPPED = "dropped", _("Connection dropped")
        NO_PICTURE = "no_picture", _("No picture")
        NO_SOUND = "no_sound", _("No sound")

    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="points")
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(editable=False, db_index=True)
    conference_held = models.BooleanField(default=False, editable=False)
    conference_online = models.BooleanField(default=False, editable=False)
    is_host = models.BooleanField(_("host site"), default=False)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    location = models.CharField(_("location"), max_length=255, blank=True)
    contact_name = models.CharField(_("contact"), max_length=120, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    connection = models.CharField(
        _("connection"), max_length=12, choices=Connection.choices, default=Connection.UNKNOWN
    )
    mode = models.CharField(_("attendance taken"), max_length=12, choices=Mode.choices, default=Mode.HEADCOUNT)
    # Typed on a phone to check in at this site; also inside the site's QR code.
    code = models.CharField(_("check-in code"), max_length=12, unique=True)
    # The denominators, as reported: the party members of the units summoned to this site,
    # those exempt from party activities, and everyone summoned.
    members_summoned = models.PositiveIntegerField(_("party members summoned"), default=0)
    members_exempt = models.PositiveIntegerField(_("of whom exempt"), default=0)
    summoned = models.PositiveIntegerField(_("people summoned"), default=0)
    absent_excused = models.PositiveIntegerField(_("absent with a reason"), default=0)
    absent_unexcused = models.PositiveIntegerField(_("absent without a reason"), default=0)
    # Derived totals (services): every attendance; party members present; and the parts of each
    # that have a denominator, so that a rate never divides by a site that reported none.
    present = models.PositiveIntegerField(_("present"), default=0, editable=False)
    members_present = models.PositiveIntegerField(_("party members present"), default=0, editable=False)
    late = models.PositiveIntegerField(_("late"), default=0, editable=False)
    members_expected = models.PositiveIntegerField(default=0, editable=False)
    rated_present = models.PositiveIntegerField(default=0, editable=False)
    rated_members_present = models.PositiveIntegerField(default=0, editable=False)
    attendance_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-is_host", "pk"]
        verbose_name = _("bridge point")
        verbose_name_plural = _("bridge points")
        constraints = [
            models.UniqueConstraint(fields=["conference", "unit"], name="meetings_point_unit_once"),
            models.UniqueConstraint(fields=["conference"], condition=Q(is_host=True), name="meetings_point_one_host"),
            models.CheckConstraint(
                condition=Q(members_exempt__lte=models.F("members_summoned")), name="meetings_point_exempt_le"
            ),
        ]
        indexes = [models.Index(fields=["unit", "held_on"], name="meetings_point_unit_date")]

    def __str__(self) -> str:
        return f"{self.conference_id}: {self.unit_id}"


class AttendanceCount(models.Model):
    """Present at a site, per category (entered, or counted from the participants)."""

    point = models.ForeignKey(BridgePoint, on_delete=models.CASCADE, related_name="counts")
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    present = models.PositiveIntegerField(_("present"), default=0)
    late = models.PositiveIntegerField(_("of whom late"), default=0)

    class Meta:
        ordering = ["point", "category"]
        constraints = [
            models.UniqueConstraint(fields=["point", "category"], name="meetings_count_category_once"),
            models.CheckConstraint(condition=Q(late__lte=models.F("present")), name="meetings_count_late_le"),
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.present}"


class Participant(models.Model):
    """One person at a site, when attendance is taken per person: registered (summoned),
    checked in (present, perhaps late) or — for mandatory conferences only — absent."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")

    class Method(models.TextChoices):
        QR = "qr", _("QR code at the site")
        CODE = "code", _("Short code on a phone")
        ROSTER = "roster", _("Ticked on the roster")
        IMPORT = "import", _("Imported")

    point = models.ForeignKey(BridgePoint, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED)
    is_late = models.BooleanField(_("late"), default=False)
    absence_reason = models.CharField(_("reason for absence"), max_length=255, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    method = models.CharField(_("how"), max_length=8, choices=Method.choices, blank=True)
    # The key of the phone's check-in form: the same scan sent twice counts once.
    client_key = models.CharField(max_length=64, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["point", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["point", "person"], condition=Q(person__isnull=False), name="meetings_participant_person_once"
            ),
            models.UniqueConstraint(
                fields=["point", "client_key"], condition=~Q(client_key=""), name="meetings_participant_key_once"
            ),
            models.UniqueConstraint(
                fields=["point", "user"], condition=Q(user__isnull=False), name="meetings_participant_user_once"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.person.full_name if self.person is not None else self.name


class ConnectionEvent(models.Model):
    """What a site's operator reported about the link, in order (append-only)."""

    point = models.ForeignKey(BridgePoint, on_delete=models.CASCADE, related_name="connection_log")
    at = models.DateTimeField(_("at"))
    status = models.CharField(_("connection"), max_length=12, choices=BridgePoint.Connection.choices)
    note = models.CharField(_("note"), max_length=255, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["point", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.point_id} {self.status} {self.at:%H:%M}"


class StudyReflectionTally(models.Model):
    """Study reflections (bài thu hoạch) of one party cell for a conference or a document:
    counts only. The texts are never stored here."""

    unit = models.ForeignKey("org.Unit", verbose_name=_("party cell"), on_delete=models.PROTECT, related_name="+")
    conference = models.ForeignKey(
        Conference, verbose_name=_("conference"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    document = models.ForeignKey(
        "library.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_on = models.DateField(_("date"))
    required = models.PositiveIntegerField(_("required"), default=0)
    exempt = models.PositiveIntegerField(_("exempt"), default=0)
    submitted = models.PositiveIntegerField(_("submitted"), default=0)
    graded = models.PositiveIntegerField(_("graded"), default=0)
    makeup_sessions = models.PositiveIntegerField(_("make-up sessions held"), default=0)
    updated_at = models.DateTimeField(auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_on", "pk"]
        verbose_name = _("study reflections")
        verbose_name_plural = _("study reflections")
        constraints = [
            models.CheckConstraint(
                condition=Q(conference__isnull=False) | Q(document__isnull=False), name="meetings_reflection_subject"
            ),
            models.UniqueConstraint(
                fields=["unit", "conference"], condition=Q(conference__isnull=False), name="meetings_reflection_conf"
            ),
            models.UniqueConstraint(
                fields=["unit", "document"],
                condition=Q(conference__isnull=True, document__isnull=False),
                name="meetings_reflection_doc",
            ),
            models.CheckConstraint(condition=Q(graded__lte=models.F("submitted")), name="meetings_reflection_graded"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.submitted}/{self.required}"
