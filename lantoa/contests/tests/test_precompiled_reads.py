"""The contest path's reads by statements compiled once (lantoa.core.rows): they must build the
same instances the ORM builds — every field, through the same converters — on both databases."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lantoa.contests.models import Attempt, Contestant
from lantoa.contests.services import (
    attempt_for_key,
    attempt_start,
    attempt_submit,
    contestant_for_key,
    contestant_with_attempts,
)
from lantoa.contests.tests.factories import make_contest, make_contestant, make_round, stock_bank
from lantoa.core.errors import NotFound
from lantoa.core.rows import select_instance, select_values

pytestmark = pytest.mark.django_db


def fields_of(obj: object, model: Any) -> dict[str, object]:
    return {field.attname: getattr(obj, field.attname) for field in model._meta.concrete_fields}


@pytest.fixture
def started(tree):
    bank = stock_bank(tree.province)
    contest = make_contest(tree.province)
    round_ = make_round(contest, bank, questions_per_attempt=5, time_limit_seconds=600, grace_seconds=30)
    contestant, key = make_contestant(contest, tree.commune_a1)
    now = timezone.now()
    attempt = attempt_start(contestant=contestant, round_=round_, now=now, client_key="phone-1").attempt
    return round_, contestant, key, attempt, now


def test_a_contestant_read_by_key_equals_the_orms(started):
    _round, contestant, key, _attempt, _now = started
    found = contestant_for_key(key)
    assert isinstance(found, Contestant)
    assert fields_of(found, Contestant) == fields_of(Contestant.objects.get(pk=contestant.pk), Contestant)
    assert found._state.db == "default" and not found._state.adding
    assert contestant_for_key("not-a-key") is None


def test_a_contestant_read_with_their_attempts_equals_the_orms(started, tree):
    round_, contestant, key, attempt, _now = started
    other_round = make_round(round_.contest, round_.bank, questions_per_attempt=5)
    attempt_start(contestant=contestant, round_=other_round, client_key="phone-2")
    someone, their_key = make_contestant(round_.contest, tree.commune_a1)
    attempt_start(contestant=someone, round_=round_, client_key="phone-1")
    with CaptureQueriesContext(connection) as queries:
        found, earlier = contestant_with_attempts(key, round_.pk)
    assert len(queries) == 1
    assert isinstance(found, Contestant) and not found._state.adding
    assert fields_of(found, Contestant) == fields_of(Contestant.objects.get(pk=contestant.pk), Contestant)
    # Only this contestant's attempts at this round, as the separate read gives them.
    assert earlier == select_values(
        Attempt, ("number", "client_key", "id"), round_id=round_.pk, contestant_id=contestant.pk
    )
    assert [(number, client_key) for number, client_key, _id in earlier] == [(1, "phone-1")]
    assert str(uuid.UUID(str(earlier[0][2]))) == str(attempt.pk)
    fresh, none_yet = contestant_with_attempts(their_key, other_round.pk)
    assert fresh is not None and fresh.pk == someone.pk and none_yet == []
    assert contestant_with_attempts("not-a-key", round_.pk) == (None, [])
    assert contestant_with_attempts("", round_.pk) == (None, [])


def test_an_attempt_read_by_key_equals_the_orms_before_and_after_submission(started):
    _round, _contestant, key, attempt, now = started
    before = attempt_for_key(attempt.pk, key)
    assert fields_of(before, Attempt) == fields_of(Attempt.objects.get(pk=attempt.pk), Attempt)
    attempt_submit(attempt=before, answers=[["A"]] * 5, prediction=12, now=now + dt.timedelta(seconds=40))
    after = attempt_for_key(str(attempt.pk), key)  # the id as text, as the phone page passes it
    orm = Attempt.objects.get(pk=attempt.pk)
    assert fields_of(after, Attempt) == fields_of(orm, Attempt)
    assert after.submitted_on == orm.submitted_on and isinstance(after.questions, list)


def test_an_attempt_read_by_key_costs_one_query_and_refuses_like_missing(started):
    _round, _contestant, key, attempt, _now = started
    with CaptureQueriesContext(connection) as captured:
        attempt_for_key(attempt.pk, key)
    assert len(captured) == 1
    for attempt_id, secret in ((attempt.pk, "wrong"), (uuid.uuid4(), key), ("not-a-uuid", key), (attempt.pk, "")):
        with pytest.raises(NotFound):
            attempt_for_key(attempt_id, secret)


def test_select_values_and_select_instance_read_by_equality(started):
    round_, contestant, _key, attempt, _now = started
    rows = select_values(Attempt, ("number", "client_key"), round_id=round_.pk, contestant_id=contestant.pk)
    assert rows == [(1, "phone-1")]
    assert select_values(Attempt, ("number",), round_id=round_.pk, contestant_id=contestant.pk + 999) == []
    assert select_instance(Attempt, id=attempt.pk).pk == attempt.pk  # type: ignore[union-attr]
    assert select_instance(Attempt, id=uuid.uuid4()) is None


def test_on_postgresql_the_start_and_submission_statements_are_prepared(started):
    """Planned once per connection: the start's read and insert, the submission's read and write."""
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    round_, _contestant, key, attempt, now = started
    contestant_with_attempts(key, round_.pk)
    attempt_submit(attempt=attempt_for_key(attempt.pk, key), answers=[], round_=round_, now=now)
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
        prepared = [row[0] for row in cursor.fetchall()]
    for start in ('INSERT INTO "contests_attempt"', 'UPDATE "contests_attempt"'):
        assert any(text.startswith(start) for text in prepared), (start, prepared)
    assert sum('FROM "contests_attempt" INNER JOIN "contests_contestant"' in text for text in prepared) == 1
    assert sum('FROM "contests_contestant" LEFT OUTER JOIN "contests_attempt"' in text for text in prepared) == 1
