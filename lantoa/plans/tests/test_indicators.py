"""The inspection indicators read from records, with known numbers and across a merge:
inspections held (at the recording unit, on their last day) and conclusions open (a snapshot on
the period's last day, at the unit that must carry them out)."""

from __future__ import annotations

import datetime as dt

import pytest

from lantoa.org.restructuring import event_apply
from lantoa.org.rollup import indicator_values
from lantoa.plans import services

pytestmark = pytest.mark.django_db
YEAR_2022 = (dt.date(2022, 1, 1), dt.date(2022, 12, 31))


def inspection(unit, *, ends_on, inspected):  # type: ignore[no-untyped-def]
    return services.inspection_create(
        by=None,
        data=services.InspectionData(
            unit=unit, title="Kiểm tra việc học tập Nghị quyết", deciding_body="Ban Thường vụ", decision_number="",
            decided_on=None, starts_on=ends_on - dt.timedelta(days=2), ends_on=ends_on, topics="Việc quán triệt.",
            inspected=tuple(inspected),
        ),
    )  # fmt: skip


def values(unit, codes, start, end, **extra):  # type: ignore[no-untyped-def]
    found = indicator_values(unit=unit, start=start, end=end, codes=codes, **extra)
    return [None if value.value is None else float(value.value) for value in found]


def test_inspections_count_at_the_unit_that_recorded_them_on_their_last_day(tree):
    inspection(tree.province, ends_on=dt.date(2022, 8, 8), inspected=[tree.district_a])
    inspection(tree.district_a, ends_on=dt.date(2022, 1, 2), inspected=[tree.commune_a1])  # begins in 2021
    inspection(tree.commune_a1, ends_on=dt.date(2022, 5, 5), inspected=[tree.cell_a1])
    inspection(tree.district_b, ends_on=dt.date(2023, 1, 1), inspected=[tree.commune_b1])  # the next year
    assert values(tree.province, ["inspections_held"], *YEAR_2022) == [3]
    assert values(tree.district_a, ["inspections_held"], *YEAR_2022) == [2]
    assert values(tree.district_b, ["inspections_held"], *YEAR_2022) == [0]
    assert values(tree.commune_a1, ["inspections_held"], dt.date(2022, 5, 5), dt.date(2022, 5, 5)) == [1]


def test_conclusions_open_are_counted_on_the_periods_last_day(tree):
    held = inspection(tree.province, ends_on=dt.date(2022, 8, 8), inspected=[tree.district_a, tree.district_b])
    services.conclusion_add(by=None, inspection=held, text="Ghi nhận kết quả.")  # asks for nothing
    first = services.conclusion_add(by=None, inspection=held, text="Bổ sung kế hoạch.", owner_unit=tree.district_a,
                                    due_on=dt.date(2022, 10, 1))  # fmt: skip
    services.conclusion_add(by=None, inspection=held, text="Tổ chức sơ kết.", owner_unit=tree.district_b,
                            due_on=dt.date(2022, 12, 1))  # fmt: skip
    services.follow_up_close(by=None, follow_up=first.follow_up, closed_on=dt.date(2022, 9, 30), evidence="Đã làm")
    code = ["inspection_conclusions_open"]
    before = (dt.date(2022, 1, 1), dt.date(2022, 8, 7))
    assert values(tree.province, code, *before) == [0]  # not concluded yet
    assert values(tree.province, code, dt.date(2022, 1, 1), dt.date(2022, 8, 31)) == [2]
    assert values(tree.province, code, dt.date(2022, 9, 1), dt.date(2022, 9, 29)) == [2]
    assert values(tree.province, code, dt.date(2022, 9, 1), dt.date(2022, 9, 30)) == [1]  # closed that day
    assert values(tree.district_a, code, *YEAR_2022) == [0]
    assert values(tree.district_b, code, *YEAR_2022) == [1]


def test_across_a_merge_both_follow_the_successor_and_history_keeps_the_old_unit(tree):
    held = inspection(tree.commune_a1, ends_on=dt.date(2024, 3, 1), inspected=[tree.cell_a1])
    services.conclusion_add(by=None, inspection=held, text="Kiện toàn tổ tuyên vận.", owner_unit=tree.commune_a1,
                            due_on=dt.date(2026, 1, 1))  # fmt: skip
    event_apply(
        by=None, kind="merge", effective_on=dt.date(2025, 7, 1), payload={"predecessors": ["P-A-1"], "into": "P-B-1"}
    )
    codes = ["inspections_held", "inspection_conclusions_open"]
    # As the tree stood: the commune's own inspection and its open conclusion, under district A.
    assert values(tree.district_a, codes, dt.date(2024, 1, 1), dt.date(2024, 12, 31)) == [1, 1]
    # Today: the merged commune carries both; counted once across the province.
    today = {"structure": "current", "as_of": dt.date(2025, 8, 1)}
    assert values(tree.commune_b1, codes, dt.date(2024, 1, 1), dt.date(2024, 12, 31), **today) == [1, 1]
    assert values(tree.province, codes, dt.date(2024, 1, 1), dt.date(2024, 12, 31), **today) == [1, 1]
    assert values(tree.province, codes, dt.date(2024, 1, 1), dt.date(2024, 12, 31)) == [1, 1]


def test_the_task_done_rate_counts_by_owner_or_the_programmes_unit_for_a_role(tree):
    from lantoa.plans.tests.factories import make_document, make_programme, make_task, report

    programme = make_programme(tree.district_a, make_document(tree.province))
    report(make_task(programme, owner_unit=tree.commune_a1, due_on=dt.date(2021, 6, 30)), 100)
    make_task(programme, owner_unit=tree.commune_a1, due_on=dt.date(2021, 9, 30))
    report(make_task(programme, due_on=dt.date(2021, 12, 31)), 100)  # a role's task: the district's
    make_task(programme, owner_unit=tree.commune_b1, due_on=dt.date(2022, 3, 31))  # due the next year
    codes = ["programme_tasks_due", "programme_tasks_done", "programme_tasks_done_rate"]
    year = (dt.date(2021, 1, 1), dt.date(2021, 12, 31))
    assert values(tree.district_a, codes, *year) == [3, 2, pytest.approx(66.67, abs=0.01)]
    assert values(tree.commune_a1, codes, *year) == [2, 1, 50]
    assert values(tree.district_b, codes, *year)[:2] == [0, 0]
    assert values(tree.commune_b1, codes, dt.date(2022, 1, 1), dt.date(2022, 12, 31)) == [1, 0, 0]


def test_the_task_rate_across_a_merge(tree):
    from lantoa.plans.tests.factories import make_document, make_programme, make_task, report

    programme = make_programme(tree.district_a, make_document(tree.province))
    report(make_task(programme, owner_unit=tree.commune_a1, due_on=dt.date(2024, 6, 30)), 100)
    make_task(programme, owner_unit=tree.commune_a1, due_on=dt.date(2024, 9, 30))  # open: B1 takes it over
    make_task(programme, owner_unit=tree.commune_b1, due_on=dt.date(2024, 9, 30))
    event_apply(
        by=None, kind="merge", effective_on=dt.date(2025, 7, 1), payload={"predecessors": ["P-A-1"], "into": "P-B-1"}
    )
    codes = ["programme_tasks_due", "programme_tasks_done", "programme_tasks_done_rate"]
    year = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert values(tree.district_a, codes, *year) == [2, 1, 50]  # as the tree stood: A1's two tasks
    assert values(tree.district_b, codes, *year) == [1, 0, 0]
    today = {"structure": "current", "as_of": dt.date(2025, 8, 1)}
    assert values(tree.commune_b1, codes, *year, **today) == [3, 1, pytest.approx(33.33, abs=0.01)]
    assert values(tree.province, codes, *year, **today)[:2] == [3, 1]
