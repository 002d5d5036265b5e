"""A bounded, schema-driven fuzz run over ``/api/v1/openapi.json``.

Every operation of the OpenAPI gets requests generated from its own schema (valid and invalid
ones), sent in-process to the WSGI application as an administrator of the province and as an
officer of a commune, over a small seeded tree. Each answer must be no server error, have a
status code and content type the OpenAPI declares, and match the declared response schema.
The run is reproducible (a derandomized generator) and small (a few examples per operation),
so ``make test`` runs it on both databases.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from lantoa.accounts.services import api_token_create
from lantoa.meetings.tests.factories import make_conference

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

# Examples per operation and caller: small, so the run stays within a few minutes on two cores.
EXAMPLES = 8
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def in_process_requests() -> Iterator[None]:
    """Requests sent straight to the WSGI application run inside the test's transaction: Django
    must not close the connection at the start and end of each one (its test client does the same,
    and connects the handler again after each of its own requests: so this fixture comes last)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(tree, admin_user):  # type: ignore[no-untyped-def]
    """The small tree, with a conference relayed to two communes and one planned by a commune."""
    make_conference(tree.province, sites=[tree.commune_a1, tree.commune_b1])
    make_conference(tree.commune_a1, held=False)
    return tree


def _bearer(user: Any) -> dict[str, str]:
    _row, secret = api_token_create(by=None, user=user, name="fuzz")
    # The in-process client does not unpack gzip; answers are checked as the server wrote them.
    return {"Authorization": f"Bearer {secret}", "Accept-Encoding": "identity"}


@pytest.fixture
def as_administrator(seeded, admin_user, in_process_requests) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return _bearer(admin_user)


@pytest.fixture
def as_officer(seeded, officer_a, in_process_requests) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return _bearer(officer_a)


# The OpenAPI is read from the application itself, in-process (reading it needs no database).
# Generated examples only: the coverage phase's exhaustive boundary cases would make the run
# many times longer than the bound set here.
CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {"mode": "all"},
        "phases": {"coverage": {"enabled": False}, "examples": {"enabled": False}},
    }
)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=CONFIG)
BOUNDED = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@schema.parametrize()
@BOUNDED
def test_the_administrator_meets_no_server_error_and_only_declared_answers(
    case: Any, as_administrator: dict[str, str]
) -> None:
    case.call_and_validate(headers=as_administrator, checks=CHECKS)


@schema.parametrize()
@BOUNDED
def test_a_commune_officer_meets_no_server_error_and_only_declared_answers(
    case: Any, as_officer: dict[str, str]
) -> None:
    case.call_and_validate(headers=as_officer, checks=CHECKS)
