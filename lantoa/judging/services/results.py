"""A stage's results and advancing: scoring and ranking from the submitted sheets (the arithmetic
lives in :mod:`lantoa.judging.scoring`), advancing to the next stage, prizes, publishing and
withdrawing the results, and the prize winners' certificates."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.core.audit import actor_or_none, audit_record
from lantoa.core.errors import Conflict
from lantoa.core.results import Created
from lantoa.judging import scoring
from lantoa.judging.audience import selectors as audience_selectors
from lantoa.judging.models import (
    REASON_MAX,
    Advancement,
    AudienceVote,
    EntryStage,
    JuryMember,
    JuryRole,
    ResultsWithdrawal,
    Score,
    ScoreSheet,
    Stage,
)
from lantoa.judging.services._common import _text, _text_array
from lantoa.judging.services.contests import _enter


def stage_results_compute(*, by: Any, stage: Stage) -> int:
    """Score and rank the stage's entries from the submitted sheets by the stage's rule (with
    the audience component), writing each entry's score and rank. Entries without a submitted
    sheet get neither. Returns the number ranked."""
    with transaction.atomic():
        stage = Stage.objects.select_for_update().get(pk=stage.pk)
        if stage.results_published_at is not None:
            raise Conflict(
                _("The results are published: the chair withdraws them before they are computed again."),
                code="results_published",
            )
        scores: dict[int, dict[int, float]] = defaultdict(dict)
        for entry_id, juror_id, total in _submitted_totals(stage):
            scores[entry_id][juror_id] = total
        jury = scoring.aggregate(scores, stage.aggregation)
        rows: dict[int, int] = {}
        votes: dict[int, int] = {}
        for row_id, entry_id, audience in EntryStage.objects.filter(stage=stage).values_list(
            "pk", "entry_id", "audience_votes"
        ):
            rows[entry_id] = row_id
            votes[entry_id] = audience or 0
        if audience_selectors.has_poll(stage):
            # The electronic vote's counts replace the typed ones, and are kept on the rows.
            votes = _counted_votes(stage, rows)
        final = scoring.with_audience(jury, votes, float(stage.audience_weight))
        tie = _tie_break_values(stage, list(final)) if stage.tie_criterion_id else None
        ranked = scoring.rank(final, tie)
        places = dict(ranked)
        _write_results(
            (
                scoring.quantize(final[entry_id]) if entry_id in final else None,
                places.get(entry_id),
                row_id,
            )
            for entry_id, row_id in rows.items()
        )
        stage.results_computed_at = timezone.now()
        stage.save(update_fields=["results_computed_at", "updated_at"])
        audit_record(action="lantoa.judging.stage.results", by=by, target=stage, unit=stage.competition.unit)
    return len(ranked)


def _counted_votes(stage: Stage, rows: dict[int, int]) -> dict[int, int]:
    """The audience vote's count per entry (decision 0030), also written to each entry's row
    (one grouped query, one UPDATE)."""
    counted = audience_selectors.vote_counts(stage)
    per_entry = (
        AudienceVote.objects.filter(stage=stage, entry_id=OuterRef("entry_id"))
        .order_by()
        .values("entry_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    EntryStage.objects.filter(stage=stage).update(audience_votes=Coalesce(Subquery(per_entry), 0))
    return {entry_id: counted.get(entry_id, 0) for entry_id in rows}


def _submitted_totals(stage: Stage) -> list[tuple[int, int, float]]:
    """(entry, juror, total) of the stage's submitted sheets, the totals read as floats by the
    database: the ORM's row objects and a ``Decimal`` per total cost more than the reading."""
    table = connection.ops.quote_name(ScoreSheet._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT entry_id, juror_id, CAST(total AS DOUBLE PRECISION) FROM {table} "  # noqa: S608 - own table
            "WHERE stage_id = %s AND status = %s AND total IS NOT NULL",
            [stage.pk, ScoreSheet.Status.SUBMITTED.value],
        )
        return cursor.fetchall()


def _write_results(values: Iterable[tuple[Decimal | None, int | None, int]]) -> None:
    """Each entry's score and rank, by primary key: on PostgreSQL one UPDATE joined to the
    values (sent as three texts split by the server), elsewhere one prepared UPDATE run for
    every row. ``bulk_update`` builds a CASE arm per row, which takes minutes for 100,000
    entries. Rows whose score and rank are already those are not written again."""
    table = connection.ops.quote_name(EntryStage._meta.db_table)
    rows = list(values)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement: no round trip per row; an empty item of the texts is NULL.
            cursor.execute(
                f"UPDATE {table} AS t SET score = v.score, rank = v.rank "  # noqa: S608 - the model's own table
                "FROM unnest(string_to_array(%s, ',', '')::numeric[], string_to_array(%s, ',', '')::integer[], "
                "string_to_array(%s, ',')::bigint[]) AS v(score, rank, id) "
                "WHERE t.id = v.id AND (t.score IS DISTINCT FROM v.score OR t.rank IS DISTINCT FROM v.rank)",
                [_text_array((row[0] for row in rows), nullable=True),
                 _text_array((row[1] for row in rows), nullable=True), _text_array(row[2] for row in rows)],
            )  # fmt: skip
        else:
            sql = f"UPDATE {table} SET score = %s, rank = %s WHERE id = %s"  # noqa: S608 - the model's own table
            cursor.executemany(sql, rows)


def _tie_break_values(stage: Stage, entry_ids: list[int]) -> dict[int, float]:
    """The mean submitted score on the declared tie-break criterion, per entry."""
    rows = Score.objects.filter(
        sheet__stage=stage, sheet__status=ScoreSheet.Status.SUBMITTED, criterion__pk=stage.tie_criterion_id or 0
    ).values_list("sheet__entry_id", "value")
    found: dict[int, list[float]] = defaultdict(list)
    for entry_id, value in rows.iterator(chunk_size=5000):
        found[entry_id].append(float(value))
    return {entry_id: scoring.mean(values) for entry_id, values in found.items()}


def stage_advance(*, by: Any, stage: Stage) -> Created[list[EntryStage]]:
    """Those who advance by the stage's rule enter the next stage (their rows here are marked).
    Needs computed results; answers created False when they had already advanced."""
    with transaction.atomic():
        stage = Stage.objects.select_for_update().select_related("competition").get(pk=stage.pk)
        following = (
            Stage.objects.filter(competition=stage.competition, number__gt=stage.number).order_by("number").first()
        )
        if following is None or stage.advancement == Advancement.NONE:
            raise Conflict(_("Nothing advances from this stage: it is the last, or has no advancement rule."))
        if stage.results_computed_at is None:
            raise Conflict(_("Compute the stage's results first."), code="results_missing")
        rows = list(EntryStage.objects.filter(stage=stage, score__isnull=False).select_related("entry"))
        scores = {row.entry_id: float(row.score) for row in rows if row.score is not None}
        ranked = sorted(((row.entry_id, row.rank or 0) for row in rows), key=lambda pair: pair[1])
        chosen = set(
            scoring.advancing(
                ranked,
                scores,
                rule=stage.advancement,
                count=stage.advance_count,
                threshold=float(stage.advance_threshold) if stage.advance_threshold is not None else None,
            )
        )
        present = set(EntryStage.objects.filter(stage=following).values_list("entry_id", flat=True))
        created = []
        for row in rows:
            if row.entry_id in chosen:
                row.advanced = True
                if row.entry_id not in present:
                    created.append(_enter(row.entry, following))
        EntryStage.objects.bulk_update(rows, ["advanced"], batch_size=2000)
        if created:
            audit_record(action="lantoa.judging.stage.advanced", by=by, target=stage, unit=stage.competition.unit)
    return Created(created, bool(created))


def prize_award(*, by: Any, row: EntryStage, prize: str) -> EntryStage:
    text = _text(prize, field_name="prize")
    with transaction.atomic():
        row.prize = text
        row.save(update_fields=["prize"])
        audit_record(action="lantoa.judging.prize.awarded", by=by, target=row.entry, unit=row.unit, changed=["prize"])
    return row


def stage_publish(*, by: Any, stage: Stage) -> Stage:
    """The chair approves the stage's computed results and publishes them (with the date and
    who); publishing published results changes nothing."""
    with transaction.atomic():
        stage = Stage.objects.select_for_update().select_related("competition__unit").get(pk=stage.pk)
        if stage.results_computed_at is None:
            raise Conflict(_("Compute the results before publishing them."), code="results_not_computed")
        if stage.results_published_at is not None:
            return stage
        stage.results_published_at = timezone.now()
        stage.results_published_by = actor_or_none(by)
        stage.save(update_fields=["results_published_at", "results_published_by", "updated_at"])
        audit_record(
            action="lantoa.judging.stage.published",
            by=by,
            target=stage,
            unit=stage.competition.unit,
            changed=["results_published_at"],
        )
    return stage


def stage_unpublish(*, by: Any, stage: Stage, reason: str) -> Stage:
    """The chair withdraws published results, giving the reason (kept with the stage)."""
    text = _text(reason, field_name="reason", limit=REASON_MAX, required=True)
    with transaction.atomic():
        stage = Stage.objects.select_for_update().select_related("competition__unit").get(pk=stage.pk)
        if stage.results_published_at is None:
            raise Conflict(_("The results are not published."), code="results_not_published")
        ResultsWithdrawal.objects.create(
            stage=stage, by=actor_or_none(by), reason=text, published_at=stage.results_published_at
        )
        stage.results_published_at = None
        stage.results_published_by = None
        stage.save(update_fields=["results_published_at", "results_published_by", "updated_at"])
        audit_record(
            action="lantoa.judging.stage.unpublished",
            by=by,
            target=stage,
            unit=stage.competition.unit,
            changed=["results_published_at", "reason"],
        )
    return stage


def stage_certificates(*, by: Any, stage: Stage) -> bytes:
    """The certificates of the stage's prize winners as one PDF, a page each, in rank order
    (409 ``results_not_computed`` before the results, ``no_prizes`` when no prize is awarded).
    The download carries names of people, so it is audited like other exports of them."""
    from lantoa.judging import certificates

    if stage.results_computed_at is None:
        raise Conflict(_("Compute the results before printing certificates."), code="results_not_computed")
    rows = list(
        EntryStage.objects.filter(stage=stage)
        .exclude(prize="")
        .select_related("entry__person", "entry__unit", "unit")
        .order_by("rank", "entry__title", "pk")
    )
    if not rows:
        raise Conflict(_("No prize is awarded in this stage."), code="no_prizes")
    chair = JuryMember.objects.filter(stage=stage, role=JuryRole.CHAIR).select_related("person").order_by("pk").first()
    data = certificates.draw(
        stage=stage,
        certificates=certificates.certificates_of(rows, stage),
        chair=chair,
        issuer=stage.unit.name,
        day=certificates.certificate_day(stage),
    )
    audit_record(action="lantoa.judging.certificates.printed", by=by, target=stage, unit=stage.competition.unit)
    return data
