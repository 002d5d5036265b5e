"""Referral codes: the link fills the code in, registration stores the referrer (unknown codes
and one's own ignored, never refused), and the referral ranking counts referred people who
submitted an attempt, per round or over the contest with its referral prizes."""

from __future__ import annotations

import pytest

from lantoa.contests.models import Contestant, ContestStatus
from lantoa.contests.referrals import referral_ranking
from lantoa.contests.services import contest_update
from lantoa.contests.services.eligible import INVITATION_ALPHABET
from lantoa.contests.tests.factories import make_contestant
from lantoa.contests.tests.results_data import entry, past_round
from lantoa.contests.views.play import token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def contest_round(tree):
    round_ = past_round(tree.province)
    round_.contest.status = ContestStatus.PUBLISHED
    round_.contest.ask_phone = True
    round_.contest.referral_prizes = 1
    round_.contest.save()
    return round_


def test_codes_use_the_registration_code_alphabet(contest_round, tree):
    people = [make_contestant(contest_round.contest, tree.commune_a1, name=f"Người {n}")[0] for n in range(5)]
    assert all(len(p.referral_code) == 8 and set(p.referral_code) <= set(INVITATION_ALPHABET) for p in people)


def test_the_link_fills_the_code_and_registering_keeps_the_referrer(client, contest_round, tree):
    contest = contest_round.contest
    friend, key = make_contestant(contest, tree.commune_a1, name="Lê Văn Bạn", phone="0912 000 111")
    code = friend.referral_code.lower()
    page = client.get(f"/contests/play/{contest.pk}/?ref={code}").content.decode()
    assert f'value="{code}"' in page
    form = {"name": "Hà Thị Mới", "unit": str(tree.province.pk), "group": "other", "consent": "on"}
    assert (
        client.post(f"/contests/play/{contest.pk}/", {**form, "referral_code": code[:4] + "-" + code[4:]}).status_code
        == 302
    )
    assert Contestant.objects.get(name="Hà Thị Mới").referred_by_id == friend.pk
    unknown = client.post(f"/contests/play/{contest.pk}/", {**form, "name": "Vũ Văn Lạ", "referral_code": "ZZZZ9999"})
    assert unknown.status_code == 302 and Contestant.objects.get(name="Vũ Văn Lạ").referred_by is None
    again = {**form, "name": "Lê Văn Bạn", "phone": "+84 912 000 111", "referral_code": friend.referral_code}
    assert client.post(f"/contests/play/{contest.pk}/", again).status_code == 302
    assert Contestant.objects.filter(name="Lê Văn Bạn", referred_by__isnull=True).count() == 2  # own code ignored
    me = client.get(f"/contests/play/me/{token_for(key)}/").content.decode()
    assert f"?ref={friend.referral_code}" in me


def test_the_ranking_counts_referred_people_who_submitted(client_for, admin_user, contest_round, tree):
    contest = contest_round.contest
    second = past_round(tree.province, contest=contest, bank=contest_round.bank, number=2)
    a, _ = make_contestant(contest, tree.commune_a1, name="Người A")
    b, _ = make_contestant(contest, tree.commune_a1, name="Người B")
    for n in range(3):
        brought, _ = make_contestant(contest, tree.commune_a1, name=f"Bạn của A {n}", referral_code=a.referral_code)
        if n < 2:
            entry(contest_round, brought, score=1)
            entry(contest_round, brought, score=2)  # two attempts: one person
    late, _ = make_contestant(contest, tree.commune_a1, name="Bạn của B", referral_code=b.referral_code)
    entry(second, late, score=1)
    rows = referral_ranking(contest)
    assert [(r.contestant.name, r.referred, r.rank, r.prize) for r in rows] == [
        ("Người A", 2, 1, True),
        ("Người B", 1, 2, False),
    ]
    assert [(r.contestant.name, r.referred, r.prize) for r in referral_ranking(contest, round_=second)] == [
        ("Người B", 1, False)
    ]
    client = client_for(admin_user)
    page = client.get(f"/contests/contests/{contest.pk}/referrals/").content.decode()
    assert page.index("Người A") < page.index("Người B") and "giải" in page
    api = client.get(f"/api/v1/contests/{contest.pk}/referrals?round=2").json()
    assert [i["name"] for i in api["items"]] == ["Người B"] and api["round"] == 2
    assert client.get(f"/api/v1/contests/{contest.pk}/referrals?round=9").status_code == 404
    assert client.get(f"/contests/contests/{contest.pk}/referrals/?round=x").status_code == 404


def test_referral_prizes_are_set_on_the_contest(admin_user, contest_round):
    from lantoa.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        contest_update(by=admin_user, contest=contest_round.contest, changes={"referral_prizes": -1})
    assert (
        contest_update(by=admin_user, contest=contest_round.contest, changes={"referral_prizes": 3}).referral_prizes
        == 3
    )
