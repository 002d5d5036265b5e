import datetime as dt
from decimal import Decimal

import pytest

from lantoa.core.errors import ValidationFailed
from lantoa.core.models import AuditEntry
from lantoa.org import selectors
from lantoa.org.models import RestructuringEvent, Succession, Unit
from lantoa.org.restructuring import event_apply

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 7, 1)
BEFORE = DAY - dt.timedelta(days=1)


def codes(units):
    return sorted(u.code for u in units)


def test_merge_into_a_new_unit(tree):
    report = event_apply(
        by=None,
        kind="merge",
        effective_on=DAY,
        legal_basis="Nghị quyết 1673/NQ-UBTVQH15",
        payload={
            "predecessors": ["P-A-1", "P-B-1"],
            "new": {"code": "P-N", "name": "Đảng bộ xã Mới", "kind": "commune_committee", "parent": "P-A"},
        },
    )
    assert report.created == ["P-N"]
    assert sorted(report.closed) == ["P-A-1", "P-B-1"]
    # The cell moved with its commune into the new unit.
    assert ("P-A-1-C1", "P-A-1", "P-N") in report.moved
    assert codes(selectors.unit_subtree(tree.district_a, as_of=DAY)) == ["P-A", "P-A-1-C1", "P-N"]
    assert codes(selectors.unit_subtree(tree.district_a, as_of=BEFORE)) == ["P-A", "P-A-1", "P-A-1-C1"]
    assert Succession.objects.filter(successor__code="P-N").count() == 2
    assert AuditEntry.objects.filter(action="lantoa.org.event.merge").count() == 1


def test_merge_into_an_existing_unit_that_continues(tree):
    event_apply(by=None, kind="merge", effective_on=DAY, payload={"predecessors": ["P-B"], "into": "P-A"})
    assert Unit.objects.get(code="P-B").closed_on == DAY
    assert Unit.objects.get(code="P-A").closed_on is None
    assert "P-B-1" in codes(selectors.unit_subtree(tree.district_a, as_of=DAY))


def test_split_with_weights_and_default(tree):
    report = event_apply(
        by=None,
        kind="split",
        effective_on=DAY,
        payload={
            "unit": "P-A-1",
            "successors": [
                {
                    "new": {"code": "P-A-2", "name": "Xã Hai", "kind": "commune_committee", "parent": "P-A"},
                    "weight": "0.6",
                    "is_default": True,
                },
                {
                    "new": {"code": "P-A-3", "name": "Xã Ba", "kind": "commune_committee", "parent": "P-A"},
                    "weight": "0.4",
                },
            ],
        },
    )
    assert report.closed == ["P-A-1"]
    weights = dict(Succession.objects.values_list("successor__code", "weight"))
    assert weights == {"P-A-2": Decimal("0.6"), "P-A-3": Decimal("0.4")}
    assert selectors.unit_parent(tree.cell_a1, as_of=DAY).code == "P-A-2"


@pytest.mark.parametrize(
    "successors",
    [
        [{"unit": "P-B-1", "weight": "0.5", "is_default": True}],  # one successor only
        [{"unit": "P-B-1", "weight": "0.5", "is_default": True}, {"unit": "P-B", "weight": "0.4"}],  # sums to 0.9
        [{"unit": "P-B-1", "weight": "0.5"}, {"unit": "P-B", "weight": "0.5"}],  # no default
        [{"unit": "P-B-1", "weight": "abc", "is_default": True}, {"unit": "P-B", "weight": "0.5"}],
    ],
)
def test_bad_split_is_refused_and_changes_nothing(tree, successors):
    before_events = RestructuringEvent.objects.count()
    with pytest.raises(ValidationFailed):
        event_apply(by=None, kind="split", effective_on=DAY, payload={"unit": "P-A-1", "successors": successors})
    assert RestructuringEvent.objects.count() == before_events
    assert Unit.objects.get(code="P-A-1").closed_on is None


def test_a_unit_that_stays_open_gives_parts_to_a_new_unit_and_a_neighbour(tree, monkeypatch):
    from lantoa.org import restructuring

    given = []

    def remember(pairs, day, by):  # type: ignore[no-untyped-def]
        given.extend((unit.code, receiver.code, day) for unit, receiver in pairs)
        return [restructuring.PointerChange("thing", "Thing", unit.code, receiver.code) for unit, receiver in pairs]

    monkeypatch.setattr(restructuring, "_parts_handlers", {"things": remember})
    report = event_apply(
        by=None,
        kind="split",
        effective_on=DAY,
        payload={
            "unit": "P-A-1",
            "keeps_open": True,
            "successors": [
                {"new": {"code": "P-A-2", "name": "Xã Hai", "kind": "commune_committee", "parent": "P-A"}},
                {"unit": "P-B-1", "weight": "0.2"},
            ],
            "children": {"P-A-1-C1": "P-A-2"},
        },
    )
    assert report.closed == [] and report.created == ["P-A-2"]
    assert report.parts == [("P-A-1", "P-A-2"), ("P-A-1", "P-B-1")]
    assert report.as_dict()["parts"] == [{"from": "P-A-1", "to": "P-A-2"}, {"from": "P-A-1", "to": "P-B-1"}]
    assert given == [("P-A-1", "P-A-2", DAY), ("P-A-1", "P-B-1", DAY)]
    assert [p.to_unit for p in report.pointers] == ["P-A-2", "P-B-1"]
    assert Unit.objects.get(code="P-A-1").closed_on is None
    # The open unit keeps its records: nothing flows away through a succession.
    assert not Succession.objects.exists()
    assert selectors.unit_parent(tree.cell_a1, as_of=DAY).code == "P-A-2"
    assert AuditEntry.objects.get(action="lantoa.org.event.split").unit.code == "P-A-1"


def test_giving_parts_runs_no_pointer_handler_and_a_closing_split_no_parts_handler(tree, monkeypatch):
    from lantoa.org import restructuring

    calls = []
    monkeypatch.setattr(restructuring, "_parts_handlers", {"x": lambda pairs, day, by: calls.append("parts") or []})
    monkeypatch.setattr(restructuring, "_pointer_handlers", {"x": lambda pairs, day, by: calls.append("close") or []})
    event_apply(
        by=None,
        kind="split",
        effective_on=DAY,
        payload={"unit": "P-A-1", "keeps_open": True, "successors": [{"unit": "P-B-1"}]},
    )
    assert calls == ["parts"]
    event_apply(
        by=None,
        kind="split",
        effective_on=DAY,
        payload={
            "unit": "P-A-1",
            "successors": [{"unit": "P-B-1", "weight": "0.5", "is_default": True}, {"unit": "P-A", "weight": "0.5"}],
        },
    )
    assert calls == ["parts", "close"]


@pytest.mark.parametrize(
    "payload",
    [
        {"successors": []},
        {"successors": "P-B-1"},
        {"successors": [{"unit": "P-B-1", "is_default": True}]},  # the unit itself continues
        {"successors": [{"unit": "P-B-1", "weight": "0.6"}, {"unit": "P-B", "weight": "0.4"}]},  # nothing left
        {"successors": [{"unit": "P-A-1"}]},  # itself
        {"successors": [{"unit": "P-B-1"}, {"unit": "P-B-1"}]},
        {"successors": [{"unit": "P-B-1"}], "children": {"P-K-1": "P-B-1"}},  # not its child
        {"successors": [{"unit": "P-B-1"}], "children": {"P-A-1-C1": "P-B"}},  # not a receiver
        {"successors": [{"unit": "P-B-1"}], "children": ["P-A-1-C1"]},
    ],
)
def test_bad_parts_are_refused_and_change_nothing(tree, payload):
    with pytest.raises(ValidationFailed):
        event_apply(by=None, kind="split", effective_on=DAY, payload={"unit": "P-A-1", "keeps_open": True, **payload})
    assert RestructuringEvent.objects.count() == 0
    assert selectors.unit_parent(tree.cell_a1, as_of=DAY).code == "P-A-1"


def test_abolish_a_tier_moves_children_up(tree):
    report = event_apply(by=None, kind="abolish_tier", effective_on=DAY, payload={"within": "P", "tier": "district"})
    assert sorted(report.closed) == ["P-A", "P-B", "P-K"]
    assert {c.code for c in selectors.unit_children(tree.province, as_of=DAY)} == {"P-A-1", "P-B-1", "P-K-1"}
    # History is intact.
    assert {c.code for c in selectors.unit_children(tree.province, as_of=BEFORE)} == {"P-A", "P-B", "P-K"}


def test_dry_run_reports_and_changes_nothing(tree):
    report = event_apply(
        by=None, kind="merge", effective_on=DAY, payload={"predecessors": ["P-B"], "into": "P-A"}, dry_run=True
    )
    assert report.dry_run and report.event_id is None
    assert report.closed == ["P-B"]
    assert ("P-B-1", "P-B", "P-A") in report.moved
    assert RestructuringEvent.objects.count() == 0
    assert Unit.objects.get(code="P-B").closed_on is None
    assert not AuditEntry.objects.filter(action__startswith="lantoa.org.event").exists()


def test_rename_move_change_kind_and_area(tree):
    event_apply(by=None, kind="rename", effective_on=DAY, payload={"unit": "P-A", "name": "Đảng bộ huyện Mới"})
    event_apply(by=None, kind="move", effective_on=DAY, payload={"unit": "P-A-1", "parent": "P-B"})
    event_apply(by=None, kind="change_kind", effective_on=DAY, payload={"unit": "P-B", "kind": "town_committee"})
    event_apply(
        by=None,
        kind="change_area",
        effective_on=DAY,
        payload={"unit": "P-B-1", "official_code": "02800", "area_name": "Xã Lương Sơn", "level": "commune"},
    )
    assert Unit.objects.get(code="P-A").name == "Đảng bộ huyện Mới"
    assert selectors.unit_parent(tree.commune_a1, as_of=DAY).code == "P-B"
    assert Unit.objects.get(code="P-B").kind.code == "town_committee"
    assert selectors.unit_area(tree.commune_b1, as_of=DAY).official_code == "02800"
    # Same-day events apply in sequence order.
    assert list(RestructuringEvent.objects.values_list("sequence", flat=True)) == [1, 2, 3, 4]


def test_successor_officers_see_predecessor_units(tree, client_for):
    from lantoa.accounts.tests.factories import make_user

    event_apply(
        by=None,
        kind="merge",
        effective_on=DAY,
        payload={
            "predecessors": ["P-A-1", "P-B-1"],
            "new": {"code": "P-N", "name": "Xã Mới", "kind": "commune_committee", "parent": "P-A"},
        },
    )
    officer = make_user(role="officer", unit=Unit.objects.get(code="P-N"), valid_from=DAY)
    client = client_for(officer)
    assert client.get("/api/v1/units/P-B-1").status_code == 200
    assert client.get("/api/v1/units/P-A-1").status_code == 200
    assert client.get("/api/v1/units/P-B").status_code == 404


def test_assignments_on_a_closing_unit_follow_the_successor(tree):
    from lantoa.accounts.models import Assignment
    from lantoa.accounts.tests.factories import make_user

    officer = make_user(role="officer", unit=tree.commune_b1)
    preview = event_apply(
        by=None, kind="merge", effective_on=DAY, payload={"predecessors": ["P-B-1"], "into": "P-A-1"}, dry_run=True
    )
    assert [(p.what, p.from_unit, p.to_unit) for p in preview.pointers] == [("assignment", "P-B-1", "P-A-1")]
    assert Assignment.objects.filter(user=officer).count() == 1
    event_apply(by=None, kind="merge", effective_on=DAY, payload={"predecessors": ["P-B-1"], "into": "P-A-1"})
    rows = list(Assignment.objects.filter(user=officer).order_by("valid_from").values_list("unit__code", "valid_to"))
    assert rows == [("P-B-1", DAY), ("P-A-1", None)]


def test_a_unit_created_for_a_later_date_can_be_opened_now(tree, client_for, admin_user):
    later = selectors.today() + dt.timedelta(days=30)
    event_apply(
        by=None,
        kind="merge",
        effective_on=later,
        payload={
            "predecessors": ["P-B-1"],
            "new": {"code": "P-F", "name": "Xã Tương Lai", "kind": "commune_committee", "parent": "P-B"},
        },
    )
    assert client_for(admin_user).get("/api/v1/units/P-F").status_code == 200


def test_a_merge_that_would_put_a_unit_under_itself_is_refused(tree):
    with pytest.raises(ValidationFailed):
        event_apply(
            by=None,
            kind="merge",
            effective_on=DAY,
            payload={
                "predecessors": ["P-A-1"],
                "new": {"code": "P-X", "name": "Xã vòng", "kind": "commune_committee", "parent": "P-A-1-C1"},
            },
        )
    assert not Unit.objects.filter(code="P-X").exists()
    assert Unit.objects.get(code="P-A-1").closed_on is None


def test_the_officer_may_end_assignments_instead_of_moving_them(tree):
    from lantoa.accounts.models import Assignment
    from lantoa.accounts.tests.factories import make_user

    officer = make_user(role="officer", unit=tree.commune_b1)
    payload = {"predecessors": ["P-B-1"], "into": "P-A-1", "pointers": {"assignments": "end"}}
    report = event_apply(by=None, kind="merge", effective_on=DAY, payload=payload)
    assert [(p.from_unit, p.to_unit) for p in report.pointers] == [("P-B-1", None)]
    rows = list(Assignment.objects.filter(user=officer).values_list("unit__code", "valid_to"))
    assert rows == [("P-B-1", DAY)]
    with pytest.raises(ValidationFailed):
        event_apply(by=None, kind="close", effective_on=DAY, payload={"unit": "P-A-1-C1", "pointers": {"x": "keep"}})


def test_the_preview_lists_the_figures_that_will_count_at_the_successors(tree):
    from lantoa.core.services import data_value_record, period_ensure

    period = period_ensure(kind="year", start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31))
    data_value_record(by=None, indicator="population", unit=tree.commune_b1, period=period, value=500)
    report = event_apply(
        by=None, kind="merge", effective_on=DAY, payload={"predecessors": ["P-B-1"], "into": "P-A-1"}, dry_run=True
    )
    shifts = [(f.unit, f.what, f.count, f.to) for f in report.figures]
    assert ("P-B-1", "reported:population", 1, [("P-A-1", Decimal(1))]) in shifts
    assert report.as_dict()["figures"]


def test_one_decision_can_merge_several_groups_at_once(tree):
    payload = {
        "groups": [
            {
                "predecessors": ["P-A-1"],
                "new": {"code": "P-N1", "name": "Xã Một", "kind": "commune_committee", "parent": "P"},
            },
            {"predecessors": ["P-B-1"], "into": "P-K-1"},
        ]
    }
    report = event_apply(by=None, kind="merge", effective_on=DAY, payload=payload)
    assert sorted(report.closed) == ["P-A-1", "P-B-1"]
    assert dict(Succession.objects.values_list("predecessor__code", "successor__code")) == {
        "P-A-1": "P-N1",
        "P-B-1": "P-K-1",
    }
    assert selectors.unit_parent(tree.cell_a1, as_of=DAY).code == "P-N1"
    assert RestructuringEvent.objects.count() == 1


def test_a_unit_cannot_be_in_two_groups_of_one_merge(tree):
    payload = {"groups": [{"predecessors": ["P-A-1"], "into": "P-B-1"}, {"predecessors": ["P-A-1"], "into": "P-K-1"}]}
    with pytest.raises(ValidationFailed):
        event_apply(by=None, kind="merge", effective_on=DAY, payload=payload)
    assert not RestructuringEvent.objects.exists()
