"""The demo's survey, on a small tree: cards per commune, answers through the service, resealed."""

from __future__ import annotations

import datetime as dt

import pytest

from lantoa.meetings.defaults import load_defaults
from lantoa.meetings.models import ConferenceKind
from lantoa.meetings.tests.factories import make_conference
from lantoa.org.tests.factories import make_unit
from lantoa.surveys import demo
from lantoa.surveys.models import Answer, SurveyStatus, Token
from lantoa.surveys.selectors import response_rates, survey_results

pytestmark = pytest.mark.django_db


def test_demo_survey_after_the_xiv_conference(tree) -> None:
    load_defaults(ConferenceKind)
    communes = [
        make_unit(parent=tree.province, name=f"Đảng bộ xã {n}", opened_on=dt.date(2025, 7, 1)) for n in range(6)
    ]
    make_conference(tree.province, sites=communes, day=demo.XIV_DAY, title="Hội nghị học tập Nghị quyết Đại hội XIV")
    survey = demo.build_surveys(tree.province, today=dt.date(2026, 4, 1))
    assert survey is not None and survey.status == SurveyStatus.CLOSED
    answers = Answer.objects.filter(survey=survey)
    assert answers.count() == Token.objects.filter(batch__survey=survey, used_on__isnull=False).count() > 50
    assert set(answers.values_list("unit_id", flat=True)) <= {c.pk for c in communes}
    assert not answers.filter(day__lt=demo.OPENS_ON).exists() and not answers.filter(day__gt=demo.CLOSES_ON).exists()
    survey.refresh_from_db()
    assert survey.sealed_through == dt.date(2026, 3, 31)
    rates = response_rates(survey)
    assert rates[0].answers == answers.count() and 0 < (rates[0].rate or 0) < 100
    results = survey_results(survey)
    assert results.any_suppressed


def test_no_conference_no_survey(tree) -> None:
    assert demo.build_surveys(tree.province, today=dt.date(2026, 4, 1)) is None
