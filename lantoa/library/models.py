"""The document library: documents and their versions and files, print runs with their
allocations and QR codes, and the anonymous daily counts of QR reads.

Only ``lantoa.library.services`` writes these tables. The search terms of a document are
computed in Python (lantoa.core.text.fold: diacritics and đ/Đ folded, lower case) and feed the
full-text index of each database — FTS5 on SQLite, tsvectors on PostgreSQL — so that both
find the same documents (lantoa.library.search, docs/decisions/0010-one-folded-column-for-search.md).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantoa.core.models import RankedKindModel, TimeStampedModel


def library_storage() -> Storage:
    """Private storage for library files (settings.STORAGES["library"])."""
    return storages["library"]


class DocumentKind(RankedKindModel):
    """Resolution, conclusion, directive, regulation, guidance, plan, report, study material,
    handbook… Kinds are data."""

    class Meta(RankedKindModel.Meta):
        verbose_name = _("document kind")
        verbose_name_plural = _("document kinds")


class Language(models.TextChoices):
    VIETNAMESE = "vi", _("Vietnamese")
    HMONG = "hmn", _("Mông")
    DAO = "dao", _("Dao")
    TAY = "tay", _("Tày")
    NUNG = "nung", _("Nùng")
    ENGLISH = "en", _("English")


class Document(TimeStampedModel):
    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public: anyone, also without signing in")
        INTERNAL = "internal", _("Internal: every signed-in user")
        SUBTREE = "subtree", _("A subtree: users of one unit and the units below it")

    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("In force")
        SUPERSEDED = "superseded", _("Superseded")
        EXPIRED = "expired", _("Expired")

    kind = models.ForeignKey(DocumentKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="documents")
    number = models.CharField(
        _("number and symbol"), max_length=80, blank=True, help_text=_("Exactly as written: 01-KL/TW, 1373/QĐ-UBND")
    )
    issuer = models.CharField(_("issuing body"), max_length=200, blank=True)
    issuing_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("issuing unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("kept by"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The unit whose officers keep this record in the library."),
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    effective_on = models.DateField(_("effective on"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=500)
    summary = models.TextField(_("summary"), blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices, default=Language.VIETNAMESE)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    visibility_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("visible in"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.IN_FORCE)
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("superseded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supersedes",
    )
    external_links = models.JSONField(
        _("links on national platforms"), default=list, blank=True, help_text=_("A list of {label, url}.")
    )
    slug = models.SlugField(_("public address"), max_length=40, unique=True)
    # Derived by the services (folded: no diacritics, đ → d, lower case).
    number_folded = models.CharField(max_length=120, editable=False, db_index=True, blank=True)
    title_folded = models.CharField(max_length=600, editable=False, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [models.Index(fields=["kind", "issued_on"], name="library_doc_kind_issued")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()


class SearchVectorField(models.Field):  # type: ignore[type-arg]
    """A ``tsvector`` on PostgreSQL; on SQLite an unused text column (FTS5 keeps the index)."""

    def db_type(self, connection: Any) -> str:
        return "tsvector" if connection.vendor == "postgresql" else "text"


class DocumentSearch(models.Model):
    """The PostgreSQL full-text index row of a document (lantoa.library.search writes it; the
    GIN index on ``body`` comes from migration 0004). SQLite keeps its index in an FTS5 table
    and leaves this table empty. A model, so that flushing the database empties it too."""

    document = models.OneToOneField(Document, primary_key=True, on_delete=models.CASCADE, related_name="+")
    number = SearchVectorField()
    head = SearchVectorField()
    body = SearchVectorField()

    class Meta:
        db_table = "library_document_search"

    def __str__(self) -> str:
        return f"search row of document {self.document_id}"


class DocumentVersion(models.Model):
    """A new file is a new version; old versions stay readable and say they are old."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    note = models.CharField(_("what changed"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["document", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="library_version_unique_number")]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"


class DocumentFile(models.Model):
    class Role(models.TextChoices):
        TEXT = "text", _("Text of the document")
        AUDIO = "audio", _("Audio (for loudspeakers)")
        VIDEO = "video", _("Video")
        IMAGE = "image", _("Image")
        ATTACHMENT = "attachment", _("Attachment")

    class Extraction(models.TextChoices):
        NOT_APPLICABLE = "n/a", _("No text to extract")
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Extracting")
        DONE = "done", _("Text extracted")
        FAILED = "failed", _("Could not be read (kept, flagged)")

    version = models.ForeignKey(DocumentVersion, on_delete=models.PROTECT, related_name="files")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.TEXT)
    file = models.FileField(_("file"), upload_to="%Y/%m/", storage=library_storage, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64, db_index=True)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices, default=Language.VIETNAMESE)
    extraction = models.CharField(_("text extraction"), max_length=10, choices=Extraction.choices)
    extraction_progress = models.PositiveSmallIntegerField(default=0)
    extraction_error = models.CharField(max_length=500, blank=True)
    extracted_text = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["version", "pk"]
        verbose_name = _("document file")
        verbose_name_plural = _("document files")

    def __str__(self) -> str:
        return self.original_name


class PrintRun(TimeStampedModel):
    """A publication run of one version of a document, printed by a unit."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="print_runs")
    version = models.ForeignKey(DocumentVersion, on_delete=models.PROTECT, related_name="print_runs")
    unit = models.ForeignKey("org.Unit", verbose_name=_("printed by"), on_delete=models.PROTECT, related_name="+")
    printed_on = models.DateField(_("printed on"))
    copies = models.PositiveIntegerField(_("copies"))
    printer = models.CharField(_("printer"), max_length=200, blank=True)
    cost = models.DecimalField(_("cost (VND)"), max_digits=14, decimal_places=0, null=True, blank=True)
    code = models.SlugField(_("short link"), max_length=16, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-printed_on", "-pk"]
        verbose_name = _("print run")
        verbose_name_plural = _("print runs")
        constraints = [models.CheckConstraint(condition=models.Q(copies__gte=1), name="library_run_copies_positive")]

    def __str__(self) -> str:
        return f"{self.document} — {self.copies} ({self.printed_on:%d/%m/%Y})"


class Allocation(models.Model):
    """Copies of a run sent to a unit; optionally with its own short link and QR code."""

    print_run = models.ForeignKey(PrintRun, on_delete=models.PROTECT, related_name="allocations")
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    copies = models.PositiveIntegerField(_("copies"))
    allocated_on = models.DateField(_("allocated on"))
    code = models.SlugField(_("short link"), max_length=16, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["print_run", "pk"]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [
            models.CheckConstraint(condition=models.Q(copies__gte=1), name="library_allocation_copies_positive")
        ]

    def __str__(self) -> str:
        return f"{self.print_run} → {self.unit}: {self.copies}"


class QrRead(models.Model):
    """How many times a printed QR code was opened on a day. Anonymous by construction: no IP,
    no cookie, no device — only a counter per run (or allocation) and day. Append-only per day."""

    print_run = models.ForeignKey(PrintRun, on_delete=models.PROTECT, related_name="reads")
    allocation = models.ForeignKey(Allocation, null=True, blank=True, on_delete=models.PROTECT, related_name="reads")
    # The allocation's id, or 0 for the run's own code: one counter per code and day, enforced by
    # a unique constraint that behaves the same on every database (NULLs would not collide).
    slot = models.PositiveIntegerField(default=0)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["print_run", "slot", "day"], name="library_qrread_one_row_per_day")
        ]
        verbose_name = _("QR reads")
        verbose_name_plural = _("QR reads")

    def __str__(self) -> str:
        return f"{self.print_run_id} {self.day}: {self.count}"
