"""Anonymous surveys: questionnaires in versions, one-time tokens in batches, unlinkable answers.

A survey belongs to an owner unit and speaks to an audience (a root unit, optionally only the
units of one tier or the sites of one conference). Its questions live in sections; each
question's texts and options live in :class:`QuestionVersion` rows: once a version has answers
it is never changed again, an edit writes a new version and the answers keep the one they
answered (``Question.current`` moves).

Tokens are issued in batches per unit. The answer row (:class:`Answer`) keeps the survey, the
unit (from the batch), the day and its items — nothing that points back to a token, a batch, a
time of day, an address or an account; its keys are random UUIDs, and the daily reseal
(:func:`lantoa.surveys.services.answers_reseal`) rewrites past days in a random order. See
docs/decisions/0031-survey-anonymity-threat-model.md.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from lantoa.core.models import TimeStampedModel

TITLE_MAX = 200
TEXT_MAX = 2_000
OPTION_MAX = 200
OPTIONS_MAX = 20
SCALE_MIN = 2
SCALE_MAX = 10
NUMBER_BOUND = 1_000_000
FREE_TEXT_MAX = 500
BATCH_SIZE_MAX = 5_000
TOKEN_LENGTH = 10
QUESTIONS_MAX = 100
SECTIONS_MAX = 20


def _bilingual(vi: str, en: str) -> str:
    return en if (get_language() or "vi").startswith("en") and en else vi


class SurveyMode(models.TextChoices):
    TOKENS = "tokens", _("One-time cards")
    OPEN_LINK = "open_link", _("Open link (not one per person)")


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", pgettext_lazy("survey", "Open")
    CLOSED = "closed", _("Closed")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    RATING = "rating", _("Rating scale")
    NUMBER = "number", pgettext_lazy("survey", "Number")
    TEXT = "text", _("Short free text")


CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)


class Survey(TimeStampedModel):
    owner = models.ForeignKey("org.Unit", verbose_name=_("owner unit"), on_delete=models.PROTECT, related_name="+")
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=TITLE_MAX)
    title_en = models.CharField(_("title (English)"), max_length=TITLE_MAX, blank=True)
    intro_vi = models.TextField(_("introduction (Vietnamese)"), max_length=TEXT_MAX, blank=True)
    intro_en = models.TextField(_("introduction (English)"), max_length=TEXT_MAX, blank=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    audience_root = models.ForeignKey(
        "org.Unit", verbose_name=pgettext_lazy("survey", "audience"), on_delete=models.PROTECT, related_name="+"
    )
    audience_tier = models.ForeignKey(
        "org.Tier", verbose_name=_("only units of the tier"), null=True, blank=True, on_delete=models.PROTECT
    )
    audience_conference = models.ForeignKey(
        "meetings.Conference",
        verbose_name=_("only the sites of the conference"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    mode = models.CharField(_("mode"), max_length=12, choices=SurveyMode.choices, default=SurveyMode.TOKENS)
    status = models.CharField(_("status"), max_length=8, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT)
    # The public link's code (open-link mode), random; empty for token surveys.
    link_code = models.CharField(max_length=24, blank=True, db_index=True)
    # The answers of days up to this one have been rewritten in a random order.
    sealed_through = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-opens_on", "pk"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="surveys_survey_dates"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return _bilingual(self.title_vi, self.title_en)

    @property
    def intro(self) -> str:
        return _bilingual(self.intro_vi, self.intro_en)


class Section(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField()
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=TITLE_MAX)
    title_en = models.CharField(_("title (English)"), max_length=TITLE_MAX, blank=True)

    class Meta:
        ordering = ["survey", "position", "pk"]
        verbose_name = pgettext_lazy("survey", "section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return _bilingual(self.title_vi, self.title_en)


class Question(models.Model):
    """A question's place in its section; its texts are in :attr:`current`'s version."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    current = models.ForeignKey("QuestionVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["section", "position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return str(self.current) if self.current_id else f"#{self.pk}"


class QuestionVersion(models.Model):
    """Never changed once an answer points to it."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    text_vi = models.CharField(_("question (Vietnamese)"), max_length=TEXT_MAX)
    text_en = models.CharField(_("question (English)"), max_length=TEXT_MAX, blank=True)
    required = models.BooleanField(_("answer required"), default=False)
    scale = models.PositiveSmallIntegerField(_("rating scale (1 to N)"), null=True, blank=True)
    minimum = models.IntegerField(_("smallest number"), null=True, blank=True)
    maximum = models.IntegerField(_("largest number"), null=True, blank=True)
    # Set by the editor when the text touches political views, party membership or religion.
    sensitive = models.BooleanField(_("sensitive topic"), default=False, editable=False)

    class Meta:
        ordering = ["question", "number"]
        verbose_name = _("question version")
        verbose_name_plural = _("question versions")
        constraints = [
            models.UniqueConstraint(fields=["question", "number"], name="surveys_question_version_unique"),
            models.CheckConstraint(
                condition=Q(scale__isnull=True) | (Q(scale__gte=SCALE_MIN) & Q(scale__lte=SCALE_MAX)),
                name="surveys_version_scale",
            ),
            models.CheckConstraint(
                condition=Q(minimum__isnull=True)
                | Q(maximum__isnull=True)
                | (Q(minimum__lte=models.F("maximum")) & Q(minimum__gte=-NUMBER_BOUND) & Q(maximum__lte=NUMBER_BOUND)),
                name="surveys_version_bounds",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return _bilingual(self.text_vi, self.text_en)


class Option(models.Model):
    version = models.ForeignKey(QuestionVersion, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField()
    text_vi = models.CharField(_("option (Vietnamese)"), max_length=OPTION_MAX)
    text_en = models.CharField(_("option (English)"), max_length=OPTION_MAX, blank=True)

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("option")
        verbose_name_plural = _("options")
        constraints = [models.UniqueConstraint(fields=["version", "position"], name="surveys_option_position")]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return _bilingual(self.text_vi, self.text_en)


class TokenBatch(models.Model):
    """Cards for one unit: the issuer knows the unit and the batch, never who got which card."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="batches")
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    size = models.PositiveIntegerField(_("number of cards"))
    issued_on = models.DateField(pgettext_lazy("survey", "issued on"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["survey", "unit", "pk"]
        verbose_name = _("token batch")
        verbose_name_plural = _("token batches")
        constraints = [
            models.CheckConstraint(condition=Q(size__gte=1) & Q(size__lte=BATCH_SIZE_MAX), name="surveys_batch_size"),
        ]

    def __str__(self) -> str:
        return f"{self.survey} · {self.unit} · {self.size}"


class Token(models.Model):
    """One card. ``used_on`` is the day it was used (a date, never a time)."""

    batch = models.ForeignKey(TokenBatch, on_delete=models.CASCADE, related_name="tokens")
    code = models.CharField(max_length=TOKEN_LENGTH, unique=True)
    used_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["batch", "code"]
        verbose_name = _("token")
        verbose_name_plural = _("tokens")

    def __str__(self) -> str:
        return self.code


class Answer(models.Model):
    """One filled questionnaire: the survey, the unit (from the card's batch) and the day. Nothing
    else — no token, batch, time, address, agent or account."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="answers")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [
            models.Index(fields=["survey", "unit"], name="surveys_answer_survey_unit"),
            # Results count the items of the days not yet tallied (lantoa.surveys.tallies).
            models.Index(fields=["survey", "day"], name="surveys_answer_survey_day"),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id} · {self.unit_id} · {self.day}"


class AnswerItem(models.Model):
    """The answer to one question (one row per chosen option for a multiple choice)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="items")
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="items")
    option = models.ForeignKey(Option, null=True, blank=True, on_delete=models.PROTECT, related_name="items")
    number = models.IntegerField(null=True, blank=True)  # a rating (1..N) or a number
    text = models.CharField(max_length=FREE_TEXT_MAX, blank=True)

    class Meta:
        verbose_name = _("answer item")
        verbose_name_plural = _("answer items")
        indexes = [models.Index(fields=["version", "option"], name="surveys_item_version_option")]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__isnull=True) | (Q(number__gte=-NUMBER_BOUND) & Q(number__lte=NUMBER_BOUND)),
                name="surveys_item_number_bounds",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version_id}"


EMAIL_MAX = 254


class LinkSending(models.Model):
    """Links sent by e-mail to named people of one unit: a batch of cards, one link each, whose
    codes were shuffled before sending and never written beside an address. The addresses
    (:class:`LinkRecipient`) are kept apart from the cards, so nothing in an answer, a card or this
    list says who got which link."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="sendings")
    batch = models.OneToOneField(TokenBatch, on_delete=models.PROTECT, related_name="sending")
    sent_on = models.DateField(pgettext_lazy("survey", "sent on"))
    sent = models.PositiveIntegerField(_("sent"), default=0)
    unreachable = models.PositiveIntegerField(_("not sent"), default=0)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["survey", "pk"]
        verbose_name = _("links sent by e-mail")
        verbose_name_plural = _("links sent by e-mail")

    def __str__(self) -> str:
        return f"{self.survey_id} · {self.batch_id}"


class LinkRecipient(models.Model):
    """One address a sending went to — nothing of the card it received."""

    sending = models.ForeignKey(LinkSending, on_delete=models.CASCADE, related_name="recipients")
    email = models.CharField(_("e-mail"), max_length=EMAIL_MAX)

    class Meta:
        ordering = ["sending", "email"]
        verbose_name = _("recipient of a link")
        verbose_name_plural = _("recipients of links")
        constraints = [models.UniqueConstraint(fields=["sending", "email"], name="surveys_link_recipient_once")]

    def __str__(self) -> str:
        return self.email


class ResultTally(models.Model):
    """Counts of the answers of resealed days (up to the survey's ``sealed_through``), written by the
    reseal in its own transaction, so that results read these few rows and only the items of the
    days since. Per unit and question version: the respondents (option and number empty; for a
    number question ``total`` is the sum of the numbers given), each option chosen, each point of a
    rating. Counts only — no answer, item or day — so they tell nothing the results do not."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="tallies")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+")
    option = models.ForeignKey(Option, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    number = models.IntegerField(null=True, blank=True)
    answers = models.PositiveIntegerField()
    total = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("result tally")
        verbose_name_plural = _("result tallies")

    def __str__(self) -> str:
        return f"{self.survey_id} · {self.unit_id} · {self.version_id}"
