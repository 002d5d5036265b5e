"""The demo's judged contests give the province's figures through the values API: 14 committees
that held a staged contest and 284 reporters in the best-reporter contest, March 2021 – July 2022.

Built on a small tree shaped like Lào Cai's in 2021 (nine district-tier and five functional
committees under the province, beside the commission), through the demo module and the
services, without the juries' work (the full demo, juries and all, is built by the demo's own
tests)."""

from __future__ import annotations

import datetime as dt

import pytest

from lantoa.accounts.tests.factories import make_user
from lantoa.judging import demo
from lantoa.judging.models import Competition, EntryStage
from lantoa.org.tests.factories import make_unit
from lantoa.people.tests.factories import make_person, make_role

pytestmark = pytest.mark.django_db

PERIOD = {"start": "2021-03-01", "end": "2022-07-31"}
CODES = ["staged_contest_committees", "best_reporter_entries"]


@pytest.fixture
def province():
    province = make_unit(kind="provincial_committee", name="Đảng bộ tỉnh Lào Cai", code="LC")
    make_unit(kind="commission", parent=province, name="Ban Tuyên giáo Tỉnh ủy", code="LC-BTG")
    kinds = ["district_committee"] * 9 + ["bloc_committee"] * 2 + ["armed_forces_committee"] * 3
    for number, kind in enumerate(kinds, start=1):
        committee = make_unit(kind=kind, parent=province, name=f"Đảng bộ {number}", code=f"LC-{number:02d}")
        child_kind = "commune_committee" if kind == "district_committee" else "grassroots_committee"
        child = make_unit(kind=child_kind, parent=committee, name=f"Đảng bộ {number}.1", code=f"LC-{number:02d}-1")
        # Two reporters of the network per committee, one in a unit beneath it.
        make_role(make_person(home_unit=committee), "reporter", committee, valid_from=dt.date(2021, 1, 1))
        make_role(make_person(home_unit=child), "reporter", child, valid_from=dt.date(2021, 1, 1))
    # The province's own reporter judges; entrants come from the committees.
    make_role(make_person(home_unit=province), "reporter", province, valid_from=dt.date(2021, 1, 1))
    return province


def test_the_values_api_gives_14_committees_and_284_reporters(province, client_for):
    report = demo.build_judging(province, password="unused", judge=False)
    assert report.staged_contests == 14
    assert (report.reporters_entered, report.reporters_created) == (284, 284 - 28)
    assert Competition.objects.filter(kind="staged").values("unit").distinct().count() == 14
    assert not EntryStage.objects.filter(person__roles__unit=province).exists()

    client = client_for(make_user(role="administrator", unit=province, username="admin"))
    for structure in ("historical", "current"):
        answer = client.get(
            "/api/v1/indicators/values", {"unit": "LC", **PERIOD, "structure": structure, "indicator": CODES}
        )
        assert answer.status_code == 200, answer.content
        figures = {item["code"]: item["value"] for item in answer.json()["items"]}
        assert figures == {"staged_contest_committees": 14, "best_reporter_entries": 284}
    # Before the contests began none was held (counted from the records: zero).
    answer = client.get(
        "/api/v1/indicators/values",
        {"unit": "LC", "start": "2020-01-01", "end": "2020-12-31", "structure": "historical", "indicator": CODES},
    )
    assert {item["code"]: item["value"] for item in answer.json()["items"]} == dict.fromkeys(CODES, 0)


def test_the_demo_assessments_give_their_figures_and_a_history_over_years(province, client_for):
    from lantoa.judging.assessments.demo import build_assessments

    report = build_assessments(province)
    assert (report.campaigns, report.passed) == (4, 3)
    client = client_for(make_user(role="administrator", unit=province, username="admin"))
    for (start, end), passed in ((("2024-01-01", "2024-12-31"), 1), (("2025-01-01", "2025-12-31"), 2)):
        for structure in ("historical", "current"):
            answer = client.get(
                "/api/v1/indicators/values",
                {"unit": "LC", "start": start, "end": end, "structure": structure, "indicator": ["assessments_passed"]},
            )
            assert answer.status_code == 200, answer.content
            assert answer.json()["items"][0]["value"] == passed
    history = client.get("/api/v1/judging/assessments/history/LC-01-1").json()
    assert [(row["year"], row["model_title"] != "", row["passed"]) for row in history["items"]] == [
        (2025, False, True),
        (2025, True, True),
        (2024, False, False),
        (2024, True, True),
    ]
