"""Judged contests: competitions in stages, rubrics in versions, entries, juries and score sheets.

A rubric is reusable and versioned like the question bank (decision 0017): a version and its
criteria are never changed after they are written; revising a rubric writes a new version and
moves ``Rubric.current`` to it, and a stage keeps the version it was set up with. An entry takes
part in stages one after another; its row per stage (:class:`EntryStage`) keeps that stage's
result, so its history stays when it advances. A score sheet is one juror's scores for one
entry in one stage: saved as the juror goes, then submitted and locked; the stage's chair may
reopen it with a reason (:class:`SheetReopening`, and an audit entry).
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lantoa.core.models import TimeStampedModel

TITLE_MAX = 200
TEXT_MAX = 2_000
REASON_MAX = 500
MATERIALS_MAX = 10
URL_MAX = 500
CRITERIA_MAX = 60
DESCRIPTORS_MAX = 10
WEIGHT_MAX = Decimal("100")
MAX_SCORE_MAX = Decimal("1000")
JURORS_PER_ENTRY_MAX = 15
ADVANCE_COUNT_MAX = 100_000
AUDIENCE_VOTES_MAX = 10_000_000
STAGES_MAX = 10
SCORE_SCALE = Decimal("100")  # a sheet's total, a stage's score and a threshold are out of 100


class CompetitionKind(models.TextChoices):
    STAGED = "staged", _("Staged performance contest")
    BEST_REPORTER = "best_reporter", _("Best reporter contest")
    ESSAY = "essay", _("Written essay contest")


class Aggregation(models.TextChoices):
    MEAN = "mean", _("Mean")
    TRIMMED_MEAN = "trimmed_mean", _("Trimmed mean (highest and lowest dropped)")
    MEDIAN = "median", _("Median")
    NORMALISED = "normalised", _("Normalised (each juror's scores as z-scores)")


class Advancement(models.TextChoices):
    NONE = "none", _("No further stage")
    TOP_N = "top_n", _("The top N advance")
    THRESHOLD = "threshold", _("A score at or above the threshold advances")


class JuryRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    MEMBER = "member", _("Member")
    SECRETARY = "secretary", _("Secretary")


SCORING_ROLES = (JuryRole.CHAIR, JuryRole.MEMBER)


class Competition(TimeStampedModel):
    unit = models.ForeignKey("org.Unit", verbose_name=_("organising unit"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    kind = models.CharField(_("kind"), max_length=20, choices=CompetitionKind.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    description = models.TextField(_("description"), blank=True, max_length=TEXT_MAX)

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("judged contest")
        verbose_name_plural = _("judged contests")
        indexes = [models.Index(fields=["unit", "starts_on"], name="judging_comp_unit_start")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="judging_comp_dates"),
        ]

    def __str__(self) -> str:
        return self.title


class Rubric(TimeStampedModel):
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=TITLE_MAX)
    current = models.ForeignKey(
        "RubricVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("current")
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")

    def __str__(self) -> str:
        return self.name


class RubricVersion(models.Model):
    """Never changed after it is written: a stage that used it keeps exactly these criteria."""

    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["rubric", "number"]
        constraints = [models.UniqueConstraint(fields=["rubric", "number"], name="judging_rubric_version_unique")]

    def __str__(self) -> str:
        return f"{self.rubric} v{self.number}"


class Criterion(models.Model):
    version = models.ForeignKey(RubricVersion, on_delete=models.PROTECT, related_name="criteria")
    position = models.PositiveSmallIntegerField()
    section = models.CharField(_("section"), max_length=TITLE_MAX, blank=True)
    name = models.CharField(_("criterion"), max_length=TITLE_MAX)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2)
    max_score = models.DecimalField(_("maximum score"), max_digits=7, decimal_places=2)
    # Optional level descriptors: [{"score": "8", "text": "…"}, …], highest first.
    descriptors = models.JSONField(_("level descriptors"), default=list, blank=True)

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="judging_criterion_position"),
            models.CheckConstraint(
                condition=Q(weight__gt=0) & Q(weight__lte=WEIGHT_MAX), name="judging_criterion_weight"
            ),
            models.CheckConstraint(
                condition=Q(max_score__gt=0) & Q(max_score__lte=MAX_SCORE_MAX), name="judging_criterion_max"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Stage(TimeStampedModel):
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="stages")
    number = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=TITLE_MAX)
    unit = models.ForeignKey("org.Unit", verbose_name=_("organising unit"), on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    rubric_version = models.ForeignKey(
        RubricVersion, verbose_name=_("rubric version"), on_delete=models.PROTECT, related_name="stages"
    )
    aggregation = models.CharField(
        _("aggregation"), max_length=20, choices=Aggregation.choices, default=Aggregation.MEAN
    )
    jurors_per_entry = models.PositiveSmallIntegerField(_("jurors per entry"), default=2)
    disagreement_margin = models.DecimalField(
        _("disagreement margin"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("An extra juror scores an entry when two submitted totals differ by more than this."),
    )
    audience_weight = models.DecimalField(
        _("audience vote weight"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0"),
        help_text=_("Between 0 (no audience vote) and 1."),
    )
    tie_criterion = models.ForeignKey(
        Criterion,
        verbose_name=_("tie-break criterion"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    advancement = models.CharField(
        _("advancement"), max_length=12, choices=Advancement.choices, default=Advancement.NONE
    )
    advance_count = models.PositiveIntegerField(_("number advancing"), null=True, blank=True)
    advance_threshold = models.DecimalField(_("threshold"), max_digits=5, decimal_places=2, null=True, blank=True)
    blind = models.BooleanField(
        _("blind judging"),
        default=False,
        help_text=_("Jurors see an entry code only: never the entrant, the unit, the members or the title."),
    )
    results_computed_at = models.DateTimeField(null=True, blank=True)
    results_published_at = models.DateTimeField(_("results published"), null=True, blank=True)
    results_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["competition", "number"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        constraints = [
            models.UniqueConstraint(fields=["competition", "number"], name="judging_stage_number"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="judging_stage_dates"),
            models.CheckConstraint(
                condition=Q(jurors_per_entry__gte=1) & Q(jurors_per_entry__lte=JURORS_PER_ENTRY_MAX),
                name="judging_stage_k",
            ),
            models.CheckConstraint(
                condition=Q(audience_weight__gte=0) & Q(audience_weight__lte=1), name="judging_stage_audience"
            ),
            models.CheckConstraint(
                condition=Q(disagreement_margin__isnull=True)
                | (Q(disagreement_margin__gte=0) & Q(disagreement_margin__lte=SCORE_SCALE)),
                name="judging_stage_margin",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competition} — {self.name}"


class Entry(TimeStampedModel):
    """A team of a unit or one person (a reporter of the outreach network) in a competition."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="entries")
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The team's unit, or the unit the person entered for."),
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title or topic"), max_length=TITLE_MAX)
    members = models.TextField(_("members"), blank=True, max_length=TEXT_MAX)
    materials = models.JSONField(_("materials (links)"), default=list, blank=True)

    class Meta:
        ordering = ["competition", "pk"]
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "person"], condition=Q(person__isnull=False), name="judging_entry_person_once"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class EntryStage(models.Model):
    """An entry's part in one stage, with its result. The entry's unit, person, the competition's
    kind and the stage's first day are copied here so the indicators read one table."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="stages")
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="entry_rows")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=CompetitionKind.choices)
    entered_on = models.DateField()
    audience_votes = models.PositiveIntegerField(_("audience votes"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=3, null=True, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    advanced = models.BooleanField(_("advanced"), default=False)
    prize = models.CharField(_("prize"), max_length=TITLE_MAX, blank=True)

    class Meta:
        ordering = ["stage", "rank", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "stage"], name="judging_entry_stage_unique"),
            models.CheckConstraint(
                condition=Q(audience_votes__isnull=True) | Q(audience_votes__lte=AUDIENCE_VOTES_MAX),
                name="judging_entry_stage_votes",
            ),
        ]
        indexes = [models.Index(fields=["kind", "entered_on"], name="judging_es_kind_day")]

    def __str__(self) -> str:
        return f"{self.entry} @ {self.stage_id}"


class JuryMember(TimeStampedModel):
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="jurors")
    person = models.ForeignKey("people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user account"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("juror's unit"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Entries from this unit or from a unit beneath it are never assigned to the juror."),
    )
    role = models.CharField(_("role"), max_length=12, choices=JuryRole.choices, default=JuryRole.MEMBER)

    class Meta:
        ordering = ["stage", "role", "pk"]
        verbose_name = _("jury member")
        verbose_name_plural = _("jury members")
        constraints = [models.UniqueConstraint(fields=["stage", "person"], name="judging_juror_once")]

    def __str__(self) -> str:
        return str(self.person)


class DeclaredConflict(TimeStampedModel):
    """A conflict of interest declared by a juror or by an entrant, for every stage of the entry."""

    class DeclaredBy(models.TextChoices):
        JUROR = "juror", _("Juror")
        ENTRANT = "entrant", _("Entrant")

    person = models.ForeignKey("people.Person", verbose_name=_("juror"), on_delete=models.PROTECT, related_name="+")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="conflicts")
    declared_by = models.CharField(_("declared by"), max_length=10, choices=DeclaredBy.choices)
    reason = models.CharField(_("reason"), max_length=REASON_MAX, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "entry"], name="judging_conflict_once")]


class ScoreSheet(TimeStampedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Being scored")
        SUBMITTED = "submitted", _("Submitted")

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="sheets")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="sheets")
    juror = models.ForeignKey(JuryMember, on_delete=models.PROTECT, related_name="sheets")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    is_extra = models.BooleanField(_("extra juror"), default=False)
    total = models.DecimalField(_("total"), max_digits=7, decimal_places=3, null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        ordering = ["stage", "entry", "pk"]
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        constraints = [models.UniqueConstraint(fields=["stage", "entry", "juror"], name="judging_sheet_unique")]
        indexes = [models.Index(fields=["juror", "status"], name="judging_sheet_juror_status")]

    def __str__(self) -> str:
        return f"{self.entry} / {self.juror}"

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.SUBMITTED


class Score(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("score"), max_digits=7, decimal_places=2)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="judging_score_unique"),
            models.CheckConstraint(condition=Q(value__gte=0) & Q(value__lte=MAX_SCORE_MAX), name="judging_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.value}"


class SheetReopening(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="reopenings")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(_("reason"), max_length=REASON_MAX)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sheet", "at"]

    def __str__(self) -> str:
        return self.reason


class ResultsWithdrawal(models.Model):
    """Published results taken back by the jury's chair, with the reason (kept for good)."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="withdrawals")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(_("reason"), max_length=REASON_MAX)
    published_at = models.DateTimeField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["stage", "at"]

    def __str__(self) -> str:
        return self.reason


# --- The audience vote (decision 0030) ---------------------------------------------------------

BALLOT_CODE_LENGTH = 8
BALLOT_BATCH_MAX = 2_000  # ballots generated at one time (about 84 A4 pages)
BALLOTS_PER_STAGE_MAX = 50_000
POLL_DAYS_MAX = 31


class VoteMethod(models.TextChoices):
    BALLOT = "ballot", _("Printed ballot")
    PHONE = "phone", _("Phone with a one-time code")


class AudiencePoll(TimeStampedModel):
    """A stage's electronic audience vote: when it is open. Its votes replace the count the
    organiser typed in (:attr:`EntryStage.audience_votes`) in the stage's results."""

    stage = models.OneToOneField(Stage, on_delete=models.CASCADE, related_name="audience_poll")
    opens_at = models.DateTimeField(_("voting opens"))
    closes_at = models.DateTimeField(_("voting closes"))

    class Meta:
        verbose_name = _("audience vote")
        verbose_name_plural = _("audience votes")
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="judging_poll_times"),
        ]

    def __str__(self) -> str:
        return str(self.stage)

    def is_open(self, now: Any) -> bool:
        return bool(self.opens_at <= now < self.closes_at)


class Ballot(models.Model):
    """A printed ballot code (without its dash). Whether it was used is told by a
    :class:`VoterMark`, never by the vote."""

    poll = models.ForeignKey(AudiencePoll, on_delete=models.CASCADE, related_name="ballots")
    code = models.CharField(max_length=BALLOT_CODE_LENGTH, unique=True)
    batch = models.PositiveIntegerField()

    class Meta:
        ordering = ["poll", "batch", "pk"]
        indexes = [models.Index(fields=["poll", "batch"], name="judging_ballot_batch")]

    def __str__(self) -> str:
        return f"{self.code[:4]}-{self.code[4:]}"


class VoterMark(models.Model):
    """One spent right to vote: a ballot's or a phone's keyed hash, once per poll (the unique
    constraint is what makes a code count once however many times it is sent at once). It
    names no vote and no entry, and holds no time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(AudiencePoll, on_delete=models.CASCADE, related_name="+")
    method = models.CharField(max_length=10, choices=VoteMethod.choices)
    digest = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["poll", "digest"], name="judging_voter_mark_once")]

    def __str__(self) -> str:
        return f"{self.method} @ {self.poll_id}"


class AudienceVote(models.Model):
    """One vote: the stage, the entry, how it was cast and the day — nothing that names, reaches
    or dates the voter more closely. The primary key is random, so row order tells nothing."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="+")
    method = models.CharField(max_length=10, choices=VoteMethod.choices)
    day = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["stage", "entry"], name="judging_vote_stage_entry")]

    def __str__(self) -> str:
        return f"{self.entry_id} @ {self.stage_id}"


class PhoneChallenge(models.Model):
    """A one-time code sent to a phone, until it is used or expires: the phone's keyed hash, the
    code's keyed hash, the expiry and the tries. Deleted when the vote is cast."""

    token = models.CharField(primary_key=True, max_length=43)
    poll = models.ForeignKey(AudiencePoll, on_delete=models.CASCADE, related_name="+")
    phone_digest = models.CharField(max_length=64)
    code_digest = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    tries = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["poll", "expires_at"], name="judging_challenge_expiry")]

    def __str__(self) -> str:
        return f"code @ {self.poll_id}"


# --- Criteria assessments (decision 0033): their rows live beside their code ---------------------

from lantoa.judging.assessments.models import (  # noqa: E402
    Assessment,
    AssessmentCampaign,
    AssessmentEvidenceFile,
    AssessmentReopening,
    AssessmentScore,
)

__all__ = ["Assessment", "AssessmentCampaign", "AssessmentEvidenceFile", "AssessmentReopening", "AssessmentScore"]
