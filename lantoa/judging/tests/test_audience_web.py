"""The audience vote's pages and endpoints: the public page (small, no cookie, works as plain
forms), the organiser's page and endpoints in scope only, strict bodies, and one ballot sent
fifty times at once counting once (PostgreSQL)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from lantoa.accounts.tests.factories import make_user
from lantoa.core import notify, ratelimit
from lantoa.core.tests.concurrency import post_at_once, skip_unless_shared_database
from lantoa.judging.audience import services as audience
from lantoa.judging.models import AudienceVote, Ballot, VoterMark
from lantoa.judging.tests.audience_helpers import FakeSms, entry_ids, staged_stage
from lantoa.judging.tests.factories import make_competition, make_rubric, make_stage

PAGE_LIMIT = 30 * 1024


@pytest.fixture(autouse=True)
def _fresh_limits():
    ratelimit.reset()
    yield
    ratelimit.reset()


@pytest.fixture
def sms():
    channel = FakeSms()
    notify.register_channel(channel, first=True)
    yield channel
    notify.unregister_channel(channel.name)


def post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


@pytest.mark.django_db
def test_the_public_page_votes_with_a_ballot_without_cookies(tree):
    stage = staged_stage(tree)
    audience.ballots_issue(by=None, stage=stage, count=2)
    code = Ballot.objects.first().code
    first = entry_ids(stage)[0]
    client = Client()
    page = client.get(f"/judging/vote/{stage.pk}/?ballot={code}")
    html = page.content.decode()
    assert page.status_code == 200 and len(page.content) < PAGE_LIMIT and not page.cookies
    assert audience.shown_ballot(code) in html and "Đội xã Quang Kim" in html and "<script" not in html
    done = client.post(f"/judging/vote/{stage.pk}/", {"action": "ballot", "ballot": code, "entry": first})
    assert done.status_code == 200 and 'data-testid="vote-done"' in done.content.decode() and not done.cookies
    again = client.post(f"/judging/vote/{stage.pk}/", {"action": "ballot", "ballot": code, "entry": first})
    assert again.status_code == 409 and "Phiếu bình chọn này đã được sử dụng." in again.content.decode()
    unknown = client.post(f"/judging/vote/{stage.pk}/", {"action": "ballot", "ballot": "AAAA-AAAA", "entry": first})
    assert unknown.status_code == 422 and 'data-testid="vote-error"' in unknown.content.decode()
    assert AudienceVote.objects.count() == 1


@pytest.mark.django_db
def test_the_public_page_votes_with_a_phone_code(tree, sms):
    stage = staged_stage(tree)
    second = entry_ids(stage)[1]
    client = Client()
    asked = client.post(f"/judging/vote/{stage.pk}/", {"action": "phone", "phone": "0912 345 678"})
    html = asked.content.decode()
    assert asked.status_code == 200 and 'name="token"' in html and not asked.cookies
    token = html.split('name="token" value="', 1)[1].split('"', 1)[0]
    wrong = "000000" if sms.last_code() != "000000" else "111111"
    bad = client.post(f"/judging/vote/{stage.pk}/", {"action": "code", "token": token, "code": wrong, "entry": second})
    assert bad.status_code == 422 and "Còn được thử: 4" in bad.content.decode()
    done = client.post(
        f"/judging/vote/{stage.pk}/", {"action": "code", "token": token, "code": sms.last_code(), "entry": second}
    )
    assert done.status_code == 200 and 'data-testid="vote-done"' in done.content.decode()
    assert list(AudienceVote.objects.values_list("entry_id", "method")) == [(second, "phone")]


@pytest.mark.django_db
def test_a_closed_vote_and_a_stage_without_one(tree):
    stage = staged_stage(tree)
    audience.poll_close(by=None, stage=stage)
    client = Client()
    page = client.get(f"/judging/vote/{stage.pk}/")
    assert page.status_code == 200 and "Cuộc bình chọn của khán giả đã kết thúc." in page.content.decode()
    assert client.post(f"/judging/vote/{stage.pk}/", {"action": "ballot"}).status_code == 409
    assert post(client, f"/api/v1/judging/vote/{stage.pk}", {"entry": 1, "ballot": "ACEF-HJKM"}).status_code == 409
    plain = make_stage(make_competition(tree.province, kind="staged"), make_rubric(tree.province))
    assert client.get(f"/judging/vote/{plain.pk}/").status_code == 404
    assert client.get(f"/api/v1/judging/vote/{plain.pk}").status_code == 404


@pytest.mark.django_db
def test_the_public_api_votes_and_refuses_bad_bodies(tree, sms):
    stage = staged_stage(tree)
    audience.ballots_issue(by=None, stage=stage, count=1)
    code = Ballot.objects.get().code
    first, second, _third = entry_ids(stage)
    client = Client()
    info = client.get(f"/api/v1/judging/vote/{stage.pk}").json()
    assert info["state"] == "open" and [e["id"] for e in info["entries"]] == [first, second, _third]
    path = f"/api/v1/judging/vote/{stage.pk}"
    for body in (
        {"entry": first},
        {"entry": first, "ballot": code, "token": "x", "code": "123456"},
        {"entry": first, "token": "x"},
        {"entry": "1", "ballot": code},
        {"entry": 0, "ballot": code},
        {"entry": first, "ballot": code, "extra": 1},
        {"entry": first, "ballot": "A" * 21},
    ):
        assert post(client, path, body).status_code == 422, body
    assert client.post(path, "[1]", content_type="application/json").status_code == 422
    made = post(client, path, {"entry": first, "ballot": audience.shown_ballot(code)})
    assert made.status_code == 201 and made.json()["method"] == "ballot"
    assert post(client, path, {"entry": first, "ballot": code}).json()["code"] == "ballot_used"
    asked = post(client, f"{path}/code", {"phone": "0987654321"})
    assert asked.status_code == 201 and asked.json()["expires_in"] == 300
    assert post(client, f"{path}/code", {"phone": 987654321}).status_code == 422
    assert post(client, f"{path}/code", {"phone": "12"}).json()["code"] == "bad_phone"
    voted = post(client, path, {"entry": second, "token": asked.json()["token"], "code": sms.last_code()})
    assert voted.status_code == 201 and voted.json()["method"] == "phone"
    assert post(client, f"{path}/code", {"phone": "+84987654321"}).json()["code"] == "already_voted"
    assert AudienceVote.objects.count() == 2


@pytest.mark.django_db
def test_the_organiser_runs_the_vote_and_sees_counts_only(tree, client_for):
    stage = make_stage(make_competition(tree.province, kind="staged"), make_rubric(tree.province))
    manager = client_for(make_user(role="manager", unit=tree.province, username="quanly"))
    base = f"/api/v1/judging/stages/{stage.pk}/audience-vote"
    times = {"opens_at": "2022-05-10T19:00:00+07:00", "closes_at": "2022-05-10T23:00:00+07:00"}
    assert manager.get(base).json()["state"] == "none"
    opened = manager.put(base, json.dumps(times), content_type="application/json")
    assert opened.status_code == 201 and opened.json()["state"] == "closed"
    assert manager.put(base, json.dumps(times), content_type="application/json").status_code == 200
    bad_times = {**times, "closes_at": "2022-05-10T18:00:00+07:00"}
    assert manager.put(base, json.dumps(bad_times), content_type="application/json").status_code == 422
    assert manager.put(base, json.dumps({**times, "opens_at": 5}), content_type="application/json").status_code == 422
    made = post(manager, f"{base}/ballots", {"count": 30})
    assert made.status_code == 201 and made.json() == {"stage": stage.pk, "batch": 1, "count": 30, "issued": 30}
    for count in (0, 2001, "30", 1.5):
        assert post(manager, f"{base}/ballots", {"count": count}).status_code == 422
    pdf = manager.get(f"{base}/ballots.pdf?batch=1")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert manager.get(f"{base}/ballots.pdf?batch=7").status_code == 404
    assert manager.get(f"{base}/ballots.pdf?batch=x").status_code == 422
    assert post(manager, f"{base}/close", {}).json()["code"] == "vote_closed"
    summary = manager.get(base).json()
    assert (summary["ballots_issued"], summary["ballots_used"], summary["total"]) == (30, 0, 0)
    page = manager.get(f"/judging/stages/{stage.pk}/audience/")
    assert page.status_code == 200 and "30 phiếu bình chọn đã phát hành" in page.content.decode()
    assert manager.get(f"/judging/stages/{stage.pk}/audience/ballots.pdf?batch=1").content.startswith(b"%PDF")


@pytest.mark.django_db
def test_out_of_scope_answers_like_missing(tree, client_for):
    stage = make_stage(make_competition(tree.province, kind="staged"), make_rubric(tree.province))
    outsider = client_for(make_user(role="manager", unit=tree.commune_a1, username="xa"))
    base = f"/api/v1/judging/stages/{stage.pk}/audience-vote"
    missing = "/api/v1/judging/stages/999999/audience-vote"
    assert outsider.get(base).status_code == outsider.get(missing).status_code == 404
    assert outsider.get(base).json()["message"] == outsider.get(missing).json()["message"]
    assert post(outsider, f"{base}/ballots", {"count": 3}).status_code == 404
    assert outsider.get(f"/judging/stages/{stage.pk}/audience/").status_code == 404
    assert outsider.post(f"/judging/stages/{stage.pk}/audience/ballots/", {"count": 3}).status_code == 404
    viewer = client_for(make_user(role="viewer", unit=tree.province, username="xem"))
    assert post(viewer, f"{base}/ballots", {"count": 3}).status_code == 403
    assert viewer.get(base).status_code == 200
    assert not Ballot.objects.exists()


@pytest.mark.django_db
def test_the_organisers_page_opens_the_vote_and_generates_ballots(tree, client_for):
    stage = make_stage(make_competition(tree.province, kind="staged"), make_rubric(tree.province))
    manager = client_for(make_user(role="manager", unit=tree.province, username="quanly"))
    url = f"/judging/stages/{stage.pk}/audience/"
    assert 'data-testid="stage-audience"' in manager.get(f"/judging/stages/{stage.pk}/").content.decode()
    bad = manager.post(f"{url}open/", {"opens_at": "2022-05-10T19:00", "closes_at": "2022-05-10T18:00"})
    assert bad.status_code == 422
    manager.post(f"{url}open/", {"opens_at": "2022-05-10T19:00", "closes_at": "2022-05-10T23:00"})
    assert stage.audience_poll.closes_at.hour == 16  # 23:00 in Hà Nội is 16:00 UTC
    manager.post(f"{url}ballots/", {"count": "12"})
    assert Ballot.objects.filter(poll__stage=stage).count() == 12


@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_votes_with_one_ballot_count_once(tree):
    skip_unless_shared_database()
    stage = staged_stage(tree)
    audience.ballots_issue(by=None, stage=stage, count=1)
    code = Ballot.objects.get().code
    answers = post_at_once(
        Client(), f"/api/v1/judging/vote/{stage.pk}", {"entry": entry_ids(stage)[0], "ballot": code}, times=50
    )
    statuses = sorted(status for status, _body in answers)
    assert statuses.count(201) == 1 and statuses.count(409) == 49, statuses
    assert AudienceVote.objects.count() == 1 and VoterMark.objects.count() == 1


@pytest.mark.django_db
def test_a_signed_in_visitor_votes_through_the_same_form_with_csrf(tree):
    stage = staged_stage(tree)
    audience.ballots_issue(by=None, stage=stage, count=1)
    code = Ballot.objects.get().code
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(role="viewer", unit=tree.province, username="khan_gia"))
    page = client.get(f"/judging/vote/{stage.pk}/").content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    body = {"action": "ballot", "ballot": code, "entry": entry_ids(stage)[2]}
    assert client.post(f"/judging/vote/{stage.pk}/", body).status_code == 403  # no CSRF token
    done = client.post(f"/judging/vote/{stage.pk}/", {**body, "csrfmiddlewaretoken": token})
    assert done.status_code == 200 and AudienceVote.objects.count() == 1
