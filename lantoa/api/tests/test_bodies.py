"""The one place that reads request bodies: JSON objects only, a size limit, broken uploads.

Every refusal answers the error shape ``{"code", "message", "extra"}`` and changes nothing.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from lantoa.accounts.services import api_token_create
from lantoa.library.defaults import load_defaults
from lantoa.library.models import DocumentKind
from lantoa.library.tests.test_documents import make_document
from lantoa.meetings.models import BridgePoint, Conference, ConferenceKind, ConferenceSeries
from lantoa.meetings.services import Headcount, attendance_record
from lantoa.meetings.tests.factories import make_conference

pytestmark = pytest.mark.django_db

NOT_OBJECTS = ["[null, null]", '"hello"', "5", "null", "true", "[]"]


def bearer(user: Any) -> Client:
    _row, secret = api_token_create(by=None, user=user, name="edge")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def send(client: Client, method: str, path: str, body: str | bytes, content_type: str = "application/json") -> Any:
    return getattr(client, method)(f"/api/v1{path}", body, content_type=content_type)


def assert_error(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert set(body) == {"code", "message", "extra"}
    assert body["code"] == code
    assert body["message"]


@pytest.fixture
def recorded_point(tree, admin_user) -> BridgePoint:  # type: ignore[no-untyped-def]
    conference = make_conference(tree.province, sites=[tree.commune_a1])
    point = conference.points.get(unit=tree.commune_a1)
    attendance_record(by=admin_user, point=point, counts=Headcount(present={"party_members": 30}, summoned=40))
    point.refresh_from_db()
    return point


@pytest.mark.parametrize("body", NOT_OBJECTS)
def test_attendance_is_not_wiped_by_a_body_that_is_not_an_object(admin_user, recorded_point, body):
    response = send(bearer(admin_user), "put", f"/meetings/points/{recorded_point.pk}/attendance", body)
    assert response.status_code == 422, response.content
    assert response.json()["code"] in {"invalid_body", "invalid_input"}
    recorded_point.refresh_from_db()
    assert (recorded_point.present, recorded_point.summoned) == (30, 40)


@pytest.mark.parametrize("body", NOT_OBJECTS)
def test_patches_refuse_a_body_that_is_not_an_object(admin_user, recorded_point, body):
    client = bearer(admin_user)
    conference = recorded_point.conference
    title = conference.title
    assert send(client, "patch", f"/meetings/conferences/{conference.pk}", body).status_code == 422
    assert send(client, "patch", f"/meetings/points/{recorded_point.pk}", body).status_code == 422
    conference.refresh_from_db()
    assert conference.title == title


@pytest.mark.parametrize("body", NOT_OBJECTS)
def test_plan_next_creates_nothing_from_a_body_that_is_not_an_object(admin_user, tree, body):
    series = ConferenceSeries.objects.create(
        title="Hội nghị báo cáo viên tháng",
        kind=ConferenceKind.objects.get(code="reporters_monthly"),
        organiser=tree.province,
        level="province",
        recurrence="monthly",
        starts_at_time="07:30",
        day_of_month=5,
    )
    response = send(bearer(admin_user), "post", f"/meetings/series/{series.pk}/plan-next", body)
    assert response.status_code == 422, response.content
    assert not Conference.objects.filter(series=series).exists()


def test_a_list_endpoint_still_takes_an_array_and_refuses_an_object(admin_user, recorded_point):
    client = bearer(admin_user)
    path = f"/meetings/conferences/{recorded_point.conference_id}/attendance"
    rows = [{"point_id": recorded_point.pk, "present": {"party_members": 31}}]
    assert send(client, "post", path, json.dumps(rows)).json() == {"recorded": 1}
    assert send(client, "post", path, json.dumps(rows[0])).status_code == 422


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"])
def test_a_json_endpoint_refuses_another_content_type(admin_user, recorded_point, content_type):
    body = json.dumps({"present": {"party_members": 1}})
    response = send(bearer(admin_user), "put", f"/meetings/points/{recorded_point.pk}/attendance", body, content_type)
    assert_error(response, 415, "unsupported_media_type")
    recorded_point.refresh_from_db()
    assert recorded_point.present == 30


@pytest.mark.parametrize("body", ["{", '{"present": NaN}', '{"summoned": Infinity}', '{"summoned": 1e309}', "\xff"])
def test_malformed_json_or_a_non_finite_number_answers_400(admin_user, recorded_point, body):
    response = send(
        bearer(admin_user), "put", f"/meetings/points/{recorded_point.pk}/attendance", body.encode("latin-1")
    )
    assert_error(response, 400, "invalid_json")


def test_a_body_over_the_limit_answers_413(admin_user, recorded_point):
    filler = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    body = json.dumps({"location": filler})
    response = send(bearer(admin_user), "patch", f"/meetings/points/{recorded_point.pk}", body)
    assert_error(response, 413, "body_too_large")
    assert response.json()["extra"]["max_bytes"] == settings.DATA_UPLOAD_MAX_MEMORY_SIZE


@pytest.mark.parametrize("role", ["administrator", "inspector"])
def test_multipart_without_a_boundary_answers_400_on_every_upload(tree, admin_user, inspector, recorded_point, role):
    load_defaults(DocumentKind)
    user = admin_user if role == "administrator" else inspector
    document = make_document(tree)
    paths = [
        f"/library/documents/{document.pk}/versions",
        f"/meetings/conferences/{recorded_point.conference_id}/attachments",
        "/meetings/import",
    ]
    for client in (bearer(user), Client(enforce_csrf_checks=False)):
        if not client.defaults.get("HTTP_AUTHORIZATION"):
            client.force_login(user)
        for path in paths:
            response = send(client, "post", path, b"--x\r\n\r\n", content_type="multipart/form-data")
            if response.status_code == 401:  # the session of an administrator needs a second factor
                continue
            assert_error(response, 400, "invalid_multipart")


def test_the_openapi_lists_413_and_415(client):
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/meetings/points/{point_id}/attendance"]
    assert {"413", "415", "422"} <= set(operation["put"]["responses"])
