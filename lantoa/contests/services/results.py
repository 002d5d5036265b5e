"""Closing a round and publishing its results (staff writes, audited).

Closing takes the prediction's actual figure (the organiser's, or counted from the attempts),
then, in one transaction: deletes the round's earlier results, computes every contestant's
counted attempt and final rank in one ``INSERT … SELECT`` with window functions
(:mod:`lantoa.contests.ranking`), ranks the units directly under the organiser
(:func:`lantoa.contests.results.unit_ranking`) and stores them, marks the prizes, and writes the
audit entry. Closing again after a correction replaces all of it at once: a reader sees the old
results or the new, never a mix (decision 0022).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lantoa.contests.models import PREDICTION_MAX, Attempt, PredictionKind, Round, RoundResult, UnitResult
from lantoa.contests.ranking import parse_order, ranked_select
from lantoa.core.audit import audit_record
from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.core.rows import sqlite_working_memory


@dataclass
class Closed:
    round: Round
    results: int
    reclosed: bool


def round_close_refusal(round_: Round, now: dt.datetime) -> Conflict | None:
    """A round closes once the last attempt that could start before it closed has run out of
    time (its close, plus the time limit and the grace)."""
    last = round_.closes_at + dt.timedelta(seconds=round_.time_limit_seconds + round_.grace_seconds)
    if now < last:
        return Conflict(
            _("Attempts may still be submitted until %(time)s; close the round after that.")
            % {"time": timezone.localtime(last).strftime("%d/%m/%Y %H:%M")},
            code="round_still_open",
        )
    return None


def counted_actual(round_: Round) -> int | None:
    """The prediction's actual figure counted from the attempts: the entries (attempts
    submitted), or the people with an attempt all correct. None without a prediction question."""
    attempts = Attempt.objects.filter(round_id=round_.pk, submitted_at__isnull=False)
    if round_.prediction_kind == PredictionKind.ENTRIES:
        return attempts.count()
    if round_.prediction_kind == PredictionKind.PERFECT_SCORES:
        perfect = attempts.filter(correct_count__gte=round_.questions_per_attempt)
        return perfect.aggregate(n=Count("contestant_id", distinct=True))["n"]
    return None


def _insert_results(round_: Round, actual: int | None, prizes: int) -> int:
    quote = connection.ops.quote_name
    results = quote(RoundResult._meta.db_table)
    ranked, params = ranked_select(round_.pk, parse_order(round_.ranking_order), actual)
    # Fixed text and quoted names only; the round and the number of prizes are parameters.
    sql = f"""
        INSERT INTO {results} (round_id, contestant_id, attempt_id, unit_id, position, {quote("rank")}, score,
                               prediction, closeness, duration_ms, submitted_at, entries, prize)
        SELECT %s, contestant_id, id, unit_id, position, rnk, score, prediction, closeness, duration_ms,
               submitted_at, entries, rnk <= %s
        FROM ({ranked}) AS ranked
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [round_.pk, prizes, *params])
        return int(cursor.rowcount)


@transaction.atomic
def round_close(*, by: Any, round_: Round, actual: int | None = None, now: dt.datetime | None = None) -> Closed:
    """Close ``round_`` (or close it again after a correction): the actual figure is ``actual``
    when given, else counted from the attempts where the prediction asks for something they
    count. Replaces the round's individual and unit results whole and audits it."""
    from lantoa.contests import results

    now = now or timezone.now()
    round_ = Round.objects.select_for_update().select_related("contest__unit", "bank").get(pk=round_.pk)
    refusal = round_close_refusal(round_, now)
    if refusal is not None:
        raise refusal
    if round_.prediction_kind == PredictionKind.NONE:
        actual = None
    elif actual is None:
        actual = counted_actual(round_)
    elif not 0 <= actual <= PREDICTION_MAX:
        raise ValidationFailed(
            _("The actual figure is a number between 0 and %(max)s.") % {"max": PREDICTION_MAX},
            extra={"field": "actual"},
        )
    reclosed = round_.closed_at is not None
    day = timezone.localdate(now)
    with sqlite_working_memory():
        RoundResult.objects.filter(round_id=round_.pk).delete()
        UnitResult.objects.filter(round_id=round_.pk).delete()
        count = _insert_results(round_, actual, round_.contest.prizes_individual)
        root = results.ranking_root(round_.contest, day)
        units = results.unit_ranking(round_, root, today_=day, tallies=results.result_tallies(round_))
    UnitResult.objects.bulk_create(
        [
            UnitResult(
                round_id=round_.pk,
                unit_id=row.unit.pk,
                rank=row.rank,
                contestants=row.contestants,
                entries=row.entries,
                denominator=row.denominator,
                rate=row.rate,
                prize=row.rank <= round_.contest.prizes_collective,
            )
            for row in units
        ],
        batch_size=1000,
    )
    changed = ["closed_at", "results"]
    if actual != round_.prediction_actual:
        changed.append("prediction_actual")
    round_.prediction_actual = actual
    round_.closed_at = now
    round_.save(update_fields=["prediction_actual", "closed_at", "updated_at"])
    action = "lantoa.contests.round.reclosed" if reclosed else "lantoa.contests.round.closed"
    audit_record(action=action, by=by, target=round_, unit=round_.contest.unit, changed=changed)
    return Closed(round_, count, reclosed)


@transaction.atomic
def round_publish_results(*, by: Any, round_: Round, publish: bool = True) -> Round:
    """Publish a closed round's results on the public results page (names of minors as
    initials), or withdraw them. Publishing what is already published changes nothing."""
    round_ = Round.objects.select_for_update().select_related("contest__unit").get(pk=round_.pk)
    if publish and round_.closed_at is None:
        raise Conflict(_("Close the round before publishing its results."), code="round_not_closed")
    if publish == (round_.results_published_at is not None):
        return round_
    round_.results_published_at = timezone.now() if publish else None
    round_.save(update_fields=["results_published_at", "updated_at"])
    action = "lantoa.contests.round.published" if publish else "lantoa.contests.round.withdrawn"
    audit_record(action=action, by=by, target=round_, unit=round_.contest.unit, changed=["results_published_at"])
    return round_


__all__ = ["Closed", "counted_actual", "round_close", "round_close_refusal", "round_publish_results"]


def round_certificates(*, by: Any, round_: Round) -> bytes:
    """The certificates of a closed round's prizes as one PDF (409 ``round_open`` before it
    closes, ``no_prizes`` when it awards none). The file carries people's names, so printing it
    is audited like other exports of them."""
    from lantoa.contests import certificates

    if round_.closed_at is None:
        raise Conflict(_("Close the round before printing its certificates."), code="round_open")
    with translation.override("vi"):
        pages = certificates.round_certificate_pages(round_)
    if not pages:
        raise Conflict(_("This round awards no prize."), code="no_prizes")
    data = certificates.round_certificates_pdf(round_, pages)
    audit_record(action="lantoa.contests.certificates.printed", by=by, target=round_, unit=round_.contest.unit)
    return data
