"""Shapes of the contests API: what it accepts and what it answers.

Bodies are strict (:class:`~lantoa.core.api_input.StrictInput`: the declared types only, unknown
fields refused) and every text and list is bounded like the columns behind it, so a request too
long or too large is refused with 422 before anything is written. The answer key (``correct``)
is for the bank's readers, who are staff; contestants never reach these endpoints.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import BaseModel

from lantoa.contests.models import (
    ACCOUNT_MAX,
    ATTEMPTS_ALLOWED_MAX,
    BANK_NAME_MAX,
    CONSENT_MAX,
    CONTACT_MAX,
    DEFAULT_RANKING_ORDER,
    DESCRIPTION_MAX,
    DIFFICULTY_MAX,
    DIFFICULTY_MIN,
    EXPLANATION_MAX,
    GRACE_MAX,
    KEY_MAX,
    MAX_OPTIONS,
    NAME_MAX,
    OPTION_MAX,
    PREDICTION_MAX,
    PRIZES_MAX,
    PROMPT_MAX,
    QUESTIONS_PER_ATTEMPT_MAX,
    REF_MAX,
    RETENTION_DAYS_DEFAULT,
    RETENTION_DAYS_MAX,
    SIGNER_MAX,
    STEM_MAX,
    TAG_MAX,
    TAGS_PER_QUESTION,
    TIME_LIMIT_MAX,
    TITLE_MAX,
)
from lantoa.core.api_input import (
    MULTILINE,
    ClockTime,
    ClockTimeOut,
    Id,
    IsoDateTime,
    Limit,
    LongText,
    Offset,
    QueryInput,
    StrictInput,
)

__all__ = ["Id"]

KindCode = Literal["single", "multiple", "true_false"]
ScoringCode = Literal["all_or_nothing", "partial"]
Difficulty = Annotated[int, Field(ge=DIFFICULTY_MIN, le=DIFFICULTY_MAX)]
OptionText = Annotated[str, Field(max_length=OPTION_MAX)]
OptionKey = Annotated[str, Field(pattern=r"^[A-Ha-h]$")]
Tag = Annotated[str, Field(max_length=TAG_MAX)]


class Window(QueryInput):
    limit: Limit = Field(100, description="Page size (at most 500).")
    offset: Offset = 0


class BankQuery(Window):
    q: str = Field("", max_length=200, description="Part of the bank's name.")


class QuestionQuery(Window):
    tag: str = Field("", max_length=TAG_MAX, description="Only questions with this tag.")
    q: str = Field("", max_length=200, description="Words of the question or its options (diacritics ignored).")
    retired: bool = Field(False, description="The retired questions instead of those in use.")


class ExportQuery(QueryInput):
    format: Literal["xlsx", "moodle"] = Field("xlsx", description="XLSX (one row per question) or Moodle XML.")


# --- Banks -------------------------------------------------------------------------------------


class BankIn(StrictInput):
    unit: str = Field(..., max_length=64, description="Code of the unit that keeps the bank.")
    name: str = Field(..., max_length=NAME_MAX)
    description: LongText = Field("", max_length=DESCRIPTION_MAX)
    client_key: str = Field("", max_length=KEY_MAX, description="Sending the same key again returns the first bank.")


class BankPatch(StrictInput):
    """Only the fields sent change."""

    name: str | None = Field(None, max_length=NAME_MAX)
    # The marker of a multiline text is read on the field itself, so it wraps the optional type.
    description: Annotated[str | None, MULTILINE] = Field(None, max_length=DESCRIPTION_MAX)


class TagOut(Schema):
    name: str
    question_count: int


class BankOut(Schema):
    id: int
    unit: str
    unit_name: str
    name: str
    description: str
    question_count: int
    may_change: bool
    created_at: dt.datetime
    updated_at: dt.datetime


class BankListOut(Schema):
    items: list[BankOut]
    count: int


class BankDetailOut(BankOut):
    tags: list[TagOut]


# --- Questions ---------------------------------------------------------------------------------


class QuestionIn(StrictInput):
    kind: KindCode = "single"
    stem: LongText = Field(..., max_length=STEM_MAX)
    options: list[OptionText] = Field(
        default_factory=list,
        max_length=MAX_OPTIONS,
        description="The options' texts in order; their keys are A, B, C… (true or false: empty for Đúng / Sai).",
    )
    correct: list[OptionKey] = Field(
        ..., min_length=1, max_length=MAX_OPTIONS, description="Keys of the correct options."
    )
    scoring: ScoringCode = Field("all_or_nothing", description="partial: multiple select only.")
    explanation: LongText = Field("", max_length=EXPLANATION_MAX)
    tags: list[Tag] = Field(default_factory=list, max_length=TAGS_PER_QUESTION)
    difficulty: Difficulty = 2
    source_document: Id | None = Field(None, description="Id of a library document the question comes from.")
    ref: str = Field("", max_length=REF_MAX, description="The bank's own code for the question (unique in the bank).")


class QuestionCreateIn(QuestionIn):
    client_key: str = Field(
        "", max_length=KEY_MAX, description="Sending the same key again returns the first question."
    )


class OptionOut(Schema):
    key: str
    text: str


class QuestionVersionOut(Schema):
    id: int
    number: int
    kind: str
    stem: str
    options: list[OptionOut]
    correct: list[str]
    scoring: str
    explanation: str
    created_at: dt.datetime
    created_by: str


class QuestionOut(Schema):
    id: int
    uid: str
    bank: int
    ref: str
    tags: list[str]
    difficulty: int
    source_document: int | None
    retired_at: dt.datetime | None
    version_count: int
    current: QuestionVersionOut


class QuestionListOut(Schema):
    items: list[QuestionOut]
    count: int


class QuestionDetailOut(QuestionOut):
    versions: list[QuestionVersionOut]
    may_change: bool


# --- Import ------------------------------------------------------------------------------------


class SkippedOut(Schema):
    position: int
    name: str
    type: str
    reason: str


class BankImportOut(Schema):
    created: int
    revised: int
    unchanged: int
    questions: list[int]
    skipped: list[SkippedOut]
    message: str


# --- Contests and rounds (organisers) ------------------------------------------------------------
AudienceCode = Literal["public", "restricted"]
StatusCode = Literal["draft", "published", "closed"]
GroupCode = Literal["cadre", "party_member", "student", "other"]
PredictionCode = Literal["none", "perfect_scores", "entries"]
MinAge = Annotated[int, Field(ge=1, le=100)]
Prizes = Annotated[int, Field(ge=0, le=PRIZES_MAX)]
RetentionDays = Annotated[
    int, Field(ge=1, le=RETENTION_DAYS_MAX, description="Days payment details are kept after paying.")
]


class ContestIn(StrictInput):
    unit: str = Field(..., max_length=64, description="Code of the organising unit.")
    title: str = Field(..., max_length=TITLE_MAX)
    description: LongText = Field("", max_length=DESCRIPTION_MAX)
    audience: AudienceCode = "public"
    min_age: MinAge | None = Field(None, description="Minimum age (12, 14…); asks the year of birth.")
    ask_unit: bool = True
    ask_group: bool = True
    ask_phone: bool = False
    ask_email: bool = False
    verify_phone: bool = Field(False, description="Verify the phone by a one-time code (needs ask_phone).")
    verify_email: bool = Field(False, description="Verify the e-mail by a one-time code (needs ask_email).")
    consent_text: LongText = Field("", max_length=CONSENT_MAX)
    signer_role: str = Field("", max_length=SIGNER_MAX, description="Who signs the certificates, e.g. TRƯỞNG BAN.")
    signer_name: str = Field("", max_length=NAME_MAX, description="The signer's name on the certificates.")
    status: StatusCode = "draft"
    prizes_individual: Prizes = 0
    prizes_collective: Prizes = 0
    referral_prizes: Prizes = 0
    claim_retention_days: RetentionDays = RETENTION_DAYS_DEFAULT
    client_key: str = Field("", max_length=KEY_MAX, description="Sending the same key again returns the first contest.")


class ContestPatch(StrictInput):
    """Only the fields sent change."""

    title: str | None = Field(None, max_length=TITLE_MAX)
    description: Annotated[str | None, MULTILINE] = Field(None, max_length=DESCRIPTION_MAX)
    audience: AudienceCode | None = None
    min_age: MinAge | None = None
    ask_unit: bool | None = None
    ask_group: bool | None = None
    ask_phone: bool | None = None
    ask_email: bool | None = None
    verify_phone: bool | None = None
    verify_email: bool | None = None
    consent_text: Annotated[str | None, MULTILINE] = Field(None, max_length=CONSENT_MAX)
    signer_role: str | None = Field(None, max_length=SIGNER_MAX)
    signer_name: str | None = Field(None, max_length=NAME_MAX)
    status: StatusCode | None = None
    prizes_individual: Prizes | None = None
    prizes_collective: Prizes | None = None
    referral_prizes: Prizes | None = None
    claim_retention_days: RetentionDays | None = None


class ContestOut(Schema):
    id: int
    unit: str
    unit_name: str
    title: str
    description: str
    audience: str
    min_age: int | None
    ask_unit: bool
    ask_group: bool
    ask_phone: bool
    ask_email: bool
    verify_phone: bool
    verify_email: bool
    consent_text: str
    signer_role: str
    signer_name: str
    status: str
    prizes_individual: int
    prizes_collective: int
    referral_prizes: int
    claim_retention_days: int
    may_change: bool
    created_at: dt.datetime
    updated_at: dt.datetime


class ContestListOut(Schema):
    items: list[ContestOut]
    count: int


class DrawRule(StrictInput):
    tag: Tag
    count: Annotated[int, Field(ge=1, le=QUESTIONS_PER_ATTEMPT_MAX)]


class RoundIn(StrictInput):
    bank: Id
    opens_at: IsoDateTime
    closes_at: IsoDateTime
    title: str = Field("", max_length=TITLE_MAX)
    number: Annotated[int, Field(ge=1, le=1000)] | None = None
    window_start: ClockTime | None = None
    window_end: ClockTime | None = None
    weekdays: str = Field("", pattern=r"^[1-7]{0,7}$", description='Days open, 1 = Monday: "12345".')
    questions_per_attempt: Annotated[int, Field(ge=1, le=QUESTIONS_PER_ATTEMPT_MAX)] = 20
    draw_rules: list[DrawRule] = Field(default_factory=list, max_length=20)
    time_limit_seconds: Annotated[int, Field(ge=10, le=TIME_LIMIT_MAX)] = 600
    grace_seconds: Annotated[int, Field(ge=0, le=GRACE_MAX)] = 30
    attempts_allowed: Annotated[int, Field(ge=0, le=ATTEMPTS_ALLOWED_MAX)] = Field(1, description="0: unlimited.")
    prediction_kind: PredictionCode = "none"
    prediction_prompt: str = Field("", max_length=PROMPT_MAX)
    ranking_order: str = Field(
        DEFAULT_RANKING_ORDER,
        max_length=64,
        description="The tie-breaks after the score, in order: prediction, duration, submitted.",
    )


class RoundPatch(StrictInput):
    """Only the fields sent change."""

    bank: Id | None = None
    opens_at: IsoDateTime | None = None
    closes_at: IsoDateTime | None = None
    title: str | None = Field(None, max_length=TITLE_MAX)
    window_start: ClockTime | None = None
    window_end: ClockTime | None = None
    weekdays: str | None = Field(None, pattern=r"^[1-7]{0,7}$")
    questions_per_attempt: Annotated[int, Field(ge=1, le=QUESTIONS_PER_ATTEMPT_MAX)] | None = None
    draw_rules: list[DrawRule] | None = Field(None, max_length=20)
    time_limit_seconds: Annotated[int, Field(ge=10, le=TIME_LIMIT_MAX)] | None = None
    grace_seconds: Annotated[int, Field(ge=0, le=GRACE_MAX)] | None = None
    attempts_allowed: Annotated[int, Field(ge=0, le=ATTEMPTS_ALLOWED_MAX)] | None = None
    prediction_kind: PredictionCode | None = None
    prediction_prompt: str | None = Field(None, max_length=PROMPT_MAX)
    ranking_order: str | None = Field(None, max_length=64)


class DrawRuleOut(Schema):
    tag: str
    count: int


class RoundOut(Schema):
    id: int
    contest: int
    number: int
    title: str
    bank: int
    opens_at: dt.datetime
    closes_at: dt.datetime
    window_start: ClockTimeOut | None
    window_end: ClockTimeOut | None
    weekdays: str
    questions_per_attempt: int
    draw_rules: list[DrawRuleOut]
    time_limit_seconds: int
    grace_seconds: int
    attempts_allowed: int
    prediction_kind: str
    prediction_prompt: str
    prediction_actual: int | None
    closed_at: dt.datetime | None
    ranking_order: str
    results_published_at: dt.datetime | None


class ContestDetailOut(ContestOut):
    rounds: list[RoundOut]


class UnitFiguresOut(Schema):
    unit: str | None
    unit_name: str
    entries: int
    contestants: int


class RoundFiguresOut(Schema):
    round: int
    started: int
    entries: int
    contestants: int
    by_unit: list[UnitFiguresOut]


# --- Contestants and attempts (public) -----------------------------------------------------------


class RegisterIn(StrictInput):
    invitation: str = Field(
        "", max_length=20, description="A restricted contest's registration code (its list gives the name and unit)."
    )
    name: str = Field("", max_length=NAME_MAX, description="Needed for a public contest.")
    consent: bool = Field(..., description="The contestant ticked the consent box.")
    unit: str = Field("", max_length=64, description="Code of the contestant's unit, when the contest asks it.")
    group: GroupCode | Literal[""] = ""
    phone: str = Field("", max_length=CONTACT_MAX)
    email: str = Field("", max_length=CONTACT_MAX)
    birth_year: Annotated[int, Field(ge=1900, le=2100)] | None = None
    guardian_consent: bool = False
    referral_code: str = Field("", max_length=16)


class RegisteredOut(Schema):
    id: int
    contest: int
    name: str
    referral_code: str
    key: str = Field(..., description="The contestant's secret: shown once, sent as X-Contestant-Key.")
    unverified: list[str] = Field(
        default_factory=list,
        description="Contacts to verify by a one-time code before starting an attempt: phone, email.",
    )


MediumCode = Literal["phone", "email"]


class ContactCodeRequestIn(StrictInput):
    medium: MediumCode = Field(..., description="Which contact receives the code.")


class ContactCodeSentOut(Schema):
    request: str = Field(..., description="Names the code request: send it back with the code.")
    medium: str
    expires_at: dt.datetime


class ContactCodeConfirmIn(StrictInput):
    request: str = Field(..., max_length=43, description="The request's token, as answered when the code was sent.")
    code: str = Field(..., max_length=12, description="The six digits received.")


class ContactVerifiedOut(Schema):
    medium: str
    verified_at: dt.datetime
    unverified: list[str] = Field(..., description="Contacts still to verify before starting an attempt.")


class StartIn(StrictInput):
    client_key: str = Field("", max_length=KEY_MAX, description="The same key again answers the same attempt.")


# The attempt's answers are built as dicts on the public hot path: plain pydantic models read
# them without ninja's per-object resolver (an attempt of 19 questions paid ~90 of them).
class ShownOptionOut(BaseModel):
    key: str
    text: str


class ShownQuestionOut(BaseModel):
    index: int
    kind: str
    stem: str
    options: list[ShownOptionOut]


class AttemptOut(BaseModel):
    id: str
    round: int
    number: int
    started_at: dt.datetime
    deadline: dt.datetime
    grace_seconds: int
    prediction_kind: str
    prediction_prompt: str
    questions: list[ShownQuestionOut]
    submitted_at: dt.datetime | None
    score: Decimal | None
    correct_count: int | None
    duration_ms: int | None
    prediction: int | None


class ResultOut(BaseModel):
    """What a submission answers: the attempt's result, without its questions (the phone has
    them; ``GET /attempts/{id}`` gives them again)."""

    id: str
    round: int
    number: int
    started_at: dt.datetime
    deadline: dt.datetime
    submitted_at: dt.datetime | None
    score: Decimal | None
    correct_count: int | None
    duration_ms: int | None
    prediction: int | None


class SubmitIn(StrictInput):
    answers: list[Annotated[list[OptionKey], Field(max_length=MAX_OPTIONS)]] = Field(
        ..., max_length=QUESTIONS_PER_ATTEMPT_MAX, description="Per question, in order: the letters chosen, as shown."
    )
    prediction: Annotated[int, Field(ge=0, le=PREDICTION_MAX)] | None = None


# --- Results -------------------------------------------------------------------------------------


class CloseIn(StrictInput):
    actual: Annotated[int, Field(ge=0, le=PREDICTION_MAX)] | None = Field(
        None, description="The prediction's actual figure; empty: counted from the attempts."
    )


class PublishIn(StrictInput):
    published: bool = Field(..., description="true to publish the results, false to withdraw them.")


class UnitQuery(QueryInput):
    unit: str = Field("", max_length=64, description="Rank the children of this unit (default: the organiser).")


class ClosedOut(Schema):
    round: int
    results: int
    reclosed: bool
    prediction_actual: int | None
    closed_at: dt.datetime


class ResultRowOut(Schema):
    position: int
    rank: int
    contestant: int
    name: str
    minor: bool
    unit: str | None
    unit_name: str
    score: Decimal
    prediction: int | None
    closeness: int | None
    duration_ms: int
    submitted_at: dt.datetime
    entries: int
    prize: bool


class RoundResultsOut(Schema):
    round: int
    final: bool
    count: int
    limit: int
    offset: int
    items: list[ResultRowOut]


class UnitResultOut(Schema):
    rank: int
    unit: str
    unit_name: str
    contestants: int
    entries: int
    party_members: int | None
    rate: Decimal | None
    prize: bool


class UnitRankingOut(Schema):
    round: int
    parent: str
    final: bool
    items: list[UnitResultOut]


class PrizesOut(Schema):
    round: int
    individual: list[ResultRowOut]
    collective: list[UnitResultOut]


class ItemOut(Schema):
    question: int
    version: int
    version_number: int
    ref: str
    stem: str
    shown: int
    facility: Decimal | None
    discrimination: Decimal | None
    flags: list[str]


class ItemsOut(Schema):
    round: int
    items: list[ItemOut]


class OverallRowOut(Schema):
    rank: int
    contestant: int
    name: str
    minor: bool
    unit: str | None
    unit_name: str
    rounds: int
    score: Decimal
    closeness: int | None
    duration_ms: int
    last_submitted_at: dt.datetime


class OverallOut(Schema):
    contest: int
    count: int
    limit: int
    offset: int
    items: list[OverallRowOut]


class StandingOut(Schema):
    round: int
    final: bool
    rank: int | None
    score: Decimal | None
    entries: int
    prize: bool


# --- Results from another platform -------------------------------------------------------------


class ExternalResultOut(Schema):
    unit: str = Field(..., description="The unit's Lantoa code.")
    unit_name: str
    period: str = Field(..., description="The period (round, week) as the other platform calls it.")
    day: dt.date = Field(..., description="The period's last day, the day the figures count on.")
    participants: int = Field(..., description="People, each counted once.")
    entries: int = Field(..., description="Attempts: the same person counted again.")
    imported_at: dt.datetime


class ExternalResultListOut(Schema):
    items: list[ExternalResultOut]
    count: int


class ExternalImportOut(Schema):
    rows: int = Field(..., description="Rows stored from the file.")
    replaced: int = Field(..., description="Rows of the same periods there were before, now replaced.")
    periods: list[str]
    message: str


class EligibleQuery(Window):
    q: str = Field("", max_length=200, description="Part of a name, or a unit code.")


class EligibleOut(Schema):
    id: int
    name: str
    unit: str = Field(..., description="The unit's Lantoa code.")
    unit_name: str
    position: str
    invitation: str = Field(..., description="The registration code, as printed (ABCD-EFGH).")
    registered: bool = Field(..., description="Whether someone has registered with the code.")


class EligibleListOut(Schema):
    items: list[EligibleOut]
    count: int
    registered: int = Field(..., description="How many on the whole list have registered.")


class EligibleImportOut(Schema):
    rows: int = Field(..., description="People added to the list.")
    message: str


# --- Prize claims ------------------------------------------------------------------------------


class ClaimIn(StrictInput):
    method: Literal["bank", "in_person"]
    payee_name: str = Field(..., max_length=NAME_MAX, description="Full name as on the account.")
    bank_account: str = Field("", max_length=ACCOUNT_MAX, description="Digits; needed for a bank transfer.")
    bank_name: str = Field("", max_length=BANK_NAME_MAX, description="Needed for a bank transfer.")
    phone: str = Field(..., max_length=CONTACT_MAX)


class ClaimOut(Schema):
    id: int
    round: int
    contestant: int
    status: str
    method: str
    payee_name: str
    bank_account: str = Field(..., description="Masked (last four digits) unless ``full``.")
    bank_name: str
    phone: str = Field(..., description="Masked unless ``full``.")
    full: bool
    claimed_at: dt.datetime
    paid_at: dt.datetime | None
    erased_at: dt.datetime | None


class ClaimLineOut(Schema):
    rank: int
    contestant: int
    name: str
    unit_name: str
    score: Decimal
    status: Literal["unclaimed", "claimed", "paid", "erased"]
    claim: ClaimOut | None


class ClaimsOut(Schema):
    round: int
    items: list[ClaimLineOut]
    count: int


# --- Referrals ---------------------------------------------------------------------------------


class ReferralQuery(QueryInput):
    round: Annotated[int, Field(ge=1, le=1000)] | None = Field(
        None, description="A round's number; empty: the contest."
    )
    limit: Limit = Field(100, description="How many referrers (at most 500).")


class ReferralRowOut(Schema):
    rank: int
    contestant: int
    name: str
    unit: str | None
    unit_name: str
    referred: int = Field(..., description="People registered with the referrer's code who submitted an attempt.")
    prize: bool


class ReferralsOut(Schema):
    contest: int
    round: int | None
    referral_prizes: int
    items: list[ReferralRowOut]


# --- Likely duplicates -------------------------------------------------------------------------


class DuplicatePersonOut(Schema):
    id: int
    name: str
    unit_name: str
    phone: str = Field(..., description="Masked.")
    email: str = Field(..., description="Masked.")
    attempts: int
    excluded: bool
    registered_at: dt.datetime


class DuplicatePairOut(Schema):
    reason: Literal["same_person", "same_contact"]
    first: DuplicatePersonOut
    second: DuplicatePersonOut


class DuplicatesOut(Schema):
    contest: int
    items: list[DuplicatePairOut]
    count: int


ContestantId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class DismissIn(StrictInput):
    first: ContestantId
    second: ContestantId


class ExclusionIn(StrictInput):
    excluded: bool


class ExclusionOut(Schema):
    contestant: int
    excluded: bool
    excluded_at: dt.datetime | None
