"""Programmes: Party numbers, deadlines and lateness, tasks and their status, progress appended."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.core.models import AuditEntry
from lantoa.plans import services
from lantoa.plans.models import ActionProgramme, ProgressUpdate, TaskStatus
from lantoa.plans.selectors import task_status
from lantoa.plans.tests.factories import make_document, make_programme, make_requirement, make_task, report

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("45-CTr/TU", "45-CTr/TU"), ("Số 45-CTr/TU", "45-CTr/TU"), ("01-NQ/TW", "01-NQ/TW"),
     ("12-KH/BTGTU", "12-KH/BTGTU"), ("05-KH/ĐU", "05-KH/ĐU"), ("3-CTr/HU-UBND", "3-CTr/HU-UBND")],
)  # fmt: skip
def test_party_numbers_are_read_in_the_party_form(typed, stored):
    assert services.party_number(typed) == stored


@pytest.mark.parametrize("typed", ["45", "CTr/TU", "45-CTr", "0-CTr/TU", "45/CTr-TU", "45-ctr/TU", "x" * 60, ""])
def test_other_numbers_are_refused(typed):
    with pytest.raises(ValidationFailed) as error:
        services.party_number(typed)
    assert error.value.code == "invalid_number"


def test_a_programme_is_on_time_or_late_against_the_deadline_set_above(tree):
    document = make_document(tree.province)
    make_requirement(tree.province, document, due_on=dt.date(2021, 3, 31))
    on_time = make_programme(tree.district_a, document, issued_on=dt.date(2021, 3, 31))
    late = make_programme(tree.district_b, document, issued_on=dt.date(2021, 4, 1))
    own = make_programme(tree.province, document, issued_on=dt.date(2021, 3, 10))
    assert (on_time.on_time, late.on_time, own.on_time) == (True, False, None)
    assert AuditEntry.objects.filter(action="lantoa.plans.programme.created").count() == 3


def test_setting_the_deadline_later_judges_programmes_already_issued(tree):
    document = make_document(tree.province)
    early = make_programme(tree.district_a, document, issued_on=dt.date(2021, 4, 10))
    assert early.on_time is None
    make_requirement(tree.province, document, due_on=dt.date(2021, 3, 31))
    assert ActionProgramme.objects.get(pk=early.pk).on_time is False
    make_requirement(tree.province, document, due_on=dt.date(2021, 4, 30))  # the deadline moved
    assert ActionProgramme.objects.get(pk=early.pk).on_time is True
    assert AuditEntry.objects.filter(action="lantoa.plans.requirement.updated").count() == 1


def test_a_requirement_must_name_a_tier_below_and_a_date_after_the_document(tree):
    document = make_document(tree.province)
    with pytest.raises(ValidationFailed) as below:
        make_requirement(tree.district_a, document, tier="province")
    assert below.value.code == "tier_not_below"
    with pytest.raises(ValidationFailed) as early:
        make_requirement(tree.province, document, due_on=dt.date(2021, 2, 1))
    assert early.value.code == "due_before_document"


def test_the_same_number_twice_for_one_unit_is_a_conflict(tree):
    document = make_document(tree.province)
    data = services.ProgrammeData(
        unit=tree.district_a, document=document, title="Kế hoạch", decision_number="10-KH/HU",
        issued_on=dt.date(2021, 4, 1),
    )  # fmt: skip
    services.programme_create(by=None, data=data)
    with pytest.raises(Conflict):
        services.programme_create(by=None, data=data)
    assert ActionProgramme.objects.count() == 1


def test_task_status_follows_the_latest_update_and_the_deadline(tree):
    programme = make_programme(tree.district_a, make_document(tree.province))
    task = make_task(programme, starts_on=dt.date(2021, 4, 1), due_on=dt.date(2021, 6, 30))
    assert task_status(task, on=dt.date(2021, 5, 1)) == TaskStatus.NOT_STARTED
    report(task, 40, on=dt.date(2021, 5, 10))
    assert task_status(task, on=dt.date(2021, 5, 11)) == TaskStatus.IN_PROGRESS
    assert task_status(task, on=dt.date(2021, 7, 1)) == TaskStatus.OVERDUE
    report(task, 100, on=dt.date(2021, 7, 5))
    assert task_status(task, on=dt.date(2021, 7, 6)) == TaskStatus.DONE
    # An update for an earlier day does not undo the latest one.
    report(task, 60, on=dt.date(2021, 6, 1))
    task.refresh_from_db()
    assert (task.percent_done, task_status(task, on=dt.date(2021, 8, 1))) == (100, TaskStatus.DONE)
    assert ProgressUpdate.objects.filter(task=task).count() == 3


@pytest.mark.parametrize("percent", [-1, 101, True, "50"])
def test_a_percentage_out_of_range_is_refused_and_nothing_is_stored(tree, percent):
    task = make_task(make_programme(tree.district_a, make_document(tree.province)))
    with pytest.raises(ValidationFailed) as error:
        services.progress_record(
            by=None, task=task, data=services.UpdateData(percent=percent, recorded_on=dt.date(2021, 5, 1))
        )
    assert error.value.code == "out_of_range"
    assert not ProgressUpdate.objects.exists()


def test_a_task_needs_an_owner_dates_in_order_and_a_registered_indicator(tree):
    programme = make_programme(tree.district_a, make_document(tree.province))
    cases = [
        ({"owner_role": ""}, "owner_required"),
        ({"due_on": dt.date(2021, 3, 1)}, "due_before_start"),
        ({"indicator": "no_such_indicator"}, "unknown_indicator"),
        ({"target_value": Decimal("100")}, "target_without_indicator"),
        ({"indicator": "conferences_held", "target_value": Decimal("-1")}, "out_of_range"),
    ]
    for change, code in cases:
        values = {"title": "Nhiệm vụ", "starts_on": dt.date(2021, 4, 1), "due_on": dt.date(2021, 6, 1),
                  "owner_role": "Ban Tuyên giáo", **change}  # fmt: skip
        with pytest.raises(ValidationFailed) as error:
            services.task_add(by=None, programme=programme, data=services.TaskData(**values))  # type: ignore[arg-type]
        assert error.value.code == code
    assert not programme.tasks.exists()


def test_a_target_reads_the_current_value_from_the_records(tree):
    from lantoa.meetings.tests.test_indicators import relayed_conference_with_own_session

    relayed_conference_with_own_session(tree)  # conferences held in 2021 in the province's tree
    programme = make_programme(tree.province, make_document(tree.province))
    task = make_task(
        programme, starts_on=dt.date(2021, 1, 1), due_on=dt.date(2021, 12, 31), indicator="conferences_held",
        target_value=Decimal("1"),
    )  # fmt: skip
    from lantoa.org.rollup import indicator_values
    from lantoa.plans.selectors import programme_tasks

    expected = indicator_values(
        unit=tree.province, start=dt.date(2021, 1, 1), end=dt.date(2021, 12, 31), codes=["conferences_held"],
        structure="current",
    )[0].value  # fmt: skip
    (row,) = programme_tasks(programme, on=dt.date(2022, 1, 10))
    assert row.task == task and row.current == expected and expected
    assert row.reached is True
