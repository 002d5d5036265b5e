"""Coverage of a requirement: issued on time, late, not issued, tasks done — in the tree as it
stood on the deadline and as it stands today, across a merge, at a cost that does not grow with
the number of units."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lantoa.accounts.tests.factories import make_user
from lantoa.core.models import AuditEntry
from lantoa.org.restructuring import event_apply
from lantoa.org.tests.factories import make_unit
from lantoa.plans import services
from lantoa.plans.models import ActionProgramme, ProgrammeTransfer
from lantoa.plans.selectors import requirement_coverage
from lantoa.plans.tests.factories import make_document, make_programme, make_requirement, make_task, report

pytestmark = pytest.mark.django_db


def states(coverage):  # type: ignore[no-untyped-def]
    return {row.unit.code: coverage.state(row) for row in coverage.rows}


def test_coverage_tells_on_time_late_and_missing_with_the_tasks_done(tree):
    document = make_document(tree.province)
    requirement = make_requirement(tree.province, document, due_on=dt.date(2021, 3, 31))
    on_time = make_programme(tree.district_a, document, issued_on=dt.date(2021, 3, 25))
    make_programme(tree.bloc, document, issued_on=dt.date(2021, 4, 15))
    done, _open = make_task(on_time), make_task(on_time)
    report(done, 100)
    coverage = requirement_coverage(requirement, structure="historical")
    assert states(coverage) == {"P-A": "on_time", "P-B": "missing", "P-K": "late"}
    assert coverage.counts == {"units": 3, "on_time": 1, "late": 1, "missing": 1}
    row = next(row for row in coverage.rows if row.unit.code == "P-A")
    assert (row.tasks, row.done, str(row.done_rate)) == (2, 1, "50.0")


def test_a_merged_units_programme_continues_at_the_successor_with_its_history(tree):
    document = make_document(tree.province)
    requirement = make_requirement(tree.province, document, tier="commune", due_on=dt.date(2021, 3, 31))
    programme = make_programme(tree.commune_a1, document, issued_on=dt.date(2021, 3, 20))
    report(make_task(programme), 100)
    district_programme = make_programme(tree.district_a, document, issued_on=dt.date(2021, 3, 25))
    open_task = make_task(district_programme, owner_unit=tree.commune_a1, due_on=dt.date(2026, 12, 31))
    done_task = make_task(district_programme, owner_unit=tree.commune_a1)
    report(done_task, 100)
    asked = services.recommendation_send(by=None, data=services.RecommendationData(
        unit=tree.district_a, addressee_unit=tree.commune_a1, topic="Báo cáo", text="Đề nghị báo cáo.",
        sent_on=dt.date(2025, 6, 1)))  # fmt: skip
    event_apply(
        by=None, kind="merge", effective_on=dt.date(2025, 7, 1), payload={"predecessors": ["P-A-1"], "into": "P-B-1"}
    )
    programme = ActionProgramme.objects.get(pk=programme.pk)
    assert (programme.unit, programme.origin_unit) == (tree.commune_b1, tree.commune_a1)
    transfer = ProgrammeTransfer.objects.get(programme=programme)
    assert (transfer.from_unit, transfer.to_unit, transfer.effective_on) == (
        tree.commune_a1, tree.commune_b1, dt.date(2025, 7, 1),
    )  # fmt: skip
    assert AuditEntry.objects.filter(action="lantoa.plans.programme.transferred").count() == 1
    # Open work given to A1 is B1's now; finished work stays with A1, as history.
    open_task.refresh_from_db(), done_task.refresh_from_db(), asked.refresh_from_db()
    assert (open_task.owner_unit, done_task.owner_unit, asked.addressee_unit) == (
        tree.commune_b1, tree.commune_a1, tree.commune_b1,
    )  # fmt: skip
    # As the tree stood on the deadline: A1 issued on time, B1 (and the agency's cell) did not.
    assert states(requirement_coverage(requirement, structure="historical")) == {
        "P-A-1": "on_time", "P-B-1": "missing", "P-K-1": "missing",
    }  # fmt: skip
    # Today: B1 carries A1's programme; A1 is gone.
    today = requirement_coverage(requirement, structure="current", on=dt.date(2025, 8, 1))
    assert states(today) == {"P-B-1": "on_time", "P-K-1": "missing"}
    assert (today.rows[0].tasks, today.rows[0].done) == (1, 1)
    # The successor's staff see A1's programme, and the district's that now gives B1 a task.
    b1_officer = make_user(role="officer", unit=tree.commune_b1)
    from lantoa.plans.permissions import programmes_visible_to

    assert set(programmes_visible_to(b1_officer)) == {programme, district_programme}


def _province_with(children: int) -> tuple[int, object]:
    province = make_unit(kind="provincial_committee", code=f"R{children}")
    document = make_document(province)
    districts = [
        make_unit(kind="district_committee", parent=province, code=f"R{children}-{i}") for i in range(children)
    ]
    for index, district in enumerate(districts):
        if index % 3:
            programme = make_programme(district, document, issued_on=dt.date(2021, 3, 10 + index % 20))
            report(make_task(programme), 100 if index % 2 else 30)
    requirement = make_requirement(province, document)
    event_apply(by=None, kind="merge", effective_on=dt.date(2022, 1, 1),
                payload={"predecessors": [districts[1].code], "into": districts[0].code})  # fmt: skip
    return requirement.pk, province


@pytest.mark.parametrize("structure", ["historical", "current"])
def test_the_coverage_page_and_api_cost_the_same_for_3_or_30_units(client_for, structure):
    counts = {}
    for size in (3, 30):
        pk, province = _province_with(size)
        client = client_for(make_user(role="manager", unit=province))
        for url in (reverse("plans:requirement_detail", args=[pk]), f"/api/v1/plans/requirements/{pk}/coverage"):
            client.get(url, {"structure": structure})
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url, {"structure": structure})
            assert response.status_code == 200
            counts[(size, url.startswith("/api"))] = len(captured)
        page = client.get(reverse("plans:requirement_detail", args=[pk]), {"structure": structure})
        assert len(page.context["rows"]) == (size if structure == "historical" else size - 1)
    assert counts[(3, False)] == counts[(30, False)]
    assert counts[(3, True)] == counts[(30, True)]
