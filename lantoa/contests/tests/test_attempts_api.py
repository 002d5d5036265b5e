"""Contests, rounds and attempts over the API: organisers' strict bodies and scope; the
contestant's register → start → submit with a key in a header, no sign-in, no cookie; the answer
key never in an answer before submission; idempotent submission; the limits."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from lantoa.accounts.tests.factories import make_user
from lantoa.contests.models import Attempt, Contest, QuestionVersion
from lantoa.contests.tests.factories import make_contest, make_round, stock_bank
from lantoa.contests.tests.test_api import bearer, send

pytestmark = pytest.mark.django_db


def post(client: Client, path: str, body: Any, key: str = "") -> Any:
    headers = {"X-Contestant-Key": key} if key else {}
    return client.post(f"/api/v1/contests{path}", json.dumps(body), content_type="application/json", headers=headers)


@pytest.fixture
def round_(tree):
    bank = stock_bank(tree.province)
    contest = make_contest(tree.province, prizes_individual=7, prizes_collective=7)
    return make_round(contest, bank, questions_per_attempt=5, prediction_kind="entries", prediction_prompt="Bao nhiêu?")


def register(client: Client, contest: Contest, unit: Any, **changes: Any) -> dict[str, Any]:
    body = {"name": "Sùng A Páo", "consent": True, "unit": unit.code, "group": "party_member", **changes}
    answer = post(client, f"/{contest.pk}/contestants", body)
    assert answer.status_code == 201, answer.content
    return answer.json()


def correct_letters(questions: list[list[Any]]) -> list[list[str]]:
    out = []
    for vid, order in questions:
        correct = QuestionVersion.objects.get(pk=vid).correct
        out.append(["ABCDEFGH"[i] for i, key in enumerate(order) if key in correct])
    return out


def test_register_start_submit_and_read_back(tree, round_):
    client = Client()
    me = register(client, round_.contest, tree.commune_a1)
    assert len(me["key"]) >= 30 and me["referral_code"]
    started = post(client, f"/rounds/{round_.pk}/attempts", {"client_key": "phone-1"}, me["key"])
    assert started.status_code == 201, started.content
    attempt = started.json()
    assert len(attempt["questions"]) == 5 and attempt["submitted_at"] is None
    assert attempt["prediction_kind"] == "entries"
    again = post(client, f"/rounds/{round_.pk}/attempts", {"client_key": "phone-1"}, me["key"])
    assert again.status_code == 200 and again.json()["id"] == attempt["id"]
    stored = Attempt.objects.get(pk=attempt["id"])
    body = {"answers": correct_letters(stored.questions), "prediction": 1234}
    done = post(client, f"/attempts/{attempt['id']}/submit", body, me["key"])
    assert done.status_code == 200, done.content
    result = done.json()
    assert (result["score"], result["correct_count"], result["prediction"]) == ("5.00", 5, 1234)
    assert "questions" not in result  # the result only: the phone has the questions
    retry = post(client, f"/attempts/{attempt['id']}/submit", {"answers": []}, me["key"])
    assert retry.json()["score"] == "5.00" and retry.json()["submitted_at"] == result["submitted_at"]
    read = client.get(f"/api/v1/contests/attempts/{attempt['id']}", HTTP_X_CONTESTANT_KEY=me["key"])
    assert read.status_code == 200 and read.json()["score"] == "5.00" and len(read.json()["questions"]) == 5
    assert not client.cookies and "Set-Cookie" not in done
    assert Attempt.objects.filter(submitted_at__isnull=False).count() == 1


def test_the_start_answers_what_the_schema_says(tree, round_):
    """The start's answer is encoded straight from its dict: it must be exactly what AttemptOut
    gives (the attempt read back through the schema by the detail endpoint)."""
    from lantoa.contests.schemas import AttemptOut

    client = Client()
    me = register(client, round_.contest, tree.commune_a1)
    started = post(client, f"/rounds/{round_.pk}/attempts", {"client_key": "k"}, me["key"])
    assert started.status_code == 201 and started["Content-Type"].startswith("application/json")
    attempt = started.json()
    assert len(AttemptOut.model_validate_json(started.content).questions) == 5  # the schema reads it
    read = client.get(f"/api/v1/contests/attempts/{attempt['id']}", HTTP_X_CONTESTANT_KEY=me["key"])
    assert attempt == read.json()
    again = post(client, f"/rounds/{round_.pk}/attempts", {"client_key": "k"}, me["key"])
    assert again.status_code == 200 and again.json() == attempt


def test_the_submission_answers_what_the_schema_says(tree, round_):
    """The submission's answer is encoded straight from its dict, like the start's: exactly the
    result ``ResultOut`` gives, and the same fields the attempt read back carries."""
    from lantoa.contests.schemas import ResultOut

    client = Client()
    me = register(client, round_.contest, tree.commune_a1)
    attempt = post(client, f"/rounds/{round_.pk}/attempts", {}, me["key"]).json()
    done = post(client, f"/attempts/{attempt['id']}/submit", {"answers": [["A"]], "prediction": 7}, me["key"])
    assert done.status_code == 200 and done["Content-Type"].startswith("application/json")
    result = done.json()
    assert set(result) == set(ResultOut.model_fields)
    assert ResultOut.model_validate_json(done.content).prediction == 7
    read = client.get(f"/api/v1/contests/attempts/{attempt['id']}", HTTP_X_CONTESTANT_KEY=me["key"]).json()
    assert {name: read[name] for name in result} == result


def test_the_answer_key_never_reaches_the_contestant(tree, round_):
    client = Client()
    me = register(client, round_.contest, tree.commune_a1)
    answer = post(client, f"/rounds/{round_.pk}/attempts", {}, me["key"])
    text = answer.content.decode()
    assert '"correct"' not in text and "explanation" not in text
    assert "Hội nghị thành lập Đảng" not in text  # the explanation's words
    stored = Attempt.objects.get(pk=answer.json()["id"])
    shown = answer.json()["questions"]
    for (vid, order), question in zip(stored.questions, shown, strict=True):
        version = QuestionVersion.objects.get(pk=vid)
        assert [o["text"] for o in question["options"]] == [version.option_text(k) for k in order]
        assert [o["key"] for o in question["options"]] == list("ABCDEFGH"[: len(order)])
    read = client.get(f"/api/v1/contests/attempts/{stored.pk}", HTTP_X_CONTESTANT_KEY=me["key"]).content.decode()
    assert '"correct"' not in read and "Hội nghị thành lập Đảng" not in read


def test_a_start_beyond_the_limit_answers_409(tree, round_):
    client = Client()
    me = register(client, round_.contest, tree.commune_a1)
    assert post(client, f"/rounds/{round_.pk}/attempts", {}, me["key"]).status_code == 201
    refused = post(client, f"/rounds/{round_.pk}/attempts", {}, me["key"])
    assert refused.status_code == 409 and refused.json()["code"] == "attempts_exhausted"


def test_a_late_submission_answers_409(tree, round_):
    client = Client()
    me = register(client, round_.contest, tree.commune_a1)
    attempt_id = post(client, f"/rounds/{round_.pk}/attempts", {}, me["key"]).json()["id"]
    Attempt.objects.filter(pk=attempt_id).update(deadline=timezone.now() - dt.timedelta(seconds=31))
    late = post(client, f"/attempts/{attempt_id}/submit", {"answers": []}, me["key"])
    assert late.status_code == 409 and late.json()["code"] == "attempt_expired"


def test_keys_and_attempts_of_others(tree, round_):
    client = Client()
    me = register(client, round_.contest, tree.commune_a1)
    other = register(client, round_.contest, tree.commune_b1, name="Lý Thị Mai")
    attempt_id = post(client, f"/rounds/{round_.pk}/attempts", {}, me["key"]).json()["id"]
    assert post(client, f"/rounds/{round_.pk}/attempts", {}, "wrong").status_code == 403
    theirs = client.get(f"/api/v1/contests/attempts/{attempt_id}", HTTP_X_CONTESTANT_KEY=other["key"])
    missing = client.get(
        "/api/v1/contests/attempts/00000000-0000-4000-8000-000000000000", HTTP_X_CONTESTANT_KEY=other["key"]
    )
    assert theirs.status_code == missing.status_code == 404
    assert post(client, f"/attempts/{attempt_id}/submit", {"answers": []}, other["key"]).status_code == 404


def test_bodies_are_strict(tree, round_):
    client = Client()
    me = register(client, round_.contest, tree.commune_a1)
    attempt_id = post(client, f"/rounds/{round_.pk}/attempts", {}, me["key"]).json()["id"]
    for body in (
        {"answers": [["A"]], "extra": 1},
        {"answers": "A"},
        {"answers": [["Z"]]},
        {"answers": [], "prediction": "5"},
    ):
        assert post(client, f"/attempts/{attempt_id}/submit", body, me["key"]).status_code == 422, body
    no_consent = post(
        client, f"/{round_.contest_id}/contestants", {"name": "A", "consent": False, "unit": "P", "group": "other"}
    )
    assert no_consent.status_code == 422


def test_minors_need_a_guardian(tree):
    contest = make_contest(tree.province, min_age=14)
    year = timezone.localdate().year
    body = {"name": "Giàng Thị Dua", "consent": True, "unit": "P-A-1", "group": "student", "birth_year": year - 15}
    refused = post(Client(), f"/{contest.pk}/contestants", body)
    assert refused.status_code == 422 and refused.json()["code"] == "guardian_consent_required"
    assert post(Client(), f"/{contest.pk}/contestants", {**body, "guardian_consent": True}).status_code == 201


def test_organisers_create_a_contest_and_its_rounds(tree, admin_user):
    client = bearer(admin_user)
    bank = stock_bank(tree.province)
    created = send(client, "post", "/", {"unit": "P", "title": "Tìm hiểu lịch sử Đảng bộ tỉnh", "client_key": "c1"})
    assert created.status_code == 201, created.content
    contest_id = created.json()["id"]
    assert send(client, "post", "/", {"unit": "P", "title": "Khác", "client_key": "c1"}).status_code == 200
    opens = "2026-03-02T07:30:00+07:00"
    body = {"bank": bank.pk, "opens_at": opens, "closes_at": "2026-03-09T07:30:00+07:00", "questions_per_attempt": 5}
    first = send(client, "post", f"/{contest_id}/rounds", body)
    assert first.status_code == 201, first.content
    assert first.json()["number"] == 1
    bad = send(client, "post", f"/{contest_id}/rounds", {**body, "draw_rules": [{"tag": "Chẵn", "count": 2}]})
    assert bad.status_code == 422
    changed = send(client, "patch", f"/rounds/{first.json()['id']}", {"attempts_allowed": 3, "weekdays": "12345"})
    assert changed.status_code == 200 and changed.json()["attempts_allowed"] == 3
    detail = client.get(f"/api/v1/contests/{contest_id}")
    assert detail.status_code == 200 and len(detail.json()["rounds"]) == 1
    published = send(client, "patch", f"/{contest_id}", {"status": "published"})
    assert published.json()["status"] == "published"
    assert send(client, "post", "/", {"unit": "P", "title": "X", "surprise": 1}).status_code == 422
    listed = client.get("/api/v1/contests/")
    assert listed.json()["count"] == 1


def test_an_officer_out_of_scope_sees_no_contest(tree, round_):
    officer = make_user(role="officer", unit=tree.commune_b1, username="officer_b")
    client = bearer(officer)
    hidden = client.get(f"/api/v1/contests/{round_.contest_id}")
    missing = client.get("/api/v1/contests/999999")
    assert hidden.status_code == missing.status_code == 404
    assert client.get(f"/api/v1/contests/rounds/{round_.pk}/figures").status_code == 404


def test_round_figures_cost_the_same_for_few_and_many_units(tree, round_, admin_user, django_assert_num_queries):
    from lantoa.contests import selectors
    from lantoa.contests.services import attempt_for_key, attempt_start, attempt_submit
    from lantoa.contests.tests.factories import make_contestant

    for n, unit in enumerate([tree.commune_a1, tree.commune_b1, tree.cell_a1, tree.bloc]):
        contestant, key = make_contestant(round_.contest, unit, name=f"Người thi {n}")
        attempt = attempt_start(contestant=contestant, round_=round_).attempt
        attempt_submit(attempt=attempt_for_key(attempt.pk, key), answers=[])
    with django_assert_num_queries(2):
        figures = selectors.round_figures(round_)
    assert (figures["entries"], figures["contestants"], len(figures["by_unit"])) == (4, 4, 4)


def test_start_and_submit_over_the_api_cost_a_fixed_number_of_queries(tree, round_):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    first = register(client, round_.contest, tree.commune_a1)
    post(client, f"/rounds/{round_.pk}/attempts", {}, first["key"])  # the round and bank are now cached
    me = register(client, round_.contest, tree.commune_b1, name="Hờ A Dơ")
    with CaptureQueriesContext(connection) as start:
        answer = post(client, f"/rounds/{round_.pk}/attempts", {}, me["key"])
    assert answer.status_code == 201
    assert len(start) == 2, [q["sql"] for q in start]  # the contestant by key with their attempts, the INSERT
    with CaptureQueriesContext(connection) as submit:
        done = post(client, f"/attempts/{answer.json()['id']}/submit", {"answers": [], "prediction": 7}, me["key"])
    assert done.status_code == 200
    assert len(submit) == 2, [q["sql"] for q in submit]  # the attempt with its contestant's key, the UPDATE
