"""Filing reported figures over the API: a figure out of bounds is a 422 with the error shape,
never a server error, on every database."""

from __future__ import annotations

import json

import pytest

from lantoa.core.models import DataValue

pytestmark = pytest.mark.django_db


def file_population(client, value):  # type: ignore[no-untyped-def]
    body = {
        "indicator": "population",
        "unit": "P-A-1",
        "period_kind": "year",
        "start": "2023-01-01",
        "end": "2023-12-31",
        "value": value,
    }
    return client.post("/api/v1/figures", body, content_type="application/json")


@pytest.mark.parametrize(
    "value",
    [1e15, 10**15, "1e15", 1e30, 10**30, "1e309", "NaN", "Infinity", -1, "-1", 0.00001, "0.00001", 200_000_001],
)
def test_a_figure_out_of_bounds_answers_422_with_the_error_shape(client_for, admin_user, tree, value):
    response = file_population(client_for(admin_user), value)
    assert response.status_code == 422, response.content
    body = response.json()
    assert set(body) == {"code", "message", "extra"}
    assert body["code"] == "validation_failed"
    assert body["extra"] == {"field": "value"}
    assert body["message"]
    assert not DataValue.objects.exists()


@pytest.mark.parametrize("raw", ["1e309", "-1e309", "NaN", "Infinity", "1" + "0" * 5000])
def test_a_number_json_cannot_hold_is_refused_as_the_body(client_for, admin_user, tree, raw):
    # Not numbers a JSON reader can hold: the body parser refuses them (400 invalid_json).
    body = (
        '{"indicator": "population", "unit": "P-A-1", "period_kind": "year", '
        f'"start": "2023-01-01", "end": "2023-12-31", "value": {raw}}}'
    )
    response = client_for(admin_user).post("/api/v1/figures", body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert set(response.json()) == {"code", "message", "extra"}
    assert response.json()["code"] == "invalid_json"
    assert not DataValue.objects.exists()


def test_the_refusal_names_the_indicators_bound(client_for, admin_user, tree):
    client = client_for(admin_user)
    message = file_population(client, 10**15).json()["message"]
    assert "200.000.000" in message  # Vietnamese by default, grouped as offices write it


@pytest.mark.parametrize(("value", "shown"), [(200_000_000, "200000000"), ("1234.5678", "1234.5678"), (0, "0")])
def test_a_figure_within_bounds_is_filed(client_for, admin_user, tree, value, shown):
    response = file_population(client_for(admin_user), value)
    assert response.status_code == 201, response.content
    assert response.json()["value"] == shown
    assert json.loads(response.content)["indicator"] == "population"
