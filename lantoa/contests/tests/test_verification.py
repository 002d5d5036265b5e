"""A contestant verifies their phone or e-mail by a one-time code before starting: the setting
and its audit, registration requiring the contact, the code's life (wrong, exhausted, expired,
replaced, right), start refused before and allowed after at the same query cost, the limits, a
contact no channel reaches, the API and the page without script."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lantoa.contests import limits, public_cache
from lantoa.contests.models import ContactChallenge, Contestant
from lantoa.contests.services import attempt_start, contest_update, contestant_for_key
from lantoa.contests.services.verification import code_confirm, code_request
from lantoa.contests.tests.factories import make_contest, make_contestant, make_round, stock_bank
from lantoa.core.errors import ApplicationError, Conflict, TooManyRequests, ValidationFailed
from lantoa.core.models import AuditEntry
from lantoa.core.notify import Recipient, register_channel, unregister_channel

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.7"


class FakeSms:
    name = "test-sms"

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def can_reach(self, recipient: Recipient) -> bool:
        return bool(recipient.phone)

    def send(self, recipient: Recipient, subject: str, body: str) -> bool:
        self.sent.append((recipient.phone, body))
        return True

    def last_code(self) -> str:
        return re.search(r"\b(\d{6})\b", self.sent[-1][1]).group(1)  # type: ignore[union-attr]


class BrokenSms(FakeSms):
    def send(self, recipient: Recipient, subject: str, body: str) -> bool:
        return False


@pytest.fixture
def sms() -> Iterator[FakeSms]:
    channel = FakeSms()
    register_channel(channel, first=True)
    yield channel
    unregister_channel(channel.name)


@pytest.fixture
def setup(tree):
    bank = stock_bank(tree.province)
    contest = make_contest(tree.province, ask_phone=True, verify_phone=True)
    round_ = make_round(contest, bank, questions_per_attempt=3)
    contestant, key = make_contestant(contest, tree.commune_a1, phone="0912 345 678")
    return contest, round_, contestant, key


def wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def test_the_setting_needs_the_contact_asked_and_its_change_is_audited(tree):
    user = None
    with pytest.raises(ValidationFailed) as caught:
        make_contest(tree.province, verify_phone=True)
    assert caught.value.extra["field"] == "verify_phone"
    contest = make_contest(tree.province, ask_email=True)
    contest_update(by=user, contest=contest, changes={"verify_email": True})
    contest.refresh_from_db()
    assert contest.verify_email
    entry = AuditEntry.objects.filter(action="lantoa.contests.contest.updated").latest("pk")
    assert entry.changed_fields == ["verify_email"]
    with pytest.raises(ValidationFailed):
        contest_update(by=user, contest=contest, changes={"ask_email": False})


def test_turning_it_on_is_refused_when_contestants_lack_the_contact(tree):
    contest = make_contest(tree.province, ask_phone=True)
    make_contestant(contest, tree.commune_a1)  # no phone given
    with pytest.raises(Conflict) as caught:
        contest_update(by=None, contest=contest, changes={"verify_phone": True})
    assert caught.value.code == "contacts_missing"
    contest.refresh_from_db()
    assert not contest.verify_phone


def test_registration_requires_the_contact_to_verify(tree):
    contest = make_contest(tree.province, ask_phone=True, verify_phone=True)
    with pytest.raises(ValidationFailed) as caught:
        make_contestant(contest, tree.commune_a1)
    assert caught.value.code == "phone_required"
    assert not Contestant.objects.exists()


def test_start_is_refused_until_the_code_is_typed(setup, sms):
    _contest, round_, contestant, _key = setup
    with pytest.raises(Conflict) as caught:
        attempt_start(contestant=contestant, round_=round_)
    assert caught.value.code == "contact_not_verified" and caught.value.status == 409
    sent = code_request(contestant=contestant, medium="phone", address=ADDRESS)
    assert sms.sent[-1][0] == "0912 345 678"
    code = sms.last_code()
    challenge = ContactChallenge.objects.get()
    assert code not in challenge.code_digest and code not in sent.token
    assert sent.expires_at == challenge.expires_at
    done = code_confirm(contestant=contestant, token=sent.token, code=code, address=ADDRESS)
    assert done.medium == "phone" and not ContactChallenge.objects.exists()
    stored = Contestant.objects.get(pk=contestant.pk)
    assert stored.phone_verified_at == done.verified_at and stored.email_verified_at is None
    assert attempt_start(contestant=stored, round_=round_).created


def test_wrong_codes_are_bounded_and_a_used_code_is_spent(setup, sms):
    _contest, _round, contestant, _key = setup
    sent = code_request(contestant=contestant, medium="phone", address=ADDRESS)
    good = sms.last_code()
    lefts = []
    for _try in range(5):
        with pytest.raises(ValidationFailed) as caught:
            code_confirm(contestant=contestant, token=sent.token, code=wrong(good), address=ADDRESS)
        lefts.append(caught.value.extra["tries_left"])
    assert lefts == [4, 3, 2, 1, 0]
    with pytest.raises(ValidationFailed) as locked:
        code_confirm(contestant=contestant, token=sent.token, code=good, address=ADDRESS)
    assert locked.value.code == "code_locked"
    assert Contestant.objects.get(pk=contestant.pk).phone_verified_at is None
    again = code_request(contestant=contestant, medium="phone", address=ADDRESS)
    code_confirm(contestant=contestant, token=again.token, code=sms.last_code(), address=ADDRESS)
    with pytest.raises(ValidationFailed) as spent:
        code_confirm(contestant=contestant, token=again.token, code=sms.last_code(), address=ADDRESS)
    assert spent.value.code == "code_unknown"


def test_a_code_expires_after_five_minutes_and_a_new_request_replaces_it(setup, sms):
    _contest, _round, contestant, _key = setup
    now = timezone.now()
    first = code_request(contestant=contestant, medium="phone", address=ADDRESS, now=now)
    first_code = sms.last_code()
    with pytest.raises(ValidationFailed) as expired:
        code_confirm(
            contestant=contestant,
            token=first.token,
            code=first_code,
            address=ADDRESS,
            now=now + dt.timedelta(minutes=5),
        )
    assert expired.value.code == "code_expired"
    second = code_request(contestant=contestant, medium="phone", address=ADDRESS, now=now)
    with pytest.raises(ValidationFailed) as replaced:
        code_confirm(contestant=contestant, token=first.token, code=first_code, address=ADDRESS, now=now)
    assert replaced.value.code == "code_unknown" and ContactChallenge.objects.count() == 1
    later = now + dt.timedelta(minutes=4, seconds=59)
    code_confirm(contestant=contestant, token=second.token, code=sms.last_code(), address=ADDRESS, now=later)
    assert Contestant.objects.get(pk=contestant.pk).phone_verified_at == later


def test_another_contestants_request_is_unknown(setup, tree, sms):
    contest, _round, contestant, _key = setup
    other, _other_key = make_contestant(contest, tree.commune_b1, name="Lò Văn Pọm", phone="0987 654 321")
    sent = code_request(contestant=contestant, medium="phone", address=ADDRESS)
    with pytest.raises(ValidationFailed) as caught:
        code_confirm(contestant=other, token=sent.token, code=sms.last_code(), address=ADDRESS)
    assert caught.value.code == "code_unknown"
    assert Contestant.objects.get(pk=other.pk).phone_verified_at is None


def test_requests_are_limited_per_contact_and_per_address(setup, tree, sms):
    contest, _round, contestant, _key = setup
    for _request in range(limits.CODE_REQUESTS_PER_CONTACT):
        code_request(contestant=contestant, medium="phone", address=ADDRESS)
    with pytest.raises(TooManyRequests):
        code_request(contestant=contestant, medium="phone", address="198.51.100.9")
    sent = len(sms.sent)
    others = [
        make_contestant(contest, tree.commune_b1, name=f"Người {n}", phone=f"09{n:08d}")[0]
        for n in range(limits.CODE_REQUESTS_PER_ADDRESS - limits.CODE_REQUESTS_PER_CONTACT + 1)
    ]
    for other in others[:-1]:
        code_request(contestant=other, medium="phone", address=ADDRESS)
    with pytest.raises(TooManyRequests):
        code_request(contestant=others[-1], medium="phone", address=ADDRESS)
    assert len(sms.sent) == sent + len(others) - 1


def test_wrong_codes_count_against_the_address(setup, sms):
    _contest, _round, contestant, _key = setup
    sent = code_request(contestant=contestant, medium="phone", address=ADDRESS)
    for _earlier in range(limits.UNKNOWN_KEY_LIMIT - 1):
        limits.count_unknown_key(ADDRESS)
    with pytest.raises(ValidationFailed):
        code_confirm(contestant=contestant, token=sent.token, code=wrong(sms.last_code()), address=ADDRESS)
    with pytest.raises(TooManyRequests):  # past the limit, the right code too
        code_confirm(contestant=contestant, token=sent.token, code=sms.last_code(), address=ADDRESS)
    code_confirm(contestant=contestant, token=sent.token, code=sms.last_code(), address="198.51.100.1")


def test_no_channel_reaching_the_contact_keeps_nothing(setup):
    _contest, round_, contestant, _key = setup
    with pytest.raises(Conflict) as caught:
        code_request(contestant=contestant, medium="phone", address=ADDRESS, channels=[])
    assert caught.value.code == "contact_unreachable"
    with pytest.raises(ApplicationError) as failed:
        code_request(contestant=contestant, medium="phone", address=ADDRESS, channels=[BrokenSms()])
    assert failed.value.code == "code_not_sent" and failed.value.status == 503
    assert not ContactChallenge.objects.exists()
    assert Contestant.objects.get(pk=contestant.pk).phone_verified_at is None
    with pytest.raises(Conflict):
        attempt_start(contestant=contestant, round_=round_)


def test_a_contact_the_contest_does_not_verify_or_already_verified(setup, sms):
    _contest, _round, contestant, _key = setup
    with pytest.raises(ValidationFailed):
        code_request(contestant=contestant, medium="email", address=ADDRESS)
    with pytest.raises(ValidationFailed):
        code_request(contestant=contestant, medium="fax", address=ADDRESS)
    sent = code_request(contestant=contestant, medium="phone", address=ADDRESS)
    code_confirm(contestant=contestant, token=sent.token, code=sms.last_code(), address=ADDRESS)
    with pytest.raises(Conflict) as caught:
        code_request(contestant=contestant, medium="phone", address=ADDRESS)
    assert caught.value.code == "contact_already_verified"


def test_the_code_is_in_no_log_nor_audit_row(setup, sms, caplog):
    _contest, _round, contestant, _key = setup
    with caplog.at_level(logging.DEBUG):
        sent = code_request(contestant=contestant, medium="phone", address=ADDRESS)
        code = sms.last_code()
        code_confirm(contestant=contestant, token=sent.token, code=code, address=ADDRESS)
    assert code not in caplog.text
    assert code not in json.dumps(list(AuditEntry.objects.values()), default=str)


def test_start_costs_the_same_queries_with_verification(setup, sms):
    _contest, round_, contestant, key = setup
    sent = code_request(contestant=contestant, medium="phone", address=ADDRESS)
    code_confirm(contestant=contestant, token=sent.token, code=sms.last_code(), address=ADDRESS)
    public_cache.cached_round(round_.pk)
    public_cache.cached_bank(round_.bank_id)
    with CaptureQueriesContext(connection) as start_queries:
        found = contestant_for_key(key)
        warm_round = public_cache.cached_round(round_.pk)
        assert found is not None and warm_round is not None
        attempt_start(contestant=found, round_=warm_round)
    assert len(start_queries) == 3  # the contestant, their attempts in the round, the INSERT


# --- Over the API ---------------------------------------------------------------------------------


def post(client: Client, path: str, body: Any, key: str = "") -> Any:
    headers = {"X-Contestant-Key": key} if key else {}
    return client.post(f"/api/v1/contests{path}", json.dumps(body), content_type="application/json", headers=headers)


def test_the_api_flow_by_e_mail(tree):
    bank = stock_bank(tree.province)
    contest = make_contest(tree.province, ask_email=True, verify_email=True)
    round_ = make_round(contest, bank, questions_per_attempt=3)
    client = Client()
    body = {"name": "Giàng A Lử", "consent": True, "unit": tree.commune_a1.code, "group": "cadre"}
    missing = post(client, f"/{contest.pk}/contestants", body)
    assert missing.status_code == 422 and missing.json()["code"] == "email_required"
    me = post(client, f"/{contest.pk}/contestants", {**body, "email": "lu@example.org"}).json()
    assert me["unverified"] == ["email"]
    refused = post(client, f"/rounds/{round_.pk}/attempts", {}, me["key"])
    assert refused.status_code == 409 and refused.json()["code"] == "contact_not_verified"
    assert post(client, "/contestants/me/verification", {"medium": "email"}).status_code == 403
    bad = post(client, "/contestants/me/verification", {"medium": "email", "extra": 1}, me["key"])
    assert bad.status_code == 422
    sent = post(client, "/contestants/me/verification", {"medium": "email"}, me["key"])
    assert sent.status_code == 201, sent.content
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)  # type: ignore[union-attr]
    assert code not in sent.content.decode() and mail.outbox[-1].to == ["lu@example.org"]
    token = sent.json()["request"]
    wrong_answer = post(
        client, "/contestants/me/verification/confirm", {"request": token, "code": wrong(code)}, me["key"]
    )
    assert wrong_answer.status_code == 422 and wrong_answer.json()["code"] == "code_wrong"
    assert code not in wrong_answer.content.decode()
    done = post(client, "/contestants/me/verification/confirm", {"request": token, "code": code}, me["key"])
    assert done.status_code == 200 and done.json()["medium"] == "email" and done.json()["unverified"] == []
    assert post(client, f"/rounds/{round_.pk}/attempts", {}, me["key"]).status_code == 201


def test_the_api_says_when_no_channel_reaches_a_phone(setup):
    _contest, _round, _contestant, key = setup
    answer = post(Client(), "/contestants/me/verification", {"medium": "phone"}, key)
    assert answer.status_code == 409 and answer.json()["code"] == "contact_unreachable"
    assert not ContactChallenge.objects.exists()


def test_the_organiser_sets_it_over_the_api(tree, admin_user):
    from lantoa.contests.tests.test_api import bearer, send

    contest = make_contest(tree.province)
    client = bearer(admin_user)
    refused = send(client, "patch", f"/{contest.pk}", {"verify_phone": True})
    assert refused.status_code == 422 and refused.json()["extra"]["field"] == "verify_phone"
    done = send(client, "patch", f"/{contest.pk}", {"ask_phone": True, "verify_phone": True})
    assert done.status_code == 200, done.content
    assert done.json()["verify_phone"] is True


# --- The page -------------------------------------------------------------------------------------


def test_the_page_flow_without_script(tree, sms):
    bank = stock_bank(tree.province)
    contest = make_contest(tree.province, ask_phone=True, verify_phone=True)
    make_round(contest, bank, questions_per_attempt=3)
    client = Client()
    form = {"name": "Thào A Dế", "unit": contest.unit.pk, "group": "cadre", "consent": "on"}
    missing = client.post(f"/contests/play/{contest.pk}/", form)
    assert missing.status_code == 422 and 'data-testid="play-error-phone"' in missing.content.decode()
    registered = client.post(f"/contests/play/{contest.pk}/", {**form, "phone": "0912 345 678"})
    assert registered.status_code == 302
    me = client.get(registered["Location"])
    html = me.content.decode()
    assert 'data-testid="play-unverified"' in html and 'data-testid="play-start"' not in html
    verify_url = re.search(r'href="([^"]+/verify/)"', html).group(1)  # type: ignore[union-attr]
    page = client.get(verify_url)
    assert page.status_code == 200 and "<script" not in page.content.decode() and not page.cookies
    sent = client.post(verify_url, {"medium": "phone", "send": "1"})
    assert sent.status_code == 200 and 'data-testid="play-code-sent"' in sent.content.decode()
    code = sms.last_code()
    assert code not in sent.content.decode()
    request_token = re.search(r'name="request" value="([^"]+)"', sent.content.decode()).group(1)  # type: ignore[union-attr]
    bad = client.post(verify_url, {"request": request_token, "code": wrong(code)})
    assert bad.status_code == 422 and 'data-testid="play-error-code"' in bad.content.decode()
    done = client.post(verify_url, {"request": request_token, "code": code})
    assert done.status_code == 302 and done["Location"].endswith("?verified=1")
    after = client.get(done["Location"]).content.decode()
    assert 'data-testid="play-verified"' in after and 'data-testid="play-start"' in after
    assert client.get(verify_url).status_code == 302  # nothing left to verify


def test_the_page_says_when_no_channel_reaches_the_phone(setup):
    _contest, _round, _contestant, key = setup
    from lantoa.contests.views.play import token_for

    client = Client()
    url = f"/contests/play/me/{token_for(key)}/verify/"
    answer = client.post(url, {"medium": "phone", "send": "1"})
    assert answer.status_code == 409 and 'data-testid="play-verify-error"' in answer.content.decode()
    assert not ContactChallenge.objects.exists()


def test_the_contest_page_says_which_contacts_are_asked_and_checked(tree, admin_user, client_for):
    contest = make_contest(tree.province, ask_phone=True, ask_email=True)
    contest = contest_update(by=None, contest=contest, changes={"verify_email": True})
    page = client_for(admin_user).get(f"/contests/contests/{contest.pk}/").content.decode()
    contacts = page.split('data-testid="contest-contacts">')[1].split("</dd>")[0]
    assert contacts == "điện thoại · thư điện tử (xác minh bằng mã dùng một lần)"
