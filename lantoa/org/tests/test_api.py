import datetime as dt

import pytest

from lantoa.org.services import unit_move

pytestmark = pytest.mark.django_db


def test_units_list_has_items_and_count(client_for, admin_user, tree):
    body = client_for(admin_user).get("/api/v1/units").json()
    assert set(body) == {"items", "count"}
    assert body["count"] == 8
    assert {"code", "name", "kind", "tier", "opened_on", "closed_on"} <= set(body["items"][0])


def test_units_filters(client_for, admin_user, tree):
    client = client_for(admin_user)
    assert client.get("/api/v1/units", {"tier": "commune"}).json()["count"] == 3
    assert client.get("/api/v1/units", {"kind": "party_cell"}).json()["count"] == 1
    # Diacritics and case are ignored: "bat xat" finds "Bát Xát".
    found = client.get("/api/v1/units", {"q": "BAT XAT"}).json()
    assert [u["code"] for u in found["items"]] == ["P-A"]
    within = client.get("/api/v1/units", {"within": "P-A"}).json()
    assert sorted(u["code"] for u in within["items"]) == ["P-A", "P-A-1", "P-A-1-C1"]


def test_units_within_as_of_follow_reparenting(client_for, admin_user, tree):
    unit_move(by=None, unit=tree.commune_a1, new_parent=tree.district_b, on=dt.date(2023, 6, 1))
    client = client_for(admin_user)
    before = client.get("/api/v1/units", {"within": "P-B", "as_of": "2023-05-31"}).json()
    after = client.get("/api/v1/units", {"within": "P-B", "as_of": "2023-06-01"}).json()
    assert before["count"] == 2
    assert after["count"] == 4


def test_unit_detail_children_ancestors(client_for, admin_user, tree):
    client = client_for(admin_user)
    detail = client.get("/api/v1/units/P-A-1").json()
    assert detail["parent_code"] == "P-A"
    assert detail["names"][0]["name"] == "Đảng bộ xã Quang Kim"
    children = client.get("/api/v1/units/P-A/children").json()
    assert [u["code"] for u in children["items"]] == ["P-A-1"]
    ancestors = client.get("/api/v1/units/P-A-1-C1/ancestors").json()
    assert [u["code"] for u in ancestors["items"]] == ["P", "P-A", "P-A-1"]


def test_commune_officer_cannot_read_another_commune(client_for, officer_a, tree):
    client = client_for(officer_a)
    own = client.get("/api/v1/units").json()
    assert sorted(u["code"] for u in own["items"]) == ["P-A-1", "P-A-1-C1"]
    other = client.get("/api/v1/units/P-B-1")
    missing = client.get("/api/v1/units/NO-SUCH-UNIT")
    # "Not allowed" answers exactly like "not found".
    assert other.status_code == missing.status_code == 404
    assert other.json()["code"] == missing.json()["code"] == "not_found"
    assert set(other.json()) == {"code", "message", "extra"}
    assert client.get("/api/v1/units", {"within": "P-B"}).status_code == 404


def test_expired_assignment_grants_nothing(client_for, tree):
    from lantoa.accounts.tests.factories import make_user

    former = make_user(role="officer", unit=tree.commune_a1, valid_to=dt.date(2021, 1, 1))
    client = client_for(former)
    assert client.get("/api/v1/units").json()["count"] == 0
    assert client.get("/api/v1/units/P-A-1").status_code == 404


def test_anonymous_gets_401_with_error_shape(client):
    response = client.get("/api/v1/units")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_bad_input_is_a_422_with_error_shape(client_for, admin_user):
    response = client_for(admin_user).get("/api/v1/units", {"as_of": "2022-02-31"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    assert body["extra"]["errors"]


def test_openapi_schema_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/units" in response.json()["paths"]
