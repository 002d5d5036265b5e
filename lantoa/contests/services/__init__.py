"""Writes for question banks and their questions. Nothing else writes these tables.

Every write is a staff write and audited (names of fields, never values). A question's content
is never changed in place: :func:`question_revise` adds a version.

* ``banks`` — creating a bank, changing its name and description;
* ``questions`` — checking a question, creating it, revising it, retiring it.

Imports and exports (:mod:`lantoa.contests.bank_io`) write through these services.
"""

from __future__ import annotations

from lantoa.contests.services.banks import BankData, bank_create, bank_update
from lantoa.contests.services.questions import (
    TRUE_FALSE_OPTIONS,
    CleanQuestion,
    QuestionData,
    TagCache,
    clean_tags,
    question_check,
    question_create,
    question_retire,
    question_revise,
    question_validate,
    version_data,
)

__all__ = [
    "TRUE_FALSE_OPTIONS",
    "BankData",
    "CleanQuestion",
    "QuestionData",
    "TagCache",
    "bank_create",
    "bank_update",
    "clean_tags",
    "question_check",
    "question_create",
    "question_retire",
    "question_revise",
    "question_validate",
    "version_data",
]

from lantoa.contests.services.attempts import (
    Started,
    Submitted,
    attempt_for_key,
    attempt_start,
    attempt_submit,
    contestant_or_refuse,
    contestant_with_attempts,
    round_open_refusal,
    shown_questions,
)
from lantoa.contests.services.contests import (
    CONTEST_FIELDS,
    ROUND_FIELDS,
    ContestData,
    Registered,
    Registration,
    RoundData,
    contest_create,
    contest_update,
    contestant_for_key,
    contestant_register,
    round_create,
    round_update,
)
from lantoa.contests.services.results import (
    Closed,
    counted_actual,
    round_certificates,
    round_close,
    round_close_refusal,
    round_publish_results,
)

__all__ += [
    "CONTEST_FIELDS",
    "ROUND_FIELDS",
    "ContestData",
    "Registered",
    "Registration",
    "RoundData",
    "Started",
    "Submitted",
    "attempt_for_key",
    "attempt_start",
    "attempt_submit",
    "contest_create",
    "contest_update",
    "contestant_for_key",
    "contestant_or_refuse",
    "contestant_register",
    "contestant_with_attempts",
    "round_create",
    "round_open_refusal",
    "round_update",
    "shown_questions",
]

__all__ += [
    "Closed",
    "counted_actual",
    "round_certificates",
    "round_close",
    "round_close_refusal",
    "round_publish_results",
]
