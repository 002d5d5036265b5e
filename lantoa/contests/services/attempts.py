"""The hot path of a contest: starting an attempt and submitting it.

Both are public (contestants are not users) and lean: no session, no audit row, no shared
counter row. Starting reads the contestant's earlier attempts in the round (one query), draws
from the round's cached bank (:mod:`lantoa.contests.public_cache`) and inserts the attempt with
one precompiled INSERT; the attempt counts against the round's limit from then on, submitted or
not. Submitting reads the attempt (one query, joined with the contestant's key), grades in
Python from the cached answer key (:mod:`lantoa.contests.grading`) and writes the result with one
precompiled ``UPDATE … WHERE id = %s AND submitted_at IS NULL``: a retry updates nothing and
answers the stored result, so an attempt counts once and always answers the same.

Timing is the server's: ``deadline`` is the start plus the round's time limit; a submission
later than the deadline plus the round's grace is refused (``attempt_expired``).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import random
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, connections
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.contests import grading, public_cache
from lantoa.contests.models import (
    KEY_MAX,
    OPTION_KEYS,
    PREDICTION_MAX,
    Attempt,
    Contestant,
    ContestStatus,
    Kind,
    PredictionKind,
    Round,
)
from lantoa.contests.services.contests import sent_key_hash
from lantoa.contests.services.verification import verification_refusal
from lantoa.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lantoa.core.rows import insert_row, instance_from_row, prepared_cursor, row_columns, select_values
from lantoa.core.text import clean_text

DRAW_SEED_BYTES = 32


@dataclass
class ShownQuestion:
    """A question as the contestant sees it: options in the attempt's order, lettered A, B, C…
    by position; never the answer key."""

    index: int
    kind: str
    stem: str
    options: list[tuple[str, str]]  # (letter shown, text)


@dataclass
class Started:
    """An attempt started; its questions as shown come from :func:`shown_questions` (pages) or
    the API's encoder, whichever the caller answers with."""

    attempt: Attempt
    created: bool  # False: the same client key had already started this attempt


@dataclass
class Submitted:
    attempt: Attempt
    created: bool  # False: the attempt had already been submitted; its stored result answers


def round_open_refusal(round_: Round, now: dt.datetime) -> Conflict | None:
    """Why ``round_`` takes no new attempt at ``now`` (its contest published, its dates, its daily
    window and weekdays, in local time), or None."""
    if round_.contest.status != ContestStatus.PUBLISHED or round_.closed_at is not None:
        return Conflict(_("This round is closed."), code="round_closed")
    if now < round_.opens_at:
        return Conflict(_("This round has not opened yet."), code="round_not_open")
    if now >= round_.closes_at:
        return Conflict(_("This round is closed."), code="round_closed")
    local = timezone.localtime(now)
    if round_.weekdays and str(local.isoweekday()) not in round_.weekdays:
        return Conflict(_("The round is not open on this day of the week."), code="outside_window")
    start, end = round_.window_start, round_.window_end
    if start is not None and end is not None and not start <= local.time() < end:
        return Conflict(
            _("The round is open each day from %(start)s to %(end)s.")
            % {"start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")},
            code="outside_window",
        )
    return None


def _draw_generator() -> random.Random:
    """A generator for one draw, seeded with 256 fresh bits from the system: what one contestant
    sees of it cannot tell another's draw. Drawing each number from the system instead cost a
    system call per number, over a hundred a start."""
    return random.Random(os.urandom(DRAW_SEED_BYTES))


def _draw(round_: Round) -> list[list[Any]]:
    bank = public_cache.cached_bank(round_.bank_id)
    generator = _draw_generator()
    chosen: list[int] = []
    if round_.draw_rules:
        taken: set[int] = set()
        for rule in round_.draw_rules:
            pool = [vid for vid in bank.by_tag.get(rule["tag"], ()) if vid not in taken]
            if len(pool) < rule["count"]:
                raise Conflict(_("The question bank has too few questions for this round."), code="bank_too_small")
            picked = generator.sample(pool, rule["count"])
            taken.update(picked)
            chosen += picked
    else:
        pool = list(bank.items)
        if len(pool) < round_.questions_per_attempt:
            raise Conflict(_("The question bank has too few questions for this round."), code="bank_too_small")
        chosen = generator.sample(pool, round_.questions_per_attempt)
    drawn = []
    for vid in chosen:
        item = bank.items[vid]
        keys = [key for key, _text in item.options]
        if item.kind != Kind.TRUE_FALSE:
            generator.shuffle(keys)
        drawn.append([vid, "".join(keys)])
    return drawn


def shown_questions(attempt: Attempt, bank_id: int) -> list[ShownQuestion]:
    """The attempt's questions as its contestant sees them (texts from the cache)."""
    items = public_cache.versions(bank_id, [vid for vid, _order in attempt.questions])
    shown = []
    for index, (vid, order) in enumerate(attempt.questions):
        item = items[vid]
        texts = dict(item.options)
        shown.append(
            ShownQuestion(
                index=index,
                kind=item.kind,
                stem=item.stem,
                options=[(OPTION_KEYS[i], texts.get(key, "")) for i, key in enumerate(order)],
            )
        )
    return shown


Earlier = list[tuple[int, str, Any]]  # a contestant's attempts at a round: (number, client key, id)


def attempt_start(
    *,
    contestant: Contestant,
    round_: Round,
    now: dt.datetime | None = None,
    client_key: str = "",
    earlier: Earlier | None = None,
) -> Started:
    """Start an attempt: checks, in order — the round is the contestant's contest's, open now and
    within its daily window; the contestant has verified the contacts the contest verifies
    (``contact_not_verified``, from the row already read); attempts are left (every attempt
    started counts) — then draws the questions and shuffles their options. The same
    ``client_key`` again answers the attempt it started. ``earlier``: the contestant's attempts at
    the round when the caller read them with the contestant (:func:`contestant_with_attempts`)."""
    now = now or timezone.now()
    if round_.contest_id != contestant.contest_id:
        raise NotFound(_("No such round."), extra={"id": round_.pk})
    refusal = round_open_refusal(round_, now) or verification_refusal(round_.contest, contestant)
    if refusal is not None:
        raise refusal
    key = clean_text(client_key)[:KEY_MAX]
    if earlier is None:
        earlier = select_values(
            Attempt, ("number", "client_key", "id"), round_id=round_.pk, contestant_id=contestant.pk
        )
    if key:
        for _number, their_key, attempt_id in earlier:
            if their_key == key:
                attempt = Attempt.objects.get(pk=attempt_id)
                return Started(attempt, created=False)
    used = max((number for number, _key, _id in earlier), default=0)
    if round_.attempts_allowed and used >= round_.attempts_allowed:
        raise _no_attempts_left(round_)
    attempt = Attempt(
        round_id=round_.pk,
        contestant_id=contestant.pk,
        unit_id=contestant.unit_id,
        number=used + 1,
        started_at=now,
        deadline=now + dt.timedelta(seconds=round_.time_limit_seconds),
        questions=_draw(round_),
        client_key=key,
    )
    try:
        insert_row(attempt, prepared=True)  # nothing listens to an attempt's save
    except IntegrityError:
        # Another start of the same contestant won the number, or the same key arrived twice.
        if key:
            again = Attempt.objects.filter(round_id=round_.pk, contestant_id=contestant.pk, client_key=key).first()
            if again is not None:
                return Started(again, created=False)
        raise _no_attempts_left(round_) from None
    return Started(attempt, created=True)


def _no_attempts_left(round_: Round) -> Conflict:
    return Conflict(
        _("You have started all the attempts this round allows (%(count)s).") % {"count": round_.attempts_allowed},
        code="attempts_exhausted",
    )


def attempt_for_key(attempt_id: Any, secret: str) -> Attempt:
    """The attempt ``attempt_id`` of the contestant holding ``secret``: one query. Anyone
    else's attempt answers like a missing one."""
    hashed = sent_key_hash(secret)
    attempt = None if hashed is None else _attempt_by_key(attempt_id, hashed)
    if attempt is None:
        raise NotFound(_("No such attempt."), extra={"id": str(attempt_id)})
    return attempt


@functools.cache
def _attempt_by_key_statement(alias: str) -> str:
    quote = connections[alias].ops.quote_name
    attempts, contestants = quote(Attempt._meta.db_table), quote(Contestant._meta.db_table)
    # Only the models' own quoted table and column names go into the text; values are parameters.
    return (
        f"SELECT {row_columns(Attempt, using=alias)} FROM {attempts} "  # noqa: S608
        f"INNER JOIN {contestants} ON {contestants}.{quote('id')} = {attempts}.{quote('contestant_id')} "
        f"WHERE {attempts}.{quote('id')} = %s AND {contestants}.{quote('key_hash')} = %s"
    )


def _attempt_by_key(attempt_id: Any, hashed: str) -> Attempt | None:
    """The attempt and its contestant's key in one statement compiled once per process: on the
    submit path, building the query through the ORM cost more than running it."""
    connection = connections["default"]
    try:
        pk = Attempt._meta.pk.get_db_prep_value(attempt_id, connection)  # type: ignore[union-attr]
    except (ValueError, TypeError, DjangoValidationError):
        return None
    with prepared_cursor() as cursor:
        cursor.execute(_attempt_by_key_statement("default"), [pk, hashed])
        row = cursor.fetchone()
    return None if row is None else instance_from_row(Attempt, row)  # type: ignore[return-value]


@functools.cache
def _contestant_with_attempts_statement(alias: str) -> str:
    quote = connections[alias].ops.quote_name
    attempts, contestants = quote(Attempt._meta.db_table), quote(Contestant._meta.db_table)
    # Only the models' own quoted table and column names go into the text; values are parameters.
    return (
        f"SELECT {row_columns(Contestant, using=alias)}, {attempts}.{quote('number')}, "  # noqa: S608
        f"{attempts}.{quote('client_key')}, {attempts}.{quote('id')} FROM {contestants} "
        f"LEFT OUTER JOIN {attempts} ON {attempts}.{quote('contestant_id')} = {contestants}.{quote('id')} "
        f"AND {attempts}.{quote('round_id')} = %s WHERE {contestants}.{quote('key_hash')} = %s"
    )


def contestant_with_attempts(secret: str, round_id: int) -> tuple[Contestant | None, Earlier]:
    """The contestant holding ``secret`` (or None) and their attempts at round ``round_id``, read
    in one statement: a start's two reads in one round trip to the database."""
    hashed = sent_key_hash(secret)
    if hashed is None:
        return None, []
    with prepared_cursor() as cursor:
        cursor.execute(_contestant_with_attempts_statement("default"), [round_id, hashed])
        rows = cursor.fetchall()
    if not rows:
        return None, []
    width = len(rows[0]) - 3
    contestant = instance_from_row(Contestant, rows[0][:width])
    return contestant, [(row[width], row[width + 1], row[width + 2]) for row in rows if row[width + 2] is not None]  # type: ignore[return-value]


def contestant_or_refuse(contestant: Contestant | None) -> Contestant:
    if contestant is None:
        raise PermissionDenied(
            _("Your contestant key is missing or unknown; register again."), code="contestant_key_invalid"
        )
    return contestant


@functools.cache
def _submit_statement(alias: str) -> str:
    quote = connections[alias].ops.quote_name
    names = ["submitted_at", "submitted_on", "answers", "prediction", "score", "correct_count", "duration_ms"]
    sets = ", ".join(f"{quote(name)} = %s" for name in names)
    # Only the model's own quoted table and column names go into the text; values are parameters.
    where = f"{quote('id')} = %s AND {quote('submitted_at')} IS NULL"
    return f"UPDATE {quote(Attempt._meta.db_table)} SET {sets} WHERE {where}"  # noqa: S608


def _chosen_keys(order: str, letters: Any, index: int) -> str:
    """The version's own keys for the letters chosen on screen (``order`` maps one to the other)."""
    if not isinstance(letters, list | tuple) or len(letters) > len(order):
        raise ValidationFailed(
            _("Answer %(n)s is not a list of options.") % {"n": index + 1}, extra={"field": "answers"}
        )
    keys = set()
    for letter in letters:
        position = OPTION_KEYS.find(str(letter).strip().upper()) if isinstance(letter, str) and letter else -1
        if position < 0 or position >= len(order):
            raise ValidationFailed(
                _("Answer %(n)s names an option the question does not have.") % {"n": index + 1},
                extra={"field": "answers"},
            )
        keys.add(order[position])
    return "".join(sorted(keys))


def attempt_submit(
    *,
    attempt: Attempt,
    answers: list[Any],
    prediction: int | None = None,
    round_: Round | None = None,
    now: dt.datetime | None = None,
) -> Submitted:
    """Grade and store an attempt (read by :func:`attempt_for_key`). ``answers``: one list of
    letters (as shown) per question, in the order shown. Idempotent: an attempt already
    submitted answers its stored result, whatever is sent."""
    now = now or timezone.now()
    if attempt.submitted_at is not None:
        return Submitted(attempt, created=False)
    round_ = round_ or public_cache.cached_round(attempt.round_id)
    assert round_ is not None
    if now > attempt.deadline + dt.timedelta(seconds=round_.grace_seconds):
        raise Conflict(_("The time for this attempt ran out; it was not counted."), code="attempt_expired")
    if not isinstance(answers, list) or len(answers) > len(attempt.questions):
        raise ValidationFailed(_("There are more answers than questions."), extra={"field": "answers"})
    if round_.prediction_kind == PredictionKind.NONE:
        prediction = None
    elif prediction is not None and not 0 <= prediction <= PREDICTION_MAX:
        raise ValidationFailed(
            _("The prediction is a number between 0 and %(max)s.") % {"max": PREDICTION_MAX},
            extra={"field": "prediction"},
        )
    padded = list(answers) + [[]] * (len(attempt.questions) - len(answers))
    pairs = zip(attempt.questions, padded, strict=True)
    chosen = [_chosen_keys(order, letters, i) for i, ((_vid, order), letters) in enumerate(pairs)]
    items = public_cache.versions(round_.bank_id, [vid for vid, _order in attempt.questions])
    total = Fraction(0)
    correct = 0
    for (vid, _order), keys in zip(attempt.questions, chosen, strict=False):
        graded = public_cache.as_graded(items[vid])
        mark = grading.score_sets(graded.kind, graded.scoring, graded.key_set, graded.correct_set, keys)
        total += mark
        correct += mark == 1
    score = (Decimal(total.numerator) / Decimal(total.denominator)).quantize(Decimal("0.01"))
    duration = max(0, int((now - attempt.started_at).total_seconds() * 1000))
    submitted_on = timezone.localdate(now)
    connection = connections["default"]
    fields: list[Any] = [Attempt._meta.get_field(name) for name in ("submitted_at", "answers", "prediction", "score")]
    values = [
        fields[0].get_db_prep_save(now, connection),
        Attempt._meta.get_field("submitted_on").get_db_prep_save(submitted_on, connection),  # type: ignore[union-attr]
        fields[1].get_db_prep_save(chosen, connection),
        prediction,
        fields[3].get_db_prep_save(score, connection),
        correct,
        duration,
        Attempt._meta.pk.get_db_prep_save(attempt.pk, connection),  # type: ignore[union-attr]
    ]
    with prepared_cursor() as cursor:
        cursor.execute(_submit_statement("default"), values)
        updated = cursor.rowcount
    if updated == 0:  # a retry that arrived first stored the result: answer it
        stored = Attempt.objects.get(pk=attempt.pk)
        return Submitted(stored, created=False)
    attempt.submitted_at, attempt.submitted_on, attempt.answers = now, submitted_on, chosen
    attempt.prediction = prediction
    attempt.score, attempt.correct_count, attempt.duration_ms = score, correct, duration
    return Submitted(attempt, created=True)
