"""Prize claims: the winner's claim step (page and API), the organisers' masked list, the prize
officer's full view (audited), the payment export (audited), marking paid, and the erasure of
payment details after the retention period, judged at known moments."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from lantoa.accounts.tests.factories import make_user
from lantoa.contests.models import PrizeClaim
from lantoa.contests.services import round_close
from lantoa.contests.services.claims import ClaimData, claim_mark_paid, claim_submit, claims_erase
from lantoa.contests.tests.factories import make_contestant
from lantoa.contests.tests.results_data import entry, past_round, person
from lantoa.contests.views.play import token_for
from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.core.models import AuditEntry

pytestmark = pytest.mark.django_db

BANK = {
    "method": "bank",
    "payee_name": "NGUYEN THI HOA",
    "bank_account": "0123 456 789",
    "bank_name": "Agribank Lào Cai",
    "phone": "0912 345 678",
}


@pytest.fixture
def won(tree):
    """A closed round with two prizes: Hoa (first) holds a key; a third contestant has none."""
    round_ = past_round(tree.province)
    hoa, key = make_contestant(round_.contest, tree.commune_a1, name="Nguyễn Thị Hoa")
    entry(round_, hoa, score=3, prediction=4)
    entry(round_, person(round_, tree.commune_b1, "Trần Văn Bình"), score=2, prediction=4)
    loser, loser_key = make_contestant(round_.contest, tree.commune_b1, name="Lò Văn Sáng")
    entry(round_, loser, score=0, prediction=4)
    round_ = round_close(by=None, round_=round_, actual=4).round
    return round_, hoa, key, loser_key


@pytest.fixture
def officer_province(tree):
    """May change the province's contests, but sees no sensitive personal fields."""
    return make_user(role="officer", unit=tree.province, username="officer_p")


def test_a_winner_claims_on_the_page_and_corrects_it(client, won):
    round_, hoa, key, _loser = won
    me = client.get(f"/contests/play/me/{token_for(key)}/").content.decode()
    assert f"/rounds/{round_.pk}/claim/" in me and 'data-testid="play-claim-link"' in me
    url = f"/contests/play/me/{token_for(key)}/rounds/{round_.pk}/claim/"
    page = client.get(url).content.decode()
    form = page[page.index('data-testid="play-claim-form"') :]
    fields = set(re.findall(r'<(?:input|select)[^>]* name="([a-z_]+)"', form)) - {"csrfmiddlewaretoken"}
    assert "Đăng ký nhận giải" in page and fields == {"method", "payee_name", "bank_account", "bank_name", "phone"}
    assert client.post(url, {**BANK, "bank_account": "12ab"}).status_code == 422
    assert not PrizeClaim.objects.exists()
    assert client.post(url, BANK).status_code == 302
    claim = PrizeClaim.objects.get()
    assert (claim.bank_account, claim.phone, claim.contestant_id) == ("0123456789", "0912 345 678", hoa.pk)
    shown = client.get(url + "?sent=1").content.decode()
    assert "••••6789" in shown and "0123456789" not in shown
    assert (
        client.post(url, {"method": "in_person", "payee_name": "Nguyễn Thị Hoa", "phone": "0912345678"}).status_code
        == 302
    )
    claim.refresh_from_db()
    assert claim.method == "in_person" and claim.bank_account == "" and PrizeClaim.objects.count() == 1


def test_only_winners_of_a_closed_round_claim(client, won, tree):
    round_, _hoa, _key, loser_key = won
    response = client.get(f"/contests/play/me/{token_for(loser_key)}/rounds/{round_.pk}/claim/")
    assert response.status_code == 409
    open_round = past_round(tree.province, contest=round_.contest, bank=round_.bank, number=2)
    with pytest.raises(Conflict):
        claim_submit(contestant=won[1], round_=open_round, data=ClaimData(**BANK))
    with pytest.raises(ValidationFailed):
        claim_submit(contestant=won[1], round_=round_, data=ClaimData(**{**BANK, "bank_name": ""}))
    assert not PrizeClaim.objects.exists()


def test_the_api_claim_step(client, won):
    round_, _hoa, key, loser_key = won
    headers = {"HTTP_X_CONTESTANT_KEY": key}
    url = f"/api/v1/contests/rounds/{round_.pk}/claim"
    assert client.get(url, **headers).json() is None
    bad = client.post(url, {**BANK, "bank_account": 123}, content_type="application/json", **headers)
    assert bad.status_code == 422
    done = client.post(url, BANK, content_type="application/json", **headers)
    assert done.status_code == 200 and done.json()["bank_account"] == "••••6789"
    refused = client.post(url, BANK, content_type="application/json", HTTP_X_CONTESTANT_KEY=loser_key)
    assert refused.status_code == 409 and refused.json()["code"] == "no_prize"


def test_organisers_see_masked_claims_and_the_prize_officer_in_full(client_for, admin_user, officer_province, won):
    round_, hoa, _key, _loser = won
    claim = claim_submit(contestant=hoa, round_=round_, data=ClaimData(**BANK))
    officer = client_for(officer_province)
    listing = officer.get(f"/contests/rounds/{round_.pk}/claims/").content.decode()
    assert "••••6789" in listing and "0123456789" not in listing and "Chưa đăng ký nhận" in listing  # Not claimed
    assert "payment.xlsx" not in listing
    detail = officer.get(f"/contests/claims/{claim.pk}/").content.decode()
    assert "0123456789" not in detail and not AuditEntry.objects.filter(action="lantoa.contests.claim.viewed").exists()
    assert officer.get(f"/contests/rounds/{round_.pk}/claims/payment.xlsx").status_code == 403
    assert officer.post(f"/contests/claims/{claim.pk}/paid/").status_code == 403
    admin = client_for(admin_user)
    full = admin.get(f"/contests/claims/{claim.pk}/").content.decode()
    assert "0123456789" in full
    assert AuditEntry.objects.filter(action="lantoa.contests.claim.viewed", actor=admin_user).count() == 1
    api = admin.get(f"/api/v1/contests/claims/{claim.pk}").json()
    assert api["full"] and api["bank_account"] == "0123456789"
    listed = admin.get(f"/api/v1/contests/rounds/{round_.pk}/claims").json()
    assert [i["status"] for i in listed["items"]] == ["claimed", "unclaimed"]
    assert listed["items"][0]["claim"]["bank_account"] == "••••6789"


def test_the_payment_export_is_full_and_audited(client_for, admin_user, won):
    round_, hoa, _key, _loser = won
    claim_submit(contestant=hoa, round_=round_, data=ClaimData(**BANK))
    response = client_for(admin_user).get(f"/contests/rounds/{round_.pk}/claims/payment.xlsx")
    rows = list(load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0].iter_rows(values_only=True))
    assert any("0123456789" in row for row in rows)
    assert AuditEntry.objects.filter(action="lantoa.contests.claim.exported", actor=admin_user).exists()


def test_out_of_scope_answers_like_missing(client_for, officer_a, inspector, won):
    round_, hoa, _key, _loser = won
    claim = claim_submit(contestant=hoa, round_=round_, data=ClaimData(**BANK))
    assert client_for(officer_a).get(f"/contests/claims/{claim.pk}/").status_code == 404
    assert client_for(officer_a).get(f"/contests/rounds/{round_.pk}/claims/").status_code == 404
    assert client_for(inspector).get(f"/contests/claims/{claim.pk}/").status_code == 403


def test_paid_claims_are_erased_after_the_retention_period(won):
    round_, hoa, _key, _loser = won
    paid_on = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
    claim = claim_submit(contestant=hoa, round_=round_, data=ClaimData(**BANK), now=paid_on - dt.timedelta(days=2))
    round_.contest.claim_retention_days = 30
    round_.contest.save(update_fields=["claim_retention_days"])
    assert claims_erase(now=paid_on) == 0  # not paid: kept
    claim_mark_paid(by=None, claim=claim, now=paid_on)
    with pytest.raises(Conflict):
        claim_mark_paid(by=None, claim=claim, now=paid_on)
    assert claims_erase(now=paid_on + dt.timedelta(days=29, hours=23)) == 0
    assert claims_erase(now=paid_on + dt.timedelta(days=30)) == 1
    claim.refresh_from_db()
    assert (claim.payee_name, claim.bank_account, claim.bank_name, claim.phone) == ("", "", "", "")
    assert claim.paid_at == paid_on and claim.status == "erased"
    assert claims_erase(now=paid_on + dt.timedelta(days=400)) == 0  # idempotent
    assert AuditEntry.objects.filter(action="lantoa.contests.claim.erased").count() == 1
    with pytest.raises(Conflict):
        claim_submit(contestant=hoa, round_=round_, data=ClaimData(**BANK))


def test_the_erase_command_judges_from_the_moment_given(won):
    round_, hoa, _key, _loser = won
    claim = claim_submit(contestant=hoa, round_=round_, data=ClaimData(**BANK))
    claim_mark_paid(by=None, claim=claim, now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    out = io.StringIO()
    call_command("contests_erase_claims", "--now", "2026-02-01T00:00:00+00:00", stdout=out)
    assert "0 " in out.getvalue()  # 90 days by default
    call_command("contests_erase_claims", "--now", "2026-04-02T00:00:00+00:00", stdout=out)
    assert PrizeClaim.objects.get().erased_at is not None


def test_the_claims_page_costs_the_same_for_2_or_20_prizes(client_for, admin_user, tree):
    from lantoa.contests.tests.factories import make_contest

    def cost(prizes: int) -> int:
        contest = make_contest(tree.province, prizes_individual=prizes)
        round_ = past_round(tree.province, contest=contest)
        for n in range(prizes):
            winner = person(round_, tree.commune_a1)
            entry(round_, winner, score=n % 4)
        round_ = round_close(by=None, round_=round_).round
        for result in round_.results.all()[: prizes // 2]:
            claim_submit(contestant=result.contestant, round_=round_, data=ClaimData(**BANK))
        client = client_for(admin_user)
        client.get(f"/contests/rounds/{round_.pk}/claims/")
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/contests/rounds/{round_.pk}/claims/").status_code == 200
        return len(captured)

    assert cost(2) == cost(20)
