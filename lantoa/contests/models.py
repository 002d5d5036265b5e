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
