"""Input schemas are strict: the declared type or a 422 that names the field; text is cleaned
before it is checked; every number is bounded; query strings take ISO dates only."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from lantoa.accounts.services import api_token_create
from lantoa.library.defaults import load_defaults
from lantoa.library.models import DocumentKind
from lantoa.library.tests.test_documents import docx_upload, make_document
from lantoa.meetings.models import BridgePoint, Conference, ConferenceSeries
from lantoa.meetings.services import Headcount, attendance_record
from lantoa.meetings.tests.factories import make_conference
from lantoa.people.models import Activity, Person

pytestmark = pytest.mark.django_db

HUGE = 10**30


def bearer(user: Any) -> Client:
    _row, secret = api_token_create(by=None, user=user, name="edge")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def send(client: Client, method: str, path: str, body: Any) -> Any:
    return getattr(client, method)(f"/api/v1{path}", json.dumps(body), content_type="application/json")


def refused_fields(response: Any) -> set[str]:
    assert response.status_code == 422, response.content[:400]
    extra = response.json()["extra"]
    errors = extra.get("errors", [])
    if isinstance(errors, dict):  # a service's errors, by field
        return set(errors) | {extra.get("field", "")}
    return {part for error in errors for part in error["loc"]} | {extra.get("field", "")}


@pytest.fixture
def point(tree, admin_user) -> BridgePoint:  # type: ignore[no-untyped-def]
    conference = make_conference(tree.province, sites=[tree.commune_a1])
    site = conference.points.get(unit=tree.commune_a1)
    attendance_record(by=admin_user, point=site, counts=Headcount(present={"party_members": 30}, summoned=40))
    return site


def conference_body(**changes: Any) -> dict[str, Any]:
    return {
        "title": "Hội nghị học tập Nghị quyết",
        "kind": "resolution_study",
        "organiser": "P",
        "level": "province",
        "starts_at": "2021-05-10T07:30:00",
        "ends_at": "2021-05-10T11:00:00",
        **changes,
    }


@pytest.mark.parametrize("value", ["5", True, 1.5, 5.0, None, [5], {"n": 5}])
def test_an_integer_is_a_json_integer(admin_user, point, value):
    response = send(bearer(admin_user), "put", f"/meetings/points/{point.pk}/attendance", {"summoned": value})
    assert "summoned" in refused_fields(response)
    point.refresh_from_db()
    assert point.summoned == 40


def test_a_count_inside_a_mapping_is_strict_too(admin_user, point):
    response = send(bearer(admin_user), "put", f"/meetings/points/{point.pk}/attendance", {"present": {"cadres": "3"}})
    assert "cadres" in refused_fields(response)


def test_a_string_is_not_coerced_from_a_number(admin_user, tree):
    response = send(bearer(admin_user), "post", "/meetings/conferences", conference_body(title=2021))
    assert "title" in refused_fields(response)
    assert not Conference.objects.exists()


def test_unknown_fields_are_refused(admin_user, point):
    response = send(bearer(admin_user), "put", f"/meetings/points/{point.pk}/attendance", {"sumoned": 5})
    assert "sumoned" in refused_fields(response)
    point.refresh_from_db()
    assert (point.present, point.summoned) == (30, 40)


def test_good_input_keeps_its_meaning(admin_user, point):
    body = {"present": {"party_members": 12}, "summoned": 20}
    response = send(bearer(admin_user), "put", f"/meetings/points/{point.pk}/attendance", body)
    assert response.status_code == 200, response.content
    assert (response.json()["present_total"], response.json()["summoned"]) == (12, 20)


# --- Text ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("invisible", ["\u200b", "\u200b\u200c\u200d", "\ufeff", " \u2060 ", "\x00"])
def test_text_made_of_invisible_characters_is_empty(admin_user, tree, invisible):
    client = bearer(admin_user)
    person = send(client, "post", "/people/persons", {"given_name": invisible, "home_unit": "P-A-1"})
    assert "given_name" in refused_fields(person)
    conference = send(client, "post", "/meetings/conferences", conference_body(title=invisible))
    assert "title" in refused_fields(conference)
    activity = {
        "unit": "P-A-1",
        "held_on": "2021-05-10",
        "kind": "village_meeting",
        "topic": invisible,
        "people_reached": 4,
    }
    assert "topic" in refused_fields(send(client, "post", "/people/activities", activity))
    assert not (Person.objects.exists() or Conference.objects.exists() or Activity.objects.exists())


def test_text_is_cleaned_before_it_is_stored(admin_user, tree):
    body = conference_body(title="Hội\u200b nghị\x00  tháng", notes="Dòng một\x00\r\nDòng\u200b hai")
    response = send(bearer(admin_user), "post", "/meetings/conferences", body)
    assert response.status_code == 201, response.content
    conference = Conference.objects.get()
    assert (conference.title, conference.notes) == ("Hội nghị tháng", "Dòng một\nDòng hai")


def test_a_text_limit_counts_the_cleaned_text(admin_user, tree):
    padded = "A" * 255 + "\u200b" * 10
    response = send(bearer(admin_user), "post", "/meetings/conferences", conference_body(title=padded))
    assert response.status_code == 201, response.content


# --- Query strings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/audit?until=0",
        "/audit?since=1620000000",
        "/units?as_of=0",
        "/units?as_of=2021-05-10T00:00:00",
        "/units/P?as_of=0",
        "/meetings/conferences?start=0",
        "/people/activities?start=0",
    ],
)
def test_a_date_in_a_query_is_an_iso_date(admin_user, tree, path):
    response = bearer(admin_user).get(f"/api/v1{path}")
    assert response.status_code == 422, response.content[:300]
    assert response.json()["code"] == "invalid_input"


def test_an_iso_date_in_a_query_is_read(admin_user, tree):
    client = bearer(admin_user)
    assert client.get("/api/v1/units?as_of=2021-05-10").json()["count"] == 8
    assert client.get("/api/v1/audit?until=2021-05-10").status_code == 200


# --- Clock times -----------------------------------------------------------------------------------


def series_body(at: str) -> dict[str, Any]:
    return {
        "title": "Hội nghị báo cáo viên tháng",
        "kind": "reporters_monthly",
        "organiser": "P",
        "level": "province",
        "recurrence": "monthly",
        "starts_at_time": at,
    }


@pytest.mark.parametrize(
    ("sent", "kept"), [("08:00", dt.time(8, 0)), ("08:00:00", dt.time(8, 0)), ("17:45:30", dt.time(17, 45, 30))]
)
def test_a_series_starts_at_hh_mm_or_hh_mm_ss(admin_user, tree, sent, kept):
    response = send(bearer(admin_user), "post", "/meetings/series", series_body(sent))
    assert response.status_code == 201, response.content
    assert ConferenceSeries.objects.get().starts_at_time == kept


@pytest.mark.parametrize("sent", ["8:00", "24:00", "08:60", "08:00:00+07:00", "0800", 800])
def test_a_series_refuses_another_time_form(admin_user, tree, sent):
    response = send(bearer(admin_user), "post", "/meetings/series", series_body(sent))
    assert "starts_at_time" in refused_fields(response)


def test_the_openapi_declares_the_clock_time_it_accepts_and_answers(client):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    for name in ("SeriesIn", "SeriesOut"):
        declared = schemas[name]["properties"]["starts_at_time"]
        assert "format" not in declared
        assert declared["pattern"] == r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$"


# --- Bounds ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("put", "/meetings/points/{point}/attendance", {"summoned": HUGE}),
        ("put", "/meetings/points/{point}/attendance", {"present": {"cadres": HUGE}}),
        ("put", "/meetings/points/{point}/attendance", {"members_exempt": -1}),
        ("post", "/meetings/series", {**series_body("08:00"), "day_of_month": HUGE}),
        ("post", "/people/persons", {"given_name": "An", "home_unit": "P-A-1", "birth_year": HUGE}),
        ("post", "/library/documents/{huge}/print-runs", {"unit": "P", "printed_on": "2021-05-10", "copies": 1}),
        (
            "post",
            "/figures",
            {"indicator": "x", "unit": "P", "start": "2021-01-01", "end": "2021-01-31", "value": 1e308 * 10},
        ),
    ],
)
def test_a_huge_number_is_refused_never_a_server_error(admin_user, point, method, path, body):
    path = path.format(point=point.pk, huge=HUGE)
    text = json.dumps(body).replace("Infinity", "1e309")
    response = getattr(bearer(admin_user), method)(f"/api/v1{path}", text, content_type="application/json")
    assert response.status_code in {400, 422}, response.content[:300]


@pytest.mark.parametrize(
    "path",
    [
        f"/units?limit={HUGE}",
        f"/units?offset={HUGE}",
        f"/units/P/children?offset={HUGE}",
        f"/events?limit={HUGE}",
        f"/events/successions?offset={HUGE}",
        f"/figures?unit=P&offset={HUGE}",
        f"/audit?offset={HUGE}",
        f"/meetings/conferences?offset={HUGE}",
        f"/meetings/conferences/{HUGE}",
        f"/library/documents/{HUGE}",
        f"/library/documents?offset={HUGE}",
        f"/people/persons?unit=P&limit={HUGE}",
        f"/people/persons/{HUGE}",
    ],
)
def test_limits_offsets_and_ids_are_bounded(admin_user, tree, path):
    response = bearer(admin_user).get(f"/api/v1{path}")
    assert response.status_code == 422, response.content[:300]


def test_the_form_fields_of_an_upload_are_cleaned_too(admin_user, tree):
    load_defaults(DocumentKind)
    document = make_document(tree)
    path = f"/api/v1/library/documents/{document.pk}/versions"
    response = bearer(admin_user).post(path, {"file": docx_upload(), "language": "vi\x00", "note": "Bản\x00 sửa\u200b"})
    assert response.status_code == 201, response.content
    assert response.json()["note"] == "Bản sửa"
