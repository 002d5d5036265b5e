"""Results read from the reseal's tallies plus the days since equal results counted from every item."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from lantoa.surveys import services
from lantoa.surveys.models import ResultTally, Survey
from lantoa.surveys.selectors import CURRENT, HISTORICAL, survey_results
from lantoa.surveys.tallies import survey_counts
from lantoa.surveys.tests.factories import issue, make_survey, values_for

pytestmark = pytest.mark.django_db


def _tables(survey):  # type: ignore[no-untyped-def]
    """Every cell of every table, the means and the free texts, in both structures."""
    found = []
    for structure in (HISTORICAL, CURRENT):
        results = survey_results(survey, structure=structure, rng=random.Random(1))
        for question in results.questions:
            cells = [(row.key, [(cell.value, cell.percent) for cell in shown]) for row, shown in question.rows]
            found.append((question.version.pk, cells, question.mean, sorted(question.texts), question.texts_total))
        found.append(results.answers)
    return found


def _answer_on(survey, unit, day: dt.date, count: int, seed: int) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    for code in issue(survey, unit, count):
        values = values_for(
            survey,
            choice=rng.randrange(2),
            rating=rng.randint(1, 5),
            picks=tuple(sorted(rng.sample(range(3), rng.randint(1, 3)))),
            number=rng.randint(0, 50),
            text=rng.choice(["", "Cần thêm tài liệu", "Tốt"]),
        )
        services.answer_with_token(code=code, values=values, today=day)


def test_results_are_the_same_read_from_tallies(tree) -> None:
    today = services.local_today()
    survey = make_survey(tree.province, opens_on=today - dt.timedelta(days=5))
    for offset, unit, count in ((3, tree.commune_a1, 14), (2, tree.commune_b1, 12), (1, tree.commune_a1, 11)):
        _answer_on(survey, unit, today - dt.timedelta(days=offset), count, seed=offset)
    _answer_on(survey, tree.commune_b1, today, 13, seed=9)
    counted_from_items = _tables(survey)

    assert services.answers_reseal(today=today) == 37
    survey.refresh_from_db()
    assert survey.sealed_through == today - dt.timedelta(days=1)
    assert ResultTally.objects.filter(survey=survey).exists()
    assert _tables(survey) == counted_from_items  # 37 answers from tallies, 13 from today's items

    _answer_on(survey, tree.commune_a1, today, 10, seed=11)
    services.answers_reseal(today=today + dt.timedelta(days=1))
    survey.refresh_from_db()
    after = _tables(survey)
    assert after[-1] == 60
    # The tallies added to, not replaced: the respondents of the required question are every answer.
    kinds = {version.pk: version.kind for version in services.current_versions(survey)}
    counted = survey_counts(survey, kinds)
    respondents = {key: cell[0] for key, cell in counted.cells.items() if key[2] is None and key[3] is None}
    single = min(version for (_unit, version, _o, _n) in respondents)
    assert sum(n for (_u, v, _o, _n), n in respondents.items() if v == single) == 60
    ResultTally.objects.filter(survey=survey).delete()
    Survey.objects.filter(pk=survey.pk).update(sealed_through=None)
    survey.refresh_from_db()
    assert _tables(survey) == after  # the same, counted from every item again
