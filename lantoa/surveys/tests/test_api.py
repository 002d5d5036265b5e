"""The surveys API: organiser CRUD, batches, suppressed results, the public answer endpoint."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from lantoa.accounts.tests.factories import make_user
from lantoa.core import ratelimit
from lantoa.surveys.models import Answer, Token
from lantoa.surveys.tests.factories import answer_many, issue, make_survey, today, values_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(tree):  # type: ignore[no-untyped-def]
    return make_user(role="officer", unit=tree.province, username="organiser")


def _post(client: Client, path: str, body: object) -> tuple[int, dict]:
    response = client.post(path, json.dumps(body), content_type="application/json")
    return response.status_code, response.json()


def _put(client: Client, path: str, body: object) -> tuple[int, dict]:
    response = client.put(path, json.dumps(body), content_type="application/json")
    return response.status_code, response.json()


def test_build_issue_and_read_over_the_api(tree, organiser, client_for) -> None:
    client = client_for(organiser)
    status, survey = _post(
        client,
        "/api/v1/surveys",
        {
            "owner": tree.province.code,
            "audience_root": tree.province.code,
            "title_vi": "Khảo sát",
            "opens_on": today().isoformat(),
            "closes_on": (today() + dt.timedelta(days=9)).isoformat(),
        },
    )
    assert status == 201, survey
    base = f"/api/v1/surveys/{survey['id']}"
    status, detail = _post(client, f"{base}/sections", {"title_vi": "Phần 1"})
    assert status == 201
    section = detail["sections"][0]["id"]
    status, refused = _post(
        client, f"{base}/sections/{section}/questions", {"kind": "text", "text_vi": "Số CCCD của đồng chí"}
    )
    assert status == 422 and refused["code"] == "identifying_question"
    status, detail = _post(
        client,
        f"{base}/sections/{section}/questions",
        {"kind": "single", "text_vi": "Đồng chí là đảng viên?", "options": [{"text_vi": "Có"}, {"text_vi": "Không"}]},
    )
    assert status == 201
    question = detail["sections"][0]["questions"][0]
    assert question["sensitive"] is True
    assert _post(client, f"{base}/status", {"status": "open"})[0] == 200
    status, batch = _post(client, f"{base}/batches", {"unit": tree.commune_a1.code, "size": 12})
    assert status == 201 and batch["size"] == 12
    assert _post(client, f"{base}/batches", {"unit": tree.commune_a1.code, "size": 5001})[0] == 422
    assert _post(client, f"{base}/batches", {"unit": tree.commune_a1.code, "size": "5"})[0] == 422

    public = Client()
    ratelimit.reset()
    codes_now = list(Token.objects.filter(batch_id=batch["id"]).values_list("code", flat=True))
    shown = public.get(f"/api/v1/surveys/answer/{codes_now[0]}")
    assert shown.status_code == 200 and not shown.cookies
    assert shown.json()["sections"][0]["questions"][0]["id"] == question["id"]
    assert public.get("/api/v1/surveys/answer/AAAAAAAAAA").json()["code"] == "unknown_token"
    codes = list(Token.objects.filter(batch_id=batch["id"]).values_list("code", flat=True))
    option = str(question["options"][0]["id"])
    for code in codes[:11]:
        status, body = _post(
            public, "/api/v1/surveys/answer", {"code": code, "answers": {str(question["id"]): [option]}}
        )
        assert status == 201, body
    status, body = _post(
        public, "/api/v1/surveys/answer", {"code": codes[0], "answers": {str(question["id"]): [option]}}
    )
    assert status == 409 and body["code"] == "token_used"
    assert public.get(f"/api/v1/surveys/answer/{codes[0]}").json()["code"] == "token_used"
    status, body = _post(public, "/api/v1/surveys/answer", {"code": codes[11], "answers": {str(question["id"]): ["x"]}})
    assert status == 422 and body["code"] == "invalid_answers"
    assert _post(public, "/api/v1/surveys/answer", {"code": codes[11], "answers": {"abc": ["1"]}})[0] == 422
    assert _post(public, "/api/v1/surveys/answer", {"code": "AAAAAAAAAA", "answers": {}})[0] == 404
    assert _post(public, "/api/v1/surveys/answer", ["not an object"])[0] == 422

    rates = client.get(f"{base}/response-rates?structure=current").json()
    assert rates["items"][0]["answers"] == 11 and rates["items"][0]["issued"] == 12
    results = client.get(f"{base}/results").json()
    cells = results["questions"][0]["rows"][0]["cells"]
    # "No" is 0 (hidden), so the total that would give it away is hidden too, and no percentage shows.
    assert cells[0] == {"column": option, "value": 11, "percent": None, "suppressed": False}
    assert cells[2]["suppressed"] is True
    assert cells[1]["value"] is None and cells[1]["suppressed"] is True
    assert client.get(f"{base}/results?structure=sideways").status_code == 422

    status, detail = _put(
        client,
        f"{base}/questions/{question['id']}",
        {"kind": "single", "text_vi": "Câu hỏi đã sửa", "options": [{"text_vi": "Có"}, {"text_vi": "Chưa"}]},
    )
    assert status == 200 and detail["sections"][0]["questions"][0]["version"] == 2


def test_out_of_scope_is_404_like_missing(tree, officer_a, client_for) -> None:
    survey = make_survey(tree.province)
    client = client_for(officer_a)
    hidden = client.get(f"/api/v1/surveys/{survey.pk}/results")
    missing = client.get("/api/v1/surveys/999999/results")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["code"] == missing.json()["code"] == "not_found"
    assert client.get("/api/v1/surveys").json()["count"] == 0


def test_public_answer_sets_no_cookie(tree) -> None:
    ratelimit.reset()
    survey = make_survey(tree.province)
    code = issue(survey, tree.commune_a1, 1)[0]
    body = {"code": code, "answers": {str(k): v for k, v in values_for(survey).items()}}
    response = Client().post("/api/v1/surveys/answer", json.dumps(body), content_type="application/json")
    assert response.status_code == 201
    assert not response.cookies and "Set-Cookie" not in response
    assert Answer.objects.count() == 1


def test_results_list_suppressed_cells(tree, organiser, client_for) -> None:
    survey = make_survey(tree.province)
    answer_many(survey, tree.commune_a1, 12)
    answer_many(survey, tree.commune_b1, 3)
    results = client_for(organiser).get(f"/api/v1/surveys/{survey.pk}/results").json()
    flags = [cell["suppressed"] for q in results["questions"] for row in q["rows"] for cell in row["cells"]]
    assert any(flags) and not all(flags)
    for question in results["questions"]:
        for row in question["rows"]:
            for cell in row["cells"]:
                assert (cell["value"] is None) == cell["suppressed"]
