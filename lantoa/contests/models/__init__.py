"""Online knowledge contests — first slice: question banks.

A :class:`QuestionBank` belongs to one unit and holds :class:`Question` rows. A question is a
stable identity (its id and ``uid`` never change) whose content lives in
:class:`QuestionVersion` rows numbered 1, 2, 3…: editing a question always adds a version and
moves ``Question.current`` to it; a version is never changed after it is written, so an attempt
(a later slice) that points at a version id keeps exactly what its contestant saw. Retiring a
question sets ``retired_at``; nothing is deleted.

Only :mod:`lantoa.contests.services` writes these tables.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lantoa.core.models import TimeStampedModel

# Bounds on every text and list (the services check them first and say why; the columns hold them).
NAME_MAX = 200
DESCRIPTION_MAX = 2000
STEM_MAX = 2000
OPTION_MAX = 500
EXPLANATION_MAX = 2000
TAG_MAX = 60
TAGS_PER_QUESTION = 10
REF_MAX = 40
KEY_MAX = 64
MIN_OPTIONS, MAX_OPTIONS = 2, 8
OPTION_KEYS = "ABCDEFGH"  # an option's key is its letter, by position
DIFFICULTY_MIN, DIFFICULTY_MAX = 1, 3


class Kind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple select")
    TRUE_FALSE = "true_false", _("True or false")


class Scoring(models.TextChoices):
    """How a multiple-select answer scores. ``partial``: each correct option chosen earns its
    share, each wrong one chosen takes a share away, never below zero. Single choice and
    true/false are always all or nothing."""

    ALL_OR_NOTHING = "all_or_nothing", _("All or nothing")
    PARTIAL = "partial", _("Partial credit")


class Difficulty(models.IntegerChoices):
    EASY = 1, _("Easy")
    MEDIUM = 2, _("Medium")
    HARD = 3, _("Hard")


class QuestionBank(TimeStampedModel):
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=NAME_MAX)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX, blank=True)
    client_key = models.CharField(max_length=KEY_MAX, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("question bank")
        verbose_name_plural = _("question banks")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "client_key"], condition=~Q(client_key=""), name="contests_bank_client_key"
            )
        ]

    def __str__(self) -> str:
        return self.name


class QuestionTag(models.Model):
    """A tag of a bank ("Chương 1", "Lịch sử Đảng"…), shared by its questions.

    Tags are rows, not a JSON list on the question: a draw such as "5 from chapter 1, 5 from
    chapter 2" (a later slice) and the bank page's filter are then one indexed join on both
    databases (SQLite has no JSON containment lookup), a tag is spelled one way in a bank, and
    renaming it is one row."""

    bank = models.ForeignKey(QuestionBank, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(_("tag"), max_length=TAG_MAX)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        constraints = [models.UniqueConstraint(fields=["bank", "name"], name="contests_tag_once_per_bank")]

    def __str__(self) -> str:
        return self.name


class Question(TimeStampedModel):
    bank = models.ForeignKey(QuestionBank, on_delete=models.PROTECT, related_name="questions")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The organiser's own code for the question (a spreadsheet's "Mã câu hỏi", Moodle's idnumber):
    # importing the same question again finds it by this code.
    ref = models.CharField(_("code"), max_length=REF_MAX, blank=True)
    tags = models.ManyToManyField(QuestionTag, verbose_name=_("tags"), related_name="questions", blank=True)
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"), choices=Difficulty.choices, default=Difficulty.MEDIUM
    )
    source_document = models.ForeignKey(
        "library.Document",
        verbose_name=_("source document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    current = models.ForeignKey(
        "QuestionVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    version_count = models.PositiveIntegerField(default=0, editable=False)
    # The current version's stem and options, folded (no diacritics, lower case), for searching.
    search_folded = models.TextField(blank=True, editable=False)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    client_key = models.CharField(max_length=KEY_MAX, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["bank", "ref"], condition=~Q(ref=""), name="contests_question_ref"),
            models.UniqueConstraint(
                fields=["bank", "client_key"], condition=~Q(client_key=""), name="contests_question_client_key"
            ),
            models.CheckConstraint(
                condition=Q(difficulty__gte=DIFFICULTY_MIN) & Q(difficulty__lte=DIFFICULTY_MAX),
                name="contests_question_difficulty",
            ),
        ]

    def __str__(self) -> str:
        if self.current is not None:
            return self.current.stem[:80]
        return str(self.uid)


class QuestionVersion(models.Model):
    """What a question says at one moment. Written once, never changed."""

    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    stem = models.TextField(_("question"), max_length=STEM_MAX)
    # [{"key": "A", "text": "…"}, …]: 2–8 options, keys A, B, C… by position.
    options = models.JSONField(_("options"))
    correct = models.JSONField(_("correct options"))  # ["B"] or ["A", "C"]
    scoring = models.CharField(_("scoring"), max_length=16, choices=Scoring.choices, default=Scoring.ALL_OR_NOTHING)
    explanation = models.TextField(_("explanation"), max_length=EXPLANATION_MAX, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["question_id", "number"]
        verbose_name = _("question version")
        verbose_name_plural = _("question versions")
        constraints = [
            models.UniqueConstraint(fields=["question", "number"], name="contests_version_number_once"),
            models.CheckConstraint(condition=Q(number__gte=1), name="contests_version_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id} v{self.number}"

    def option_text(self, key: str) -> str:
        return next((o["text"] for o in self.options if o.get("key") == key), "")

    @property
    def content(self) -> dict[str, Any]:
        """What makes two versions the same question (for imports that meet one again)."""
        return {
            "kind": self.kind,
            "stem": self.stem,
            "options": [o["text"] for o in self.options],
            "correct": list(self.correct),
            "scoring": self.scoring,
            "explanation": self.explanation,
        }


# --- Contests, rounds, contestants and attempts ---------------------------------------------------
TITLE_MAX = 200
CONSENT_MAX = 2000
PROMPT_MAX = 500
CONTACT_MAX = 120
SIGNER_MAX = 200
QUESTIONS_PER_ATTEMPT_MAX = 100
TIME_LIMIT_MAX = 4 * 60 * 60
GRACE_MAX = 10 * 60
ATTEMPTS_ALLOWED_MAX = 1000
PRIZES_MAX = 1000
PREDICTION_MAX = 10**12
REFERRAL_LENGTH = 8
RETENTION_DAYS_DEFAULT = 90
RETENTION_DAYS_MAX = 3650


class Audience(models.TextChoices):
    PUBLIC = "public", _("Public")
    RESTRICTED = "restricted", _("Restricted to lists")


class ContestStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")


class ContestantGroup(models.TextChoices):
    CADRE = "cadre", _("Cadre, civil servant")
    PARTY_MEMBER = "party_member", _("Party member")
    STUDENT = "student", _("Student")
    OTHER = "other", _("Other")


DEFAULT_RANKING_ORDER = "prediction,duration,submitted"


class PredictionKind(models.TextChoices):
    NONE = "none", _("No prediction question")
    PERFECT_SCORES = "perfect_scores", _("How many people will answer everything correctly")
    ENTRIES = "entries", _("How many entries the round will get")


class Contest(TimeStampedModel):
    """A contest organised by a unit: its rounds, who may enter and what they are asked."""

    unit = models.ForeignKey("org.Unit", verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX, blank=True)
    audience = models.CharField(_("audience"), max_length=12, choices=Audience.choices, default=Audience.PUBLIC)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    # Identity fields asked at registration (the name always).
    ask_unit = models.BooleanField(_("ask the unit"), default=True)
    ask_group = models.BooleanField(_("ask the group"), default=True)
    ask_phone = models.BooleanField(_("ask a phone number (optional)"), default=False)
    ask_email = models.BooleanField(_("ask an e-mail address (optional)"), default=False)
    # Contacts a contestant must prove by a one-time code before starting an attempt (the contact
    # is then required at registration): lantoa.contests.services.verification.
    verify_phone = models.BooleanField(_("verify the phone number by a one-time code"), default=False)
    verify_email = models.BooleanField(_("verify the e-mail address by a one-time code"), default=False)
    consent_text = models.TextField(_("consent text"), max_length=CONSENT_MAX, blank=True)
    # Who signs the certificates (empty role: the head of the organising board).
    signer_role = models.CharField(_("signer's role"), max_length=SIGNER_MAX, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=NAME_MAX, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ContestStatus.choices, default=ContestStatus.DRAFT)
    prizes_individual = models.PositiveIntegerField(_("individual prizes per round"), default=0)
    prizes_collective = models.PositiveIntegerField(_("collective prizes per round"), default=0)
    # Referral ("spreading") prizes over the whole contest (lantoa.contests.referrals).
    referral_prizes = models.PositiveIntegerField(_("referral prizes"), default=0)
    # Days the payment details of a paid prize are kept (lantoa.contests.services.claims).
    claim_retention_days = models.PositiveIntegerField(
        _("days payment details are kept after paying"), default=RETENTION_DAYS_DEFAULT
    )
    client_key = models.CharField(max_length=KEY_MAX, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "client_key"], condition=~Q(client_key=""), name="contests_contest_client_key"
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True) | (Q(min_age__gte=1) & Q(min_age__lte=100)),
                name="contests_contest_min_age",
            ),
            models.CheckConstraint(
                condition=Q(prizes_individual__lte=PRIZES_MAX)
                & Q(prizes_collective__lte=PRIZES_MAX)
                & Q(referral_prizes__lte=PRIZES_MAX),
                name="contests_contest_prizes",
            ),
            models.CheckConstraint(
                condition=Q(claim_retention_days__gte=1) & Q(claim_retention_days__lte=RETENTION_DAYS_MAX),
                name="contests_contest_claim_retention",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Round(TimeStampedModel):
    """A round (usually a week) of a contest: when it is open, what an attempt draws, how long it
    lasts and how many each contestant may start."""

    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=TITLE_MAX, blank=True)
    bank = models.ForeignKey(QuestionBank, verbose_name=_("question bank"), on_delete=models.PROTECT, related_name="+")
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    window_start = models.TimeField(_("daily window from"), null=True, blank=True)
    window_end = models.TimeField(_("daily window until"), null=True, blank=True)
    weekdays = models.CharField(_("weekdays"), max_length=7, blank=True)  # "12345": Monday to Friday
    questions_per_attempt = models.PositiveSmallIntegerField(_("questions per attempt"), default=20)
    draw_rules = models.JSONField(_("draw rules"), default=list, blank=True)  # [{"tag": "…", "count": 5}]
    time_limit_seconds = models.PositiveIntegerField(_("time limit (seconds)"), default=600)
    grace_seconds = models.PositiveIntegerField(_("grace (seconds)"), default=30)
    attempts_allowed = models.PositiveIntegerField(_("attempts allowed"), default=1)  # 0: unlimited
    prediction_kind = models.CharField(
        _("prediction question"), max_length=16, choices=PredictionKind.choices, default=PredictionKind.NONE
    )
    prediction_prompt = models.CharField(_("prediction prompt"), max_length=PROMPT_MAX, blank=True)
    prediction_actual = models.BigIntegerField(_("actual figure"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The ranking's tie-breaks after the score, in order (lantoa.contests.ranking): a comma-separated
    # list of "prediction", "duration", "submitted"; the attempt's id breaks what they leave.
    ranking_order = models.CharField(_("ranking order"), max_length=64, default=DEFAULT_RANKING_ORDER)
    results_published_at = models.DateTimeField(_("results published at"), null=True, blank=True)

    class Meta:
        ordering = ["contest_id", "number", "pk"]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        constraints = [
            models.UniqueConstraint(fields=["contest", "number"], name="contests_round_number_once"),
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="contests_round_times"),
            models.CheckConstraint(
                condition=Q(questions_per_attempt__gte=1) & Q(questions_per_attempt__lte=QUESTIONS_PER_ATTEMPT_MAX),
                name="contests_round_questions",
            ),
            models.CheckConstraint(
                condition=Q(time_limit_seconds__gte=10) & Q(time_limit_seconds__lte=TIME_LIMIT_MAX),
                name="contests_round_time_limit",
            ),
            models.CheckConstraint(condition=Q(grace_seconds__lte=GRACE_MAX), name="contests_round_grace"),
            models.CheckConstraint(
                condition=Q(attempts_allowed__lte=ATTEMPTS_ALLOWED_MAX), name="contests_round_attempts"
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.contest_id} #{self.number}"


class Contestant(models.Model):
    """Someone who registered for a contest. Not a Django user: they hold a secret given once at
    registration; the row keeps only its SHA-256 (``key_hash``)."""

    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="contestants")
    name = models.CharField(_("full name"), max_length=NAME_MAX)
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    group = models.CharField(_("group"), max_length=16, choices=ContestantGroup.choices, blank=True)
    phone = models.CharField(_("phone"), max_length=CONTACT_MAX, blank=True)
    email = models.CharField(_("e-mail"), max_length=CONTACT_MAX, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    guardian_consent = models.BooleanField(_("guardian's consent"), default=False)
    consented_at = models.DateTimeField(_("consented at"))
    referral_code = models.CharField(_("referral code"), max_length=16, unique=True)
    referred_by = models.ForeignKey(
        "self", verbose_name=_("referred by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), editable=False)
    # What duplicate detection groups by (lantoa.contests.duplicates): the name folded, the
    # phone's digits, the e-mail in one case; written at registration, off the attempt path.
    name_key = models.CharField(max_length=NAME_MAX, blank=True, editable=False)
    phone_key = models.CharField(max_length=CONTACT_MAX, blank=True, editable=False)
    email_key = models.CharField(max_length=CONTACT_MAX, blank=True, editable=False)
    # Set by an organiser: left out of the rankings from the round's next close; attempts kept.
    excluded_at = models.DateTimeField(_("excluded from rankings"), null=True, blank=True)
    # When the contestant typed the one-time code sent to their phone / e-mail (the time only).
    phone_verified_at = models.DateTimeField(_("phone verified at"), null=True, blank=True)
    email_verified_at = models.DateTimeField(_("e-mail verified at"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("contestant")
        verbose_name_plural = _("contestants")
        indexes = [
            models.Index(fields=["contest", "phone_key"], name="contests_contestant_phone", condition=~Q(phone_key="")),
            models.Index(fields=["contest", "email_key"], name="contests_contestant_email", condition=~Q(email_key="")),
            models.Index(
                fields=["excluded_at"], name="contests_contestant_excluded", condition=Q(excluded_at__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ContactMedium(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")


class ContactChallenge(models.Model):
    """A one-time code sent to a contestant's phone or e-mail, until it is typed or expires
    (:mod:`lantoa.core.onetime`): the code's keyed hash with the request's token, the expiry and
    the tries. A new request replaces the contestant's earlier one for the same contact; the
    row is deleted once the code is typed."""

    token = models.CharField(primary_key=True, max_length=43)
    contestant = models.ForeignKey(Contestant, on_delete=models.CASCADE, related_name="+")
    medium = models.CharField(max_length=8, choices=ContactMedium.choices)
    code_digest = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    tries = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("contact code")
        verbose_name_plural = _("contact codes")
        indexes = [
            models.Index(fields=["contestant", "medium"], name="contests_challenge_contact"),
            models.Index(fields=["expires_at"], name="contests_challenge_expiry"),
        ]

    def __str__(self) -> str:
        return f"code @ {self.contestant_id}"


class Attempt(models.Model):
    """One attempt at a round: started (and counted against the round's limit) when its
    questions are drawn, graded once when submitted. The id is random, so it says nothing.

    ``questions``: ``[[version_id, "CADB"], …]`` — the version shown and its options' order (the
    option shown first is the version's C…). ``answers``: the version's own option keys chosen,
    one string per question (``["B", "AC", ""]``). ``number``: 1, 2, 3… per contestant and round,
    unique, so two starts at once cannot both take the last attempt allowed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="attempts")
    contestant = models.ForeignKey(Contestant, on_delete=models.PROTECT, related_name="attempts")
    unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    deadline = models.DateTimeField()
    questions = models.JSONField()
    prediction = models.BigIntegerField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_on = models.DateField(null=True, blank=True)  # the local day, for the rollup
    answers = models.JSONField(null=True, blank=True)
    score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    correct_count = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    client_key = models.CharField(max_length=KEY_MAX, blank=True)

    class Meta:
        ordering = ["started_at"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            models.UniqueConstraint(fields=["round", "contestant", "number"], name="contests_attempt_number_once"),
            models.UniqueConstraint(
                fields=["contestant", "round", "client_key"],
                condition=~Q(client_key=""),
                name="contests_attempt_client_key",
            ),
        ]
        indexes = [
            models.Index(fields=["round", "submitted_at"], name="contests_attempt_round_sub"),
            # The rollup's read of entries and participants (unit, day, contestant) from the index
            # alone, without the wide rows (their questions and answers).
            models.Index(
                fields=["unit", "submitted_on", "contestant"],
                name="contests_attempt_rollup",
                condition=models.Q(submitted_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return str(self.id)


# --- Results of a closed round (lantoa.contests.services.results) --------------------------------


class RoundResult(models.Model):
    """A contestant's place in a closed round: their counted attempt (the one that ranks best
    under the round's order) and its rank. Written in bulk when the round closes, replaced whole
    when it closes again. ``position`` is the row's place in the full order (1, 2, 3…, ties
    broken by the attempt's id, for paging); ``rank`` is shared by ties the order cannot break
    (1, 2, 2, 4)."""

    # Read through the two indexes below; no index of their own, so writing a million results
    # maintains three indexes (with the primary key), not six. The contestant, attempt and unit are copied from
    # the attempts by the same statement that writes the row, so the database is not asked to
    # check them again row by row (contestants, attempts and units are never deleted; the ORM
    # still protects them). Nor is the round, which the closing transaction holds locked: its
    # check, deferred to the commit, was one lookup per row, about a second and a half for a
    # million attempts on PostgreSQL. Deleting a round through the ORM still deletes its results.
    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="results", db_index=False, db_constraint=False
    )
    contestant = models.ForeignKey(
        Contestant, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    attempt = models.ForeignKey(
        Attempt, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    unit = models.ForeignKey(
        "org.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    position = models.PositiveIntegerField()
    rank = models.PositiveIntegerField()
    score = models.DecimalField(max_digits=7, decimal_places=2)
    prediction = models.BigIntegerField(null=True, blank=True)
    closeness = models.BigIntegerField(null=True, blank=True)  # |prediction - actual|
    duration_ms = models.PositiveIntegerField()
    submitted_at = models.DateTimeField()
    entries = models.PositiveIntegerField()  # the contestant's attempts submitted in the round
    prize = models.BooleanField(default=False)

    class Meta:
        ordering = ["round_id", "position"]
        verbose_name = _("round result")
        verbose_name_plural = _("round results")
        constraints = [
            models.UniqueConstraint(fields=["round", "position"], name="contests_result_position_once"),
        ]
        # One row per contestant is the closing statement's own doing (it keeps each contestant's
        # best attempt only, asserted in the tests), so this index is not unique: on PostgreSQL a
        # unique index makes every row written when a round closes again look up, in the table,
        # the row of the same contestant that the same transaction has just deleted — a third of
        # the time of closing a round of a million attempts.
        indexes = [models.Index(fields=["round", "contestant"], name="contests_result_contestant")]

    def __str__(self) -> str:
        return f"{self.round_id} #{self.rank}"


class UnitResult(models.Model):
    """A unit directly under the organiser, ranked when the round closed: distinct contestants
    and entries of its whole subtree (today's structure), its participation rate against its
    Party members, its rank and whether it takes a collective prize."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="unit_results")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveIntegerField()
    contestants = models.PositiveIntegerField()
    entries = models.PositiveIntegerField()
    denominator = models.BigIntegerField(null=True, blank=True)
    rate = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    prize = models.BooleanField(default=False)

    class Meta:
        ordering = ["round_id", "rank", "unit_id"]
        verbose_name = _("unit result")
        verbose_name_plural = _("unit results")
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="contests_unit_result_once")]

    def __str__(self) -> str:
        return f"{self.round_id} {self.unit_id} #{self.rank}"


class ExternalResult(models.Model):
    """A unit's figures for one period of the contest run on another platform, imported from a
    file: people (each counted once) and entries (attempts). ``day`` is the period's last day,
    the day they count on. Importing a period again replaces all of that period's rows
    (``period_key`` is the period folded, so "Tuần 1" and "tuần 1" are one period)."""

    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="external_results")
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    period = models.CharField(pgettext_lazy("external results", "period"), max_length=100)
    period_key = models.CharField(max_length=100, editable=False)
    day = models.DateField(_("date"))
    participants = models.PositiveIntegerField(pgettext_lazy("external results", "participants"))
    entries = models.PositiveIntegerField(pgettext_lazy("external results", "entries"))
    imported_at = models.DateTimeField(_("imported at"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["contest_id", "day", "period_key", "unit_id"]
        verbose_name = _("result from another platform")
        verbose_name_plural = _("results from another platform")
        constraints = [
            models.UniqueConstraint(fields=["contest", "period_key", "unit"], name="contests_external_once"),
        ]
        indexes = [models.Index(fields=["unit", "day"], name="contests_external_unit_day")]

    def __str__(self) -> str:
        return f"{self.contest_id} {self.period} {self.unit_id}"


POSITION_MAX = 200
INVITATION_LENGTH = 8  # letters and digits without look-alikes: about 10¹² codes per contest


class EligiblePerson(models.Model):
    """Someone on a restricted contest's list, imported by the organiser (a cadre with their unit
    and position). ``invitation`` is the code they register with, given to them by their unit;
    registering ties it to one contestant, once. Unused entries may be removed; used ones stay
    with their contestant."""

    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="eligible")
    name = models.CharField(_("full name"), max_length=NAME_MAX)
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    position = models.CharField(_("position"), max_length=POSITION_MAX, blank=True)
    invitation = models.CharField(_("registration code"), max_length=INVITATION_LENGTH)
    contestant = models.OneToOneField(
        Contestant, null=True, blank=True, on_delete=models.PROTECT, related_name="eligible_entry"
    )
    imported_at = models.DateTimeField(_("imported at"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["contest_id", "unit_id", "pk"]
        verbose_name = _("person on the list")
        verbose_name_plural = _("people on the list")
        constraints = [
            models.UniqueConstraint(fields=["contest", "invitation"], name="contests_eligible_invitation_once"),
        ]

    def __str__(self) -> str:
        return self.name


class DuplicateDismissal(models.Model):
    """An organiser's word that two contestants flagged as alike are two people (``first`` is the
    one with the smaller id)."""

    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="+")
    first = models.ForeignKey(Contestant, on_delete=models.PROTECT, related_name="+")
    second = models.ForeignKey(Contestant, on_delete=models.PROTECT, related_name="+")
    dismissed_at = models.DateTimeField(_("marked at"))
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["contest_id", "first_id", "second_id"]
        verbose_name = _("not a duplicate")
        verbose_name_plural = _("not duplicates")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="contests_dismissal_once"),
            models.CheckConstraint(condition=Q(first__lt=models.F("second")), name="contests_dismissal_order"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ≠ {self.second_id}"


# Prize claims live in their own module; imported here so Django and the app see one models module.
from lantoa.contests.models.claims import (  # noqa: E402
    ACCOUNT_MAX,
    BANK_NAME_MAX,
    ClaimStatus,
    PayoutMethod,
    PrizeClaim,
)

__all__ = ["ACCOUNT_MAX", "BANK_NAME_MAX", "ClaimStatus", "PayoutMethod", "PrizeClaim"]
