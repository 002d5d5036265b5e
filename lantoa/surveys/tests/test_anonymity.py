"""Unlinkability by construction: the schema, the stored rows, the reseal and single use under load."""

from __future__ import annotations

import datetime as dt
import io
import threading
import uuid

import pytest
from django.core.management import call_command
from django.db import connection, connections, models

from lantoa.core.tests.concurrency import skip_unless_shared_database
from lantoa.surveys import services
from lantoa.surveys.models import Answer, AnswerItem, Survey, Token
from lantoa.surveys.tests.factories import issue, make_survey, today, values_for


@pytest.mark.parametrize("model", [Answer, AnswerItem])
def test_answer_schema_holds_nothing_that_links(model: type[models.Model]) -> None:
    fields = model._meta.get_fields()
    assert isinstance(model._meta.pk, models.UUIDField)
    for field in fields:
        assert not isinstance(field, (models.DateTimeField, models.TimeField, models.GenericIPAddressField))
        assert not isinstance(field, models.AutoField) and not isinstance(field, models.BigAutoField)
        related = getattr(field, "related_model", None)
        if related is not None and field.concrete:
            assert related._meta.label in {
                "surveys.Survey",
                "org.Unit",
                "surveys.Answer",
                "surveys.QuestionVersion",
                "surveys.Option",
            }, field
    names = {field.name for field in fields if field.concrete}
    if model is Answer:
        assert names == {"id", "survey", "unit", "day"}
    else:
        assert names == {"id", "answer", "version", "option", "number", "text"}


def test_token_keeps_only_the_day() -> None:
    field = Token._meta.get_field("used_on")
    assert isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField)


@pytest.mark.django_db
def test_stored_rows_say_nothing_of_card_or_time(tree) -> None:
    survey = make_survey(tree.province)
    code = issue(survey, tree.commune_a1, 1)[0]
    token = Token.objects.get(code=code)
    answer = services.answer_with_token(code=code, values=values_for(survey))
    row = Answer.objects.filter(pk=answer.pk).values().get()
    assert set(row) == {"id", "survey_id", "unit_id", "day"}
    assert row["day"] == today() and isinstance(row["id"], uuid.UUID)
    assert (row["survey_id"], row["unit_id"]) == (survey.pk, tree.commune_a1.pk)
    for item in AnswerItem.objects.filter(answer=answer).values():
        assert set(item) == {"id", "answer_id", "version_id", "option_id", "number", "text"}
        assert isinstance(item["id"], uuid.UUID) and code not in item["text"]
    assert token.batch.unit_id == row["unit_id"]  # the unit is all the batch gives the answer


def _answers_on(survey: Survey, unit, day: dt.date, count: int) -> list[uuid.UUID]:  # type: ignore[no-untyped-def]
    ids = []
    for code in issue(survey, unit, count):
        ids.append(services.answer_with_token(code=code, values=values_for(survey), today=day).pk)
    return ids


@pytest.mark.django_db
def test_reseal_rewrites_past_days_in_a_random_order(tree) -> None:
    survey = make_survey(tree.province, opens_on=today() - dt.timedelta(days=20))
    yesterday = today() - dt.timedelta(days=1)
    submitted = _answers_on(survey, tree.commune_a1, yesterday, 40)
    todays = _answers_on(survey, tree.commune_b1, today(), 3)
    items_before = AnswerItem.objects.count()
    assert services.answers_reseal(today=today()) == 40
    assert AnswerItem.objects.count() == items_before
    remaining = set(Answer.objects.values_list("pk", flat=True))
    assert not remaining & set(submitted)  # new ids for every resealed answer
    assert set(todays) <= remaining  # today's answers wait for tomorrow
    assert Answer.objects.filter(day=yesterday, unit=tree.commune_a1).count() == 40
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM surveys_answer WHERE day = %s ORDER BY rowid", [yesterday])
            physical = [row[0] for row in cursor.fetchall()]
        stored = list(Answer.objects.filter(day=yesterday).values_list("pk", flat=True))
        assert len(physical) == 40
        assert physical != sorted(physical) or stored != sorted(stored)
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT DISTINCT xmin::text FROM surveys_answer WHERE day = %s", [yesterday])
            assert len(cursor.fetchall()) == 1
            cursor.execute(
                "SELECT DISTINCT i.xmin::text FROM surveys_answeritem i"
                " JOIN surveys_answer a ON a.id = i.answer_id WHERE a.day = %s",
                [yesterday],
            )
            assert len(cursor.fetchall()) == 1
    # Items kept their answers: the same totals per option.
    assert services.answers_reseal(today=today()) == 0  # nothing left to reseal


@pytest.mark.django_db
def test_reseal_order_does_not_follow_submission(tree) -> None:
    """After the reseal, the answers' physical order is a random permutation of submission order,
    told apart by the unit each came from (submitted in blocks by unit)."""
    survey = make_survey(tree.province, opens_on=today() - dt.timedelta(days=20))
    yesterday = today() - dt.timedelta(days=1)
    _answers_on(survey, tree.commune_a1, yesterday, 30)
    _answers_on(survey, tree.commune_b1, yesterday, 30)
    call_command("surveys_reseal", stdout=io.StringIO())
    order = "rowid" if connection.vendor == "sqlite" else "ctid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT unit_id FROM surveys_answer WHERE day = %s ORDER BY {order}", [yesterday])  # noqa: S608
        units = [row[0] for row in cursor.fetchall()]
    blocks = [tree.commune_a1.pk] * 30 + [tree.commune_b1.pk] * 30
    assert sorted(units) == sorted(blocks)
    assert units != blocks  # 1 in C(60, 30) ≈ 10⁻¹⁷ to come out in submission order by chance
    by_pk = list(Answer.objects.filter(day=yesterday).order_by("pk").values_list("unit_id", flat=True))
    assert by_pk != blocks


@pytest.mark.django_db(transaction=True)
def test_one_card_sent_fifty_times_at_once_counts_once(tree) -> None:
    skip_unless_shared_database()
    survey = make_survey(tree.province)
    code = issue(survey, tree.commune_a1, 1)[0]
    values = values_for(survey)
    gate = threading.Barrier(50)
    outcomes: list[str] = []
    lock = threading.Lock()

    def send() -> None:
        try:
            gate.wait(timeout=30)
            services.answer_with_token(code=code, values=values)
            outcome = "stored"
        except Exception as error:
            outcome = getattr(error, "code", repr(error))
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=send) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("stored") == 1, outcomes
    assert outcomes.count("token_used") == 49, outcomes
    assert Answer.objects.filter(survey=survey).count() == 1
    assert Token.objects.get(code=code).used_on == today()
