"""The audience vote's services: ballots count once, phone codes expire, have five tries and
limits, one vote per phone, the vote row holds nothing personal, counts feed the results."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from lantoa.core import ratelimit
from lantoa.core.errors import ApplicationError, Conflict, TooManyRequests, ValidationFailed
from lantoa.judging import services
from lantoa.judging.audience import limits
from lantoa.judging.audience import selectors as audience_selectors
from lantoa.judging.audience import services as audience
from lantoa.judging.models import (
    BALLOT_BATCH_MAX,
    AudienceVote,
    Ballot,
    EntryStage,
    PhoneChallenge,
    ScoreSheet,
    VoteMethod,
    VoterMark,
)
from lantoa.judging.tests.audience_helpers import FakeSms, entry_ids, staged_stage
from lantoa.judging.tests.factories import make_competition, make_entry, make_juror, make_rubric, make_stage

pytestmark = pytest.mark.django_db
OPENS = dt.datetime(2022, 5, 10, 19, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
DURING = OPENS + dt.timedelta(hours=1)
ADDRESS = "203.0.113.7"


@pytest.fixture(autouse=True)
def _fresh_limits():
    ratelimit.reset()
    yield
    ratelimit.reset()


@pytest.fixture
def stage(tree):
    return staged_stage(tree, opens=OPENS)


@pytest.fixture
def sms():
    return FakeSms()


def _ballots(stage, count=5):
    audience.ballots_issue(by=None, stage=stage, count=count)
    return list(Ballot.objects.filter(poll__stage=stage).values_list("code", flat=True))


def test_the_vote_row_holds_no_personal_column():
    names = {f.name for f in AudienceVote._meta.get_fields()}
    assert names == {"id", "stage", "entry", "method", "day"}
    assert AudienceVote._meta.pk.get_internal_type() == "UUIDField"
    assert AudienceVote._meta.get_field("day").get_internal_type() == "DateField"
    # The spent right names no vote, no entry and no time; the code request keeps hashes only.
    assert {f.name for f in VoterMark._meta.get_fields()} == {"id", "poll", "method", "digest"}
    assert {f.name for f in PhoneChallenge._meta.get_fields()} == {
        "token",
        "poll",
        "phone_digest",
        "code_digest",
        "expires_at",
        "tries",
    }


def test_ballot_codes_are_random_short_unguessable_and_bounded(stage):
    batch = audience.ballots_issue(by=None, stage=stage, count=500)
    assert batch == 1 and audience.ballots_issue(by=None, stage=stage, count=3) == 2
    codes = list(Ballot.objects.filter(poll__stage=stage).values_list("code", flat=True))
    assert len(codes) == len(set(codes)) == 503
    assert all(len(code) == 8 and set(code) <= set(audience.BALLOT_ALPHABET) for code in codes)
    alphabet = set(audience.BALLOT_ALPHABET)
    assert not set("0OQ1IL") & alphabet
    assert all(len(set(group) & alphabet) <= 1 for group in ("0OQD", "1IL", "2Z", "5S", "8B", "6G"))
    assert audience.shown_ballot("ACEFHJKM") == "ACEF-HJKM" and audience.normal_ballot(" acef-hjkm ") == "ACEFHJKM"
    for bad in (0, BALLOT_BATCH_MAX + 1, True, "5"):
        with pytest.raises(ValidationFailed):
            audience.ballots_issue(by=None, stage=stage, count=bad)  # type: ignore[arg-type]
    assert Ballot.objects.count() == 503


def test_a_blind_stage_has_no_audience_vote(tree):
    stage = make_stage(make_competition(tree.province, kind="essay"), make_rubric(tree.province), blind=True)
    with pytest.raises(Conflict) as caught:
        audience.poll_open(by=None, stage=stage, opens_at=OPENS, closes_at=DURING)
    assert caught.value.code == "stage_blind"


def test_the_vote_times_are_checked(tree):
    stage = make_stage(make_competition(tree.province, kind="staged"), make_rubric(tree.province))
    with pytest.raises(ValidationFailed):
        audience.poll_open(by=None, stage=stage, opens_at=DURING, closes_at=OPENS)
    with pytest.raises(ValidationFailed):
        audience.poll_open(by=None, stage=stage, opens_at=OPENS, closes_at=OPENS + dt.timedelta(days=40))
    with pytest.raises(ValidationFailed):
        audience.poll_open(by=None, stage=stage, opens_at=dt.datetime(2022, 5, 10, 19), closes_at=DURING)


def test_a_ballot_counts_once_and_the_vote_keeps_only_the_day(stage):
    code = _ballots(stage)[0]
    first, second, _third = entry_ids(stage)
    vote = audience.vote_by_ballot(stage=stage, entry_id=first, ballot=code.lower(), address=ADDRESS, now=DURING)
    assert (vote.stage_id, vote.entry_id, vote.method, vote.day) == (stage.pk, first, "ballot", dt.date(2022, 5, 10))
    with pytest.raises(Conflict) as caught:
        audience.vote_by_ballot(stage=stage, entry_id=second, ballot=code, address=ADDRESS, now=DURING)
    assert caught.value.code == "ballot_used"
    assert AudienceVote.objects.count() == 1 and VoterMark.objects.get().method == VoteMethod.BALLOT
    # No column anywhere holds the code of the ballot that was used.
    assert code not in str(list(VoterMark.objects.values_list("digest", flat=True)))


def test_unknown_ballots_bad_entries_and_closed_votes_are_refused(stage):
    code = _ballots(stage)[0]
    first = entry_ids(stage)[0]
    for bad in ("", "ACEF-HJK", "0000-0000", "ACEFHJKMX"):
        with pytest.raises(ValidationFailed) as caught:
            audience.vote_by_ballot(stage=stage, entry_id=first, ballot=bad, address=ADDRESS, now=DURING)
        assert caught.value.code == "unknown_ballot"
    with pytest.raises(ValidationFailed) as caught:
        audience.vote_by_ballot(stage=stage, entry_id=999_999, ballot=code, address=ADDRESS, now=DURING)
    assert caught.value.code == "bad_entry"
    for moment, reason in (
        (OPENS - dt.timedelta(minutes=1), "vote_not_open"),
        (OPENS + dt.timedelta(hours=4), "vote_closed"),
    ):
        with pytest.raises(Conflict) as caught:
            audience.vote_by_ballot(stage=stage, entry_id=first, ballot=code, address=ADDRESS, now=moment)
        assert caught.value.code == reason
    audience.poll_close(by=None, stage=stage, now=DURING)
    with pytest.raises(Conflict) as caught:
        audience.vote_by_ballot(stage=stage, entry_id=first, ballot=code, address=ADDRESS, now=DURING)
    assert caught.value.code == "vote_closed"
    assert not AudienceVote.objects.exists() and not VoterMark.objects.exists()


def test_guessing_ballot_codes_is_stopped_per_address(stage):
    code = _ballots(stage)[0]
    first = entry_ids(stage)[0]
    for _attempt in range(limits.GUESS_LIMIT):
        with pytest.raises(ValidationFailed):
            audience.vote_by_ballot(stage=stage, entry_id=first, ballot="ACEF-ACEF", address=ADDRESS, now=DURING)
    with pytest.raises(TooManyRequests):
        audience.vote_by_ballot(stage=stage, entry_id=first, ballot=code, address=ADDRESS, now=DURING)
    audience.vote_by_ballot(stage=stage, entry_id=first, ballot=code, address="198.51.100.1", now=DURING)


def test_a_phone_votes_once_with_its_code_and_the_number_is_never_stored(stage, sms):
    first, second, _third = entry_ids(stage)
    token = audience.code_request(stage=stage, phone="+84 912 345 678", address=ADDRESS, now=DURING, channels=[sms])
    assert sms.sent[-1][0] == "0912345678"
    challenge = PhoneChallenge.objects.get()
    assert challenge.phone_digest == audience.phone_digest("0912345678") and len(challenge.phone_digest) == 64
    assert sms.last_code() not in challenge.code_digest and "912345678" not in str(PhoneChallenge.objects.values())
    vote = audience.vote_by_phone(
        stage=stage, entry_id=first, token=token, code=sms.last_code(), address=ADDRESS, now=DURING
    )
    assert vote.method == VoteMethod.PHONE and not PhoneChallenge.objects.exists()
    # The same phone, written another way, cannot ask again nor vote again.
    with pytest.raises(Conflict) as caught:
        audience.code_request(stage=stage, phone="0912.345.678", address=ADDRESS, now=DURING, channels=[sms])
    assert caught.value.code == "already_voted"
    with pytest.raises(ValidationFailed) as unknown:
        audience.vote_by_phone(
            stage=stage, entry_id=second, token=token, code=sms.last_code(), address=ADDRESS, now=DURING
        )
    assert unknown.value.code == "code_unknown"
    assert AudienceVote.objects.count() == 1
    assert "912345678" not in str(list(VoterMark.objects.values())) + str(list(AudienceVote.objects.values()))


def test_two_codes_for_one_phone_still_give_one_vote(stage, sms):
    first = entry_ids(stage)[0]
    token_a = audience.code_request(stage=stage, phone="0987654321", address=ADDRESS, now=DURING, channels=[sms])
    code_a = sms.last_code()
    # A second request replaces the first (the first token is gone) …
    token_b = audience.code_request(stage=stage, phone="0987654321", address=ADDRESS, now=DURING, channels=[sms])
    with pytest.raises(ValidationFailed):
        audience.vote_by_phone(stage=stage, entry_id=first, token=token_a, code=code_a, address=ADDRESS, now=DURING)
    audience.vote_by_phone(
        stage=stage, entry_id=first, token=token_b, code=sms.last_code(), address=ADDRESS, now=DURING
    )
    # … and a challenge forged for the same phone hash meets the unique mark.
    poll = stage.audience_poll
    PhoneChallenge.objects.create(
        token="forged",
        poll=poll,
        phone_digest=audience.phone_digest("0987654321"),
        code_digest=audience._digest("otp", "forged:123456"),
        expires_at=DURING + dt.timedelta(minutes=5),
    )
    with pytest.raises(Conflict) as caught:
        audience.vote_by_phone(stage=stage, entry_id=first, token="forged", code="123456", address=ADDRESS, now=DURING)
    assert caught.value.code == "already_voted" and AudienceVote.objects.count() == 1


def test_a_code_expires_after_five_minutes(stage, sms):
    first = entry_ids(stage)[0]
    token = audience.code_request(stage=stage, phone="0912345678", address=ADDRESS, now=DURING, channels=[sms])
    late = DURING + dt.timedelta(minutes=5)
    with pytest.raises(ValidationFailed) as caught:
        audience.vote_by_phone(
            stage=stage, entry_id=first, token=token, code=sms.last_code(), address=ADDRESS, now=late
        )
    assert caught.value.code == "code_expired" and not AudienceVote.objects.exists()
    in_time = DURING + dt.timedelta(minutes=4, seconds=59)
    audience.vote_by_phone(stage=stage, entry_id=first, token=token, code=sms.last_code(), address=ADDRESS, now=in_time)
    assert AudienceVote.objects.count() == 1


def test_a_code_allows_five_tries(stage, sms):
    first = entry_ids(stage)[0]
    token = audience.code_request(stage=stage, phone="0912345678", address=ADDRESS, now=DURING, channels=[sms])
    good = sms.last_code()
    wrong = "000000" if good != "000000" else "111111"
    lefts = []
    for _try in range(5):
        with pytest.raises(ValidationFailed) as caught:
            audience.vote_by_phone(stage=stage, entry_id=first, token=token, code=wrong, address=ADDRESS, now=DURING)
        lefts.append(caught.value.extra["tries_left"])
    assert lefts == [4, 3, 2, 1, 0]
    with pytest.raises(ValidationFailed) as caught:
        audience.vote_by_phone(stage=stage, entry_id=first, token=token, code=good, address=ADDRESS, now=DURING)
    assert caught.value.code == "code_locked" and not AudienceVote.objects.exists()
    with pytest.raises(ValidationFailed):
        audience.vote_by_phone(stage=stage, entry_id=first, token=token, code="12345", address=ADDRESS, now=DURING)


def test_code_requests_are_limited_per_phone_and_per_address(stage, sms):
    for _request in range(limits.CODE_REQUESTS_PER_PHONE):
        audience.code_request(stage=stage, phone="0912345678", address=ADDRESS, now=DURING, channels=[sms])
    with pytest.raises(TooManyRequests):
        audience.code_request(stage=stage, phone="+84912345678", address="198.51.100.9", now=DURING, channels=[sms])
    sent = len(sms.sent)
    for number in range(limits.CODE_REQUESTS_PER_ADDRESS - limits.CODE_REQUESTS_PER_PHONE):
        audience.code_request(stage=stage, phone=f"09{number:08d}", address=ADDRESS, now=DURING, channels=[sms])
    with pytest.raises(TooManyRequests):
        audience.code_request(stage=stage, phone="0355555555", address=ADDRESS, now=DURING, channels=[sms])
    assert len(sms.sent) == sent + limits.CODE_REQUESTS_PER_ADDRESS - limits.CODE_REQUESTS_PER_PHONE


def test_bad_numbers_and_unreachable_phones(stage, sms):
    for bad in ("", "12345", "0212345678", "+1 650 555 0100", "09123456789"):
        with pytest.raises(ValidationFailed) as caught:
            audience.code_request(stage=stage, phone=bad, address=ADDRESS, now=DURING, channels=[sms])
        assert caught.value.code == "bad_phone"
    with pytest.raises(ApplicationError) as caught:
        audience.code_request(stage=stage, phone="0912345678", address=ADDRESS, now=DURING, channels=[])
    assert caught.value.code == "code_not_sent" and caught.value.status == 503
    assert not PhoneChallenge.objects.exists() and not sms.sent


def test_counts_feed_the_audience_component(tree, stage, sms):
    first, second, third = entry_ids(stage)
    codes = _ballots(stage, 6)
    for code, entry in zip(codes, [first, first, first, second, second, third], strict=True):
        audience.vote_by_ballot(stage=stage, entry_id=entry, ballot=code, address=ADDRESS, now=DURING)
    token = audience.code_request(stage=stage, phone="0912345678", address=ADDRESS, now=DURING, channels=[sms])
    audience.vote_by_phone(stage=stage, entry_id=first, token=token, code=sms.last_code(), address=ADDRESS, now=DURING)
    assert audience_selectors.vote_counts(stage) == {first: 4, second: 2, third: 1}
    summary = audience_selectors.poll_summary(stage)
    assert (summary.ballots_issued, summary.ballots_used, summary.phone_votes, summary.total) == (6, 6, 1, 7)
    # The jury gives each entry 80; weight 0.5: 0.5 × 80 + 0.5 × 100 × votes / 4.
    _score_all(stage, make_juror(stage, tree.bloc, role="chair"))
    services.stage_results_compute(by=None, stage=stage)
    rows = {row.entry_id: row for row in EntryStage.objects.filter(stage=stage)}
    assert rows[first].score == Decimal("90.000") and rows[first].audience_votes == 4
    assert rows[second].score == Decimal("65.000") and rows[second].audience_votes == 2
    assert rows[third].score == Decimal("52.500") and rows[third].rank == 3
    # The typed count is refused while an electronic vote exists.
    with pytest.raises(Conflict) as caught:
        services.audience_votes_record(by=None, row=rows[first], votes=400)
    assert caught.value.code == "electronic_vote"


def _score_all(stage, juror, value="8"):
    services.stage_assign(by=None, stage=stage)
    for sheet in ScoreSheet.objects.filter(stage=stage):
        services.sheet_record(by=juror.user, sheet=sheet, values={c.pk: value for c in services.stage_criteria(stage)})


def test_without_an_electronic_vote_the_typed_count_is_used(tree):
    competition = make_competition(tree.province, kind="staged")
    stage = make_stage(competition, make_rubric(tree.province), jurors_per_entry=1, audience_weight="0.5")
    first = make_entry(competition, tree.commune_a1)
    second = make_entry(competition, tree.commune_b1)
    rows = {row.entry_id: row for row in EntryStage.objects.filter(stage=stage)}
    services.audience_votes_record(by=None, row=rows[first.pk], votes=10)
    services.audience_votes_record(by=None, row=rows[second.pk], votes=5)
    _score_all(stage, make_juror(stage, tree.bloc, role="chair"))
    services.stage_results_compute(by=None, stage=stage)
    scores = dict(EntryStage.objects.filter(stage=stage).values_list("entry_id", "score"))
    assert scores == {first.pk: Decimal("90.000"), second.pk: Decimal("65.000")}
    assert audience_selectors.poll_summary(stage).poll is None


def test_the_demo_casts_its_audience_vote_through_the_services(tree):
    from lantoa.judging import demo

    competition = make_competition(tree.province, kind="staged")
    stage = make_stage(competition, make_rubric(tree.province), audience_weight="0.2")
    for unit in (tree.commune_a1, tree.commune_b1, tree.district_b):
        make_entry(competition, unit)
    demo._audience_vote(stage, dt.date(2021, 5, 4), demo._rng("test"))
    summary = audience_selectors.poll_summary(stage)
    assert summary.ballots_issued == demo.AUDIENCE_BALLOTS and 380 <= summary.ballots_used <= 460
    assert summary.phone_votes == demo.AUDIENCE_PHONES
    assert summary.total == summary.ballots_used + summary.phone_votes
    assert set(AudienceVote.objects.values_list("day", flat=True)) == {dt.date(2021, 5, 4)}


def test_the_organisers_counts_take_the_same_queries_for_more_entries_and_votes(tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = staged_stage(tree, opens=OPENS)
    large = staged_stage(tree, opens=OPENS)
    for index in range(6):
        make_entry(large.competition, tree.commune_a1, title=f"Đội {index}")
    for stage, votes in ((small, 2), (large, 12)):
        codes = _ballots(stage, votes)
        entries = entry_ids(stage)
        for index, code in enumerate(codes):
            audience.vote_by_ballot(
                stage=stage, entry_id=entries[index % len(entries)], ballot=code, address=ADDRESS, now=DURING
            )
    queries = []
    for stage in (small, large):
        with CaptureQueriesContext(connection) as captured:
            summary = audience_selectors.poll_summary(stage)
            [row.entry.title + row.unit.name for row, _votes in summary.rows]
        queries.append(len(captured))
    assert queries[0] == queries[1] <= 5
