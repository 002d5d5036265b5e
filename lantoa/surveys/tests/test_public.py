"""The public answer page: no sign-in, no cookie, nothing of the request kept, light."""

from __future__ import annotations

import logging

import pytest
from django.test import Client
from django.urls import reverse

from lantoa.core import ratelimit
from lantoa.surveys.logs import redact
from lantoa.surveys.models import Answer, AnswerItem, QuestionKind, Token
from lantoa.surveys.tests.factories import issue, make_survey, values_for, versions

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits():  # type: ignore[no-untyped-def]
    ratelimit.reset()
    yield
    ratelimit.reset()


def _post(values: dict[int, list[str]]) -> dict[str, list[str]]:
    return {f"q{key}": value for key, value in values.items()}


def test_card_page_answers_once_and_sets_no_cookie(tree) -> None:
    survey = make_survey(tree.province)
    code = issue(survey, tree.commune_a1, 1)[0]
    client = Client()
    url = reverse("surveys_public:card", args=[code])
    page = client.get(url)
    assert page.status_code == 200
    assert "Set-Cookie" not in page and not page.cookies
    assert len(page.content) < 30_000
    assert "<script" not in page.content.decode()
    assert "có thể cho biết bạn là ai" in page.content.decode()  # the free-text warning, in Vietnamese
    done = client.post(
        url, _post(values_for(survey, text="Hội nghị bổ ích")), REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Phone/1.0"
    )
    assert done.status_code == 200
    assert "Set-Cookie" not in done and not done.cookies
    assert "Cảm ơn" in done.content.decode()
    answer = Answer.objects.get()
    stored = [str(value) for value in Answer.objects.values().get().values()]
    stored += [str(value) for row in AnswerItem.objects.filter(answer=answer).values() for value in row.values()]
    assert not any("203.0.113.9" in value or "Phone/1.0" in value or code in value for value in stored)
    again = client.post(url, _post(values_for(survey)))
    assert again.status_code == 409
    assert "Phiếu này đã được sử dụng" in again.content.decode()
    assert client.get(url).status_code == 409
    assert Answer.objects.count() == 1


def test_bad_submission_shows_errors_next_to_questions_and_stores_nothing(tree) -> None:
    survey = make_survey(tree.province)
    code = issue(survey, tree.commune_a1, 1)[0]
    found = versions(survey)
    values = values_for(survey, rating=7)
    del values[found[QuestionKind.SINGLE].question_id]
    response = Client().post(reverse("surveys_public:card", args=[code]), _post(values))
    assert response.status_code == 422
    html = response.content.decode()
    assert f'id="q{found[QuestionKind.SINGLE].question_id}-error"' in html
    assert f'id="q{found[QuestionKind.RATING].question_id}-error"' in html
    assert "Vui lòng trả lời câu hỏi này." in html
    assert Answer.objects.count() == 0
    assert Token.objects.get(code=code).used_on is None


def test_typed_code_leads_to_the_card_page(tree) -> None:
    survey = make_survey(tree.province)
    code = issue(survey, tree.commune_a1, 1)[0]
    client = Client()
    assert client.get(reverse("surveys_public:code")).status_code == 200
    typed = f"{code[:5].lower()} {code[5:]}"
    response = client.post(reverse("surveys_public:code"), {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys_public:card", args=[code])
    wrong = client.post(reverse("surveys_public:code"), {"code": "AAAAAAAAAA"})
    assert wrong.status_code == 422
    assert client.get(reverse("surveys_public:card", args=["AAAAAAAAAA"])).status_code == 404


def test_guessing_codes_is_slowed_down(tree) -> None:
    client = Client()
    for _ in range(30):
        client.get(reverse("surveys_public:card", args=["AAAAAAAAAA"]))
    assert client.get(reverse("surveys_public:card", args=["AAAAAAAAAA"])).status_code == 429


def test_open_link_is_labelled_not_one_per_person(tree) -> None:
    survey = make_survey(tree.province, mode="open_link")
    client = Client()
    page = client.get(reverse("surveys_public:open_unit", args=[survey.link_code, tree.commune_a1.code]))
    assert page.status_code == 200
    assert 'data-testid="survey-open-link"' in page.content.decode()
    done = client.post(
        reverse("surveys_public:open_unit", args=[survey.link_code, tree.commune_a1.code]), _post(values_for(survey))
    )
    assert done.status_code == 200 and not done.cookies
    assert Answer.objects.get().unit_id == tree.commune_a1.pk
    assert client.get(reverse("surveys_public:open", args=["nope"])).status_code == 404


def test_card_codes_are_kept_out_of_the_log() -> None:
    assert redact('"GET /s/ABCDE23456 HTTP/1.1" 200') == '"GET /s/[code] HTTP/1.1" 200'
    assert redact("/s/o/link-code") == "/s/o/link-code"
    assert redact("Not Found: /api/v1/surveys/answer/ABCDE23456") == "Not Found: /api/v1/surveys/answer/[code]"
    from lantoa.surveys.logs import RedactCardCodes

    record = logging.LogRecord(
        "django.server", logging.INFO, "", 0, '"%s" %s %s', ("GET /s/ABCDE23456 HTTP/1.1", 200, 5), None
    )
    RedactCardCodes().filter(record)
    assert "ABCDE23456" not in record.getMessage()


def test_gunicorn_access_log_writes_no_card_code() -> None:
    import datetime as dt
    from types import SimpleNamespace

    from gunicorn.config import Config

    from lantoa.surveys.logs import GunicornLogger

    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/s/ABCDE23456",
        "PATH_INFO": "/s/ABCDE23456",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "QUERY_STRING": "",
        "HTTP_REFERER": "https://example.org/s/ABCDE23456",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    atoms = GunicornLogger(Config()).atoms(response, SimpleNamespace(headers=[]), environ, dt.timedelta(seconds=1))
    assert "ABCDE23456" not in f"{atoms['r']} {atoms['U']} {atoms['f']}"
