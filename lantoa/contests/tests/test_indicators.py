"""Contest entries and participants through the rollup: attempts (submitted) by the unit they
were made for and the day they were submitted; people counted once however many entries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lantoa.contests.services import attempt_for_key, attempt_start, attempt_submit
from lantoa.contests.tests.factories import make_contest, make_contestant, make_round, stock_bank
from lantoa.org.rollup import indicator_values

pytestmark = pytest.mark.django_db


def test_entries_and_participants_roll_up(tree):
    bank = stock_bank(tree.province)
    contest = make_contest(tree.province)
    opens = timezone.make_aware(dt.datetime(2021, 5, 3, 8, 0))
    round_ = make_round(contest, bank, opens_at=opens, closes_at=opens + dt.timedelta(days=7), attempts_allowed=0)
    people = [
        make_contestant(contest, tree.commune_a1, name="Người A"),
        make_contestant(contest, tree.cell_a1, name="Người B"),
        make_contestant(contest, tree.commune_b1, name="Người C"),
    ]
    now = opens + dt.timedelta(hours=1)
    for contestant, key in [people[0], people[0], people[1], people[2]]:
        attempt = attempt_start(contestant=contestant, round_=round_, now=now).attempt
        attempt_submit(attempt=attempt_for_key(attempt.pk, key), answers=[], now=now + dt.timedelta(minutes=1))
    attempt_start(contestant=people[2][0], round_=round_, now=now)  # started, never submitted: no entry
    found = indicator_values(
        unit=tree.district_a,
        start=dt.date(2021, 5, 1),
        end=dt.date(2021, 5, 31),
        codes=["contest_entries", "contest_participants"],
        structure="historical",
    )
    values = {v.indicator.code: v.value for v in found}
    assert values == {"contest_entries": 3, "contest_participants": 2}
    province = indicator_values(
        unit=tree.province,
        start=dt.date(2021, 5, 1),
        end=dt.date(2021, 5, 31),
        codes=["contest_entries", "contest_participants"],
        structure="historical",
    )
    assert {v.indicator.code: v.value for v in province} == {"contest_entries": 4, "contest_participants": 3}


def test_results_from_another_platform_are_indicators_of_their_own_in_both_structures(tree, admin_user):
    """Imported per-unit figures roll up beside Lantoa's attempts, never into them; a merged
    commune's figures count at its successor in today's structure and at itself in the
    historical one."""
    from lantoa.contests.services.external import external_results_import
    from lantoa.contests.tests.test_external_io import workbook
    from lantoa.org.restructuring import event_apply

    contest = make_contest(tree.province)
    rows = [
        ["P-A-1", "Tuần 1", "09/05/2021", 120, 310],
        ["P-A-1-C1", "Tuần 1", "09/05/2021", 20, 30],
        ["P-B-1", "Tuần 1", "09/05/2021", 7, 9],
        ["P-A-1", "Tuần 2", "16/05/2021", 100, 250],
    ]
    external_results_import(by=admin_user, contest=contest, file=workbook(rows))
    codes = ["contest_entries_external", "contest_participants_external", "contest_entries"]

    def figures(unit, structure):  # type: ignore[no-untyped-def]
        found = indicator_values(
            unit=unit, start=dt.date(2021, 5, 1), end=dt.date(2021, 5, 31), codes=codes, structure=structure
        )
        return {v.indicator.code: v.value for v in found}

    assert figures(tree.district_a, "historical") == {
        "contest_entries_external": 590,
        "contest_participants_external": 240,
        "contest_entries": 0,  # the imported figures never enter the count of Lantoa's own attempts
    }
    assert figures(tree.province, "historical")["contest_entries_external"] == 599
    event_apply(
        by=None,
        kind="merge",
        effective_on=timezone.localdate() - dt.timedelta(days=1),
        payload={"predecessors": ["P-B-1"], "into": "P-A-1"},
    )
    assert figures(tree.district_a, "current")["contest_entries_external"] == 599
    assert figures(tree.district_b, "historical")["contest_entries_external"] == 9
    assert figures(tree.province, "current")["contest_entries_external"] == 599
