"""The contestant's pages: register, start, answer, submit, see the score — without JavaScript,
without a cookie, light, and never showing the answer key before submission."""

from __future__ import annotations

import gzip
import re
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import timezone

from lantoa.contests.models import Attempt, Contestant, QuestionVersion
from lantoa.contests.tests.factories import make_contest, make_round, stock_bank

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(tree):
    bank = stock_bank(tree.province)
    contest = make_contest(tree.province, consent_text="Dữ liệu chỉ dùng cho cuộc thi.")
    return make_round(contest, bank, questions_per_attempt=5, prediction_kind="perfect_scores")


def weight(response: Any) -> int:
    """The page's bytes plus its static files, gzipped as served."""
    text = response.content.decode()
    total = len(response.content)
    for path in re.findall(r'(?:href|src)="/static/([^"?#]+)', text):
        found = finders.find(path)
        assert found, path
        with open(found, "rb") as handle:
            total += len(gzip.compress(handle.read()))
    return total


def register(client: Client, round_: Any, tree: Any, **changes: Any) -> Any:
    form = {"name": "Thào A Dế", "unit": round_.contest.unit.pk, "group": "cadre", "consent": "on"}
    form.update(changes)
    return client.post(f"/contests/play/{round_.contest_id}/", form)


def test_the_whole_journey_without_script_or_cookie(tree, round_):
    client = Client()
    page = client.get(f"/contests/play/{round_.contest_id}/")
    assert page.status_code == 200 and not page.cookies
    assert 'name="consent"' in page.content.decode() and "checked" not in page.content.decode()
    assert weight(page) < 30 * 1024
    registered = register(client, round_, tree)
    assert registered.status_code == 302, registered.content.decode()[:2000]
    me_url = registered["Location"]
    me = client.get(me_url)
    assert me.status_code == 200 and "Thào A Dế" in me.content.decode() and not me.cookies
    assert weight(me) < 30 * 1024
    start_url = re.search(r'action="([^"]+/start/)"', me.content.decode()).group(1)  # type: ignore[union-attr]
    key = re.search(r'name="client_key" value="([^"]+)"', me.content.decode()).group(1)  # type: ignore[union-attr]
    started = client.post(start_url, {"client_key": key})
    assert started.status_code == 302
    page = client.get(started["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and not page.cookies
    assert weight(page) < 30 * 1024
    assert "style=" not in html and "<script>" not in html  # only the countdown, from a file
    attempt = Attempt.objects.get()
    form: dict[str, Any] = {"prediction": "12"}
    for i, (vid, order) in enumerate(attempt.questions):
        correct = QuestionVersion.objects.get(pk=vid).correct
        form[f"q{i}"] = ["ABCDEFGH"[p] for p, key in enumerate(order) if key in correct]
    submit_url = re.search(r'action="([^"]+/submit/)"', html).group(1)  # type: ignore[union-attr]
    done = client.post(submit_url, form)
    assert done.status_code == 302
    result = client.get(done["Location"])
    assert 'data-testid="play-score"' in result.content.decode() and "5,00" in result.content.decode()  # vi
    assert weight(result) < 30 * 1024 and not result.cookies
    again = client.post(submit_url, {})  # a second tap: the stored result stands
    assert again.status_code == 302
    assert Attempt.objects.get().score == 5 and Attempt.objects.get().prediction == 12


def test_the_attempt_page_has_no_answer_key(tree, round_):
    client = Client()
    me_url = register(client, round_, tree)["Location"]
    me = client.get(me_url).content.decode()
    start_url = re.search(r'action="([^"]+/start/)"', me).group(1)  # type: ignore[union-attr]
    html = client.get(client.post(start_url, {"client_key": "x"})["Location"]).content.decode()
    assert '"correct' not in html and " checked" not in html and "Hội nghị thành lập Đảng" not in html
    attempt = Attempt.objects.get()
    for vid, order in attempt.questions:
        version = QuestionVersion.objects.get(pk=vid)
        texts = [version.option_text(k) for k in order]
        positions = [html.index(f"<span>{t}</span>", html.index(version.stem)) for t in texts]
        assert positions == sorted(positions)  # shown in the attempt's order, lettered as shown


def test_registration_refusals_stay_on_the_form(tree):
    bank = stock_bank(tree.province)
    contest = make_contest(tree.province, min_age=12)
    round_ = make_round(contest, bank)
    client = Client()
    no_consent = register(client, round_, tree, consent="", birth_year=timezone.localdate().year - 30)
    assert no_consent.status_code == 422 and 'data-testid="play-error-consent"' in no_consent.content.decode()
    minor = register(client, round_, tree, birth_year=timezone.localdate().year - 13)
    assert minor.status_code == 422 and 'data-testid="play-error-guardian_consent"' in minor.content.decode()
    assert not Contestant.objects.exists()
    ok = register(client, round_, tree, birth_year=timezone.localdate().year - 13, guardian_consent="on")
    assert ok.status_code == 302 and Contestant.objects.get().guardian_consent


def test_a_bad_token_or_someone_elses_attempt_is_not_found(tree, round_):
    client = Client()
    assert client.get("/contests/play/me/nonsense/").status_code == 404
    me_url = register(client, round_, tree)["Location"]
    start_url = re.search(r'action="([^"]+/start/)"', client.get(me_url).content.decode()).group(1)  # type: ignore[union-attr]
    attempt_url = client.post(start_url, {"client_key": "x"})["Location"]
    other_me = register(Client(), round_, tree, name="Lù Văn Páo")["Location"]
    token = other_me.split("/me/")[1].split("/")[0]
    stolen = re.sub(r"/me/[^/]+/", f"/me/{token}/", attempt_url)
    assert client.get(stolen).status_code == 404


def test_a_draft_contest_has_no_public_page(tree):
    contest = make_contest(tree.province, status="draft")
    assert Client().get(f"/contests/play/{contest.pk}/").status_code == 404
