"""Reads of the audience vote: the counts per entry (one grouped query), what the organiser
sees (counts, ballots issued and used: never who voted) and the public page's entries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _

from lantoa.core.errors import NotFound
from lantoa.judging.models import AudiencePoll, AudienceVote, Ballot, EntryStage, Stage, VoteMethod, VoterMark


def vote_counts(stage: Stage) -> dict[int, int]:
    """entry id → the votes cast for it in ``stage``."""
    rows = AudienceVote.objects.filter(stage=stage).values("entry_id").annotate(n=Count("pk")).order_by()
    return {row["entry_id"]: row["n"] for row in rows}


def has_poll(stage: Stage) -> bool:
    return AudiencePoll.objects.filter(stage=stage).exists()


@dataclass
class BatchRow:
    batch: int
    count: int


@dataclass
class PollSummary:
    poll: AudiencePoll | None
    rows: list[tuple[EntryStage, int]] = field(default_factory=list)  # (the entry's row, votes)
    ballots_issued: int = 0
    ballots_used: int = 0
    phone_votes: int = 0
    batches: list[BatchRow] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(votes for _row, votes in self.rows)


def poll_summary(stage: Stage) -> PollSummary:
    """What the stage's organisers see of its audience vote (five queries, whatever the size)."""
    poll = AudiencePoll.objects.filter(stage=stage).first()
    if poll is None:
        return PollSummary(poll=None)
    counts = vote_counts(stage)
    entries = EntryStage.objects.filter(stage=stage).select_related("entry", "unit").order_by("entry_id")
    marks = dict(
        VoterMark.objects.filter(poll=poll)
        .values("method")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("method", "n")
    )
    batches = [
        BatchRow(batch=row["batch"], count=row["n"])
        for row in Ballot.objects.filter(poll=poll).values("batch").annotate(n=Count("pk")).order_by("batch")
    ]
    return PollSummary(
        poll=poll,
        rows=[(row, counts.get(row.entry_id, 0)) for row in entries],
        ballots_issued=sum(batch.count for batch in batches),
        ballots_used=marks.get(VoteMethod.BALLOT, 0),
        phone_votes=marks.get(VoteMethod.PHONE, 0),
        batches=batches,
    )


def ballot_codes(stage: Stage, batch: int | None) -> list[str]:
    """The codes of one batch (or of every batch) of the stage's ballots, in print order."""
    ballots = Ballot.objects.filter(poll__stage=stage)
    if batch is not None:
        ballots = ballots.filter(batch=batch)
    return list(ballots.order_by("batch", "pk").values_list("code", flat=True))


def public_stage(pk: int) -> Stage:
    """A stage with an audience vote, for anyone (no sign-in); any other answers 404."""
    stage = (
        Stage.objects.filter(pk=pk, blind=False, audience_poll__isnull=False)
        .select_related("competition", "audience_poll")
        .first()
    )
    if stage is None:
        raise NotFound(_("No such audience vote."), extra={"id": pk})
    return stage


def public_entries(stage: Stage) -> list[tuple[int, str, str]]:
    """(entry id, title, unit name) of the stage's entries, as announced on stage."""
    return list(
        EntryStage.objects.filter(stage=stage)
        .order_by("entry_id")
        .values_list("entry_id", "entry__title", "unit__name")
    )


def poll_state(poll: AudiencePoll, now: dt.datetime) -> str:
    """``not_open``, ``open`` or ``closed``."""
    if now < poll.opens_at:
        return "not_open"
    return "open" if now < poll.closes_at else "closed"
