"""Question banks over the API: strict bodies (unknown fields and out-of-bound values are 422),
scope (out of scope answers exactly like missing), versions, import and export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from lantoa.accounts.services import api_token_create
from lantoa.accounts.tests.factories import make_user
from lantoa.contests.models import OPTION_MAX, STEM_MAX, Question, QuestionBank, QuestionVersion
from lantoa.contests.tests.factories import make_bank, make_question

pytestmark = pytest.mark.django_db

EXPORT = (Path(__file__).parent / "fixtures" / "moodle_lich_su_dang.xml").read_bytes()


def bearer(user: Any) -> Client:
    _row, secret = api_token_create(by=None, user=user, name="contests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def send(client: Client, method: str, path: str, body: Any) -> Any:
    return getattr(client, method)(f"/api/v1/contests{path}", json.dumps(body), content_type="application/json")


def question_body(**changes: Any) -> dict[str, Any]:
    return {
        "stem": "Đảng Cộng sản Việt Nam ra đời năm nào?",
        "options": ["1925", "1930", "1945"],
        "correct": ["B"],
        "tags": ["Chương 1"],
        **changes,
    }


def test_an_officer_creates_a_bank_and_a_question(tree, officer_a):
    client = bearer(officer_a)
    created = send(client, "post", "/banks", {"unit": "P-A-1", "name": "Ngân hàng xã", "client_key": "b1"})
    assert created.status_code == 201, created.content
    bank = created.json()
    assert (bank["unit"], bank["may_change"], bank["question_count"]) == ("P-A-1", True, 0)
    assert send(client, "post", "/banks", {"unit": "P-A-1", "name": "Khác", "client_key": "b1"}).status_code == 200
    answer = send(client, "post", f"/banks/{bank['id']}/questions", question_body(client_key="q1"))
    assert answer.status_code == 201, answer.content
    question = answer.json()
    assert question["current"]["options"] == [
        {"key": "A", "text": "1925"},
        {"key": "B", "text": "1930"},
        {"key": "C", "text": "1945"},
    ]
    assert question["current"]["correct"] == ["B"] and question["tags"] == ["Chương 1"]
    again = send(client, "post", f"/banks/{bank['id']}/questions", question_body(client_key="q1"))
    assert (again.status_code, again.json()["id"]) == (200, question["id"])
    listed = client.get(f"/api/v1/contests/banks/{bank['id']}/questions?tag=Chương 1").json()
    assert listed["count"] == 1


def test_revising_adds_a_version_and_the_history_keeps_the_first(tree, admin_user):
    question = make_question(make_bank(tree.province))
    client = bearer(admin_user)
    answer = send(client, "post", f"/questions/{question.pk}/versions", question_body(stem="Năm thành lập Đảng?"))
    assert answer.status_code == 200, answer.content
    detail = answer.json()
    assert [v["number"] for v in detail["versions"]] == [2, 1]
    assert detail["versions"][1]["stem"] == question.current.stem
    assert detail["current"]["stem"] == "Năm thành lập Đảng?"
    retired = send(client, "post", f"/questions/{question.pk}/retire", {})
    assert retired.json()["retired_at"] is not None
    refused = send(client, "post", f"/questions/{question.pk}/versions", question_body(stem="Khác"))
    assert (refused.status_code, refused.json()["code"]) == (409, "question_retired")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"colour": "red"}, "colour"),
        ({"stem": "x" * (STEM_MAX + 1)}, "stem"),
        ({"options": ["x" * (OPTION_MAX + 1), "b"]}, "options"),
        ({"options": [str(n) for n in range(9)]}, "options"),
        ({"correct": ["Z"]}, "correct"),
        ({"correct": []}, "correct"),
        ({"difficulty": 4}, "difficulty"),
        ({"difficulty": "2"}, "difficulty"),
        ({"kind": "essay"}, "kind"),
        ({"tags": ["t"] * 11}, "tags"),
        ({"stem": 5}, "stem"),
        ({"correct": ["A", "B"]}, "correct"),  # single choice: the service says so
        ({"scoring": "partial"}, "scoring"),
    ],
)
def test_bodies_are_strict_and_bounded(tree, admin_user, changes, field):
    bank = make_bank(tree.province)
    answer = send(bearer(admin_user), "post", f"/banks/{bank.pk}/questions", question_body(**changes))
    assert answer.status_code == 422, answer.content
    extra = answer.json()["extra"]
    fields = {part for error in extra.get("errors", []) if isinstance(error, dict) for part in error["loc"]}
    fields |= set(extra.get("errors", {}) if isinstance(extra.get("errors"), dict) else ()) | {extra.get("field")}
    assert field in fields
    assert not Question.objects.exists()


def test_out_of_scope_answers_exactly_like_missing(tree):
    bank = make_bank(tree.commune_a1)
    question = make_question(bank)
    outsider = bearer(make_user(role="officer", unit=tree.commune_b1, username="out"))
    for path in (f"/banks/{bank.pk}", f"/banks/{bank.pk}/questions", f"/questions/{question.pk}"):
        hidden = outsider.get(f"/api/v1/contests{path}")
        missing = outsider.get(
            f"/api/v1/contests{path.replace(str(bank.pk), '999999').replace(str(question.pk), '999999')}"
        )
        assert hidden.status_code == missing.status_code == 404
        assert {k: v for k, v in hidden.json().items() if k != "extra"} == {
            k: v for k, v in missing.json().items() if k != "extra"
        }
    assert outsider.get("/api/v1/contests/banks").json()["count"] == 0
    refused = send(outsider, "post", "/banks", {"unit": "P-A-1", "name": "Không được"})
    assert refused.status_code == 404
    assert QuestionBank.objects.count() == 1


def test_read_only_roles_read_and_are_refused_changes(tree, inspector):
    bank = make_bank(tree.commune_a1)
    question = make_question(bank)
    client = bearer(inspector)
    assert client.get(f"/api/v1/contests/banks/{bank.pk}").json()["may_change"] is False
    assert send(client, "patch", f"/banks/{bank.pk}", {"name": "Đổi"}).status_code == 403
    assert send(client, "post", f"/questions/{question.pk}/versions", question_body()).status_code == 403
    assert send(client, "post", "/banks", {"unit": "P", "name": "Mới"}).status_code == 403
    assert QuestionVersion.objects.count() == 1


def test_import_and_export_over_the_api(tree, admin_user):
    bank = make_bank(tree.province)
    client = bearer(admin_user)
    answer = client.post(f"/api/v1/contests/banks/{bank.pk}/import", {"file": _upload("bank.xml", EXPORT)})
    assert answer.status_code == 201, answer.content
    result = answer.json()
    assert (result["created"], len(result["skipped"])) == (4, 5)
    assert {s["type"] for s in result["skipped"]} >= {"essay", "shortanswer", "matching"}
    bad = client.post(f"/api/v1/contests/banks/{bank.pk}/import", {"file": _upload("x.xml", b"<quiz><oops></quiz>")})
    assert (bad.status_code, bad.json()["code"]) == (422, "import_rejected")
    xlsx = client.get(f"/api/v1/contests/banks/{bank.pk}/export")
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    moodle = client.get(f"/api/v1/contests/banks/{bank.pk}/export?format=moodle")
    assert moodle["Content-Type"].startswith("application/xml") and b"<quiz>" in moodle.content
    other = make_bank(tree.province, name="Bản sao")
    copied = client.post(f"/api/v1/contests/banks/{other.pk}/import", {"file": _upload("b.xlsx", xlsx.content)})
    assert copied.json()["created"] == 4


def _upload(name: str, content: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_the_question_list_costs_the_same_queries_for_3_or_30_questions(tree, admin_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = bearer(admin_user)
    counts = []
    for count in (3, 30):
        bank = make_bank(tree.province, name=f"Bank {count}")
        for n in range(count):
            make_question(bank, n, tags=[f"Chương {n % 3 + 1}"])
        url = f"/api/v1/contests/banks/{bank.pk}/questions"
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            answer = client.get(url)
        assert answer.json()["count"] == count
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_a_bank_is_renamed_and_listed_by_name(tree, admin_user):
    bank = make_bank(tree.province)
    client = bearer(admin_user)
    answer = send(
        client, "patch", f"/banks/{bank.pk}", {"name": "Tìm hiểu Nghị quyết", "description": "Dòng 1\nDòng 2"}
    )
    assert answer.status_code == 200, answer.content
    assert (answer.json()["name"], answer.json()["description"]) == ("Tìm hiểu Nghị quyết", "Dòng 1\nDòng 2")
    assert send(client, "patch", f"/banks/{bank.pk}", {"name": "\u200b"}).status_code == 422
    assert send(client, "patch", f"/banks/{bank.pk}", {"unit": "P-A"}).status_code == 422
    assert client.get("/api/v1/contests/banks?q=Nghị quyết").json()["count"] == 1
    assert client.get("/api/v1/contests/banks?q=khác").json()["count"] == 0
