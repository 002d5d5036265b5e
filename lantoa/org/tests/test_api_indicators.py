import datetime as dt

import pytest

from lantoa.core.models import DataValue

pytestmark = pytest.mark.django_db


def test_indicator_registry_lists_the_org_indicators(client_for, admin_user):
    body = client_for(admin_user).get("/api/v1/indicators").json()
    codes = {item["code"] for item in body["items"]}
    assert {"units", "units_commune", "party_members", "population"} <= codes
    assert body["count"] == len(body["items"])
    population = next(item for item in body["items"] if item["code"] == "population")
    assert population["aggregation"] == "snapshot"
    assert population["counting"] == "people"


def file_population(client, unit, value, start="2023-01-01", end="2023-12-31"):
    return client.post(
        "/api/v1/figures",
        {"indicator": "population", "unit": unit, "period_kind": "year", "start": start, "end": end, "value": value},
        content_type="application/json",
    )


def test_values_contract_in_both_structures_with_coverage(client_for, admin_user, tree):
    client = client_for(admin_user)
    assert file_population(client, "P-A-1", 1001).status_code == 201
    split = client.post(
        "/api/v1/events",
        {
            "kind": "split",
            "effective_on": "2025-07-01",
            "legal_basis": "Nghị quyết 1673/NQ-UBTVQH15",
            "payload": {
                "unit": "P-A-1",
                "successors": [
                    {
                        "new": {"code": "P-A-2", "name": "Xã Hai", "kind": "commune_committee", "parent": "P-A"},
                        "weight": "0.6",
                        "is_default": True,
                    },
                    {
                        "new": {"code": "P-B-2", "name": "Xã Ba", "kind": "commune_committee", "parent": "P-B"},
                        "weight": "0.4",
                    },
                ],
            },
        },
        content_type="application/json",
    )
    assert split.status_code == 201, split.json()
    params = {"unit": "P-B", "start": "2023-01-01", "end": "2023-12-31", "indicator": ["population", "units_commune"]}
    historical = client.get("/api/v1/indicators/values", params).json()
    assert set(historical) >= {"items", "count"}
    assert historical["count"] == 2
    item = historical["items"][0]
    assert set(item) >= {"code", "name", "value", "unit", "coverage"}
    assert item["code"] == "population"
    # Nobody in P-B filed a population figure: no data, not zero.
    assert item["value"] is None and item["value_exact"] is None
    assert item["coverage"]["missing_units"] == ["P-B-1"]
    current = client.get("/api/v1/indicators/values", {**params, "structure": "current"}).json()
    assert current["items"][0]["value"] == 400
    as_of = client.get("/api/v1/indicators/values", {**params, "structure": "as_of", "as_of": "2025-06-30"}).json()
    assert as_of["items"][0]["value"] is None


def test_a_part_given_by_a_unit_that_stays_open_leaves_its_figures_with_it(client_for, admin_user, tree):
    client = client_for(admin_user)
    assert file_population(client, "P-A-1", 1001).status_code == 201
    event = {
        "kind": "split",
        "effective_on": "2025-07-01",
        "payload": {
            "unit": "P-A-1",
            "keeps_open": True,
            "successors": [
                {
                    "new": {"code": "P-B-2", "name": "Xã Ba", "kind": "commune_committee", "parent": "P-B"},
                    "weight": "0.3",
                }
            ],
        },
    }
    bad = {**event, "payload": {**event["payload"], "successors": [{"unit": "P-B-1", "is_default": True}]}}
    refused = client.post("/api/v1/events", bad, content_type="application/json")
    assert refused.status_code == 422 and refused.json()["extra"]["field"] == "successors"
    answer = client.post("/api/v1/events", event, content_type="application/json")
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["parts"] == [{"from": "P-A-1", "to": "P-B-2"}]
    assert body["successions"] == [] and body["closed"] == [] and body["created"] == ["P-B-2"]
    params = {"start": "2023-01-01", "end": "2023-12-31", "indicator": "population", "structure": "current"}
    kept = client.get("/api/v1/indicators/values", {**params, "unit": "P-A"}).json()
    assert kept["items"][0]["value"] == 1001
    given = client.get("/api/v1/indicators/values", {**params, "unit": "P-B"}).json()
    assert given["items"][0]["value"] is None


def test_values_refuse_bad_input_clearly(client_for, admin_user, tree):
    client = client_for(admin_user)
    base = {"unit": "P", "start": "2023-01-01", "end": "2023-12-31"}
    assert client.get("/api/v1/indicators/values", {**base, "indicator": "nope"}).json()["code"] == "validation_failed"
    assert client.get("/api/v1/indicators/values", {**base, "end": "2022-01-01"}).status_code == 422
    assert client.get("/api/v1/indicators/values", {**base, "structure": "as_of"}).status_code == 422
    assert client.get("/api/v1/indicators/values", {**base, "structure": "sideways"}).status_code == 422
    assert client.get("/api/v1/indicators/values", {**base, "unit": "NOPE"}).status_code == 404


def test_inspector_reads_aggregates_but_cannot_file(client_for, inspector, tree):
    client = client_for(inspector)
    values = client.get("/api/v1/indicators/values", {"unit": "P", "start": "2023-01-01", "end": "2023-12-31"})
    assert values.status_code == 200
    assert file_population(client, "P-A-1", 5).status_code == 403
    assert not DataValue.objects.exists()


def test_officer_files_only_in_own_commune(client_for, officer_a, tree):
    client = client_for(officer_a)
    assert file_population(client, "P-A-1", 900).status_code == 201
    assert file_population(client, "P-B-1", 900).status_code == 404
    assert (
        client.post(
            "/api/v1/events",
            {"kind": "close", "effective_on": "2025-01-01", "payload": {"unit": "P-A-1-C1"}},
            content_type="application/json",
        ).status_code
        == 403
    )


def test_event_dry_run_over_the_api(client_for, admin_user, tree):
    client = client_for(admin_user)
    response = client.post(
        "/api/v1/events",
        {
            "kind": "merge",
            "effective_on": "2025-07-01",
            "payload": {"predecessors": ["P-B"], "into": "P-A"},
            "dry_run": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["dry_run"] is True
    assert body["closed"] == ["P-B"]
    assert client.get("/api/v1/events").json()["count"] == 0
    bad = client.post(
        "/api/v1/events",
        {"kind": "merge", "effective_on": "2025-07-01", "payload": {"predecessors": ["P-B"]}},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["code"] == "validation_failed"


def test_figures_history(client_for, admin_user, tree):
    client = client_for(admin_user)
    file_population(client, "P-A-1", 100)
    file_population(client, "P-A-1", 120)
    current = client.get("/api/v1/figures", {"unit": "P-A-1"}).json()
    assert [item["value"] for item in current["items"]] == ["120"]
    history = client.get("/api/v1/figures", {"unit": "P-A-1", "history": "true"}).json()
    assert history["count"] == 2
    bad = file_population(client, "P-A-1", "lots")
    assert bad.status_code == 422
    _ = dt
