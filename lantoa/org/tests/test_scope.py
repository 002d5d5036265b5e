"""The scope rule: what a user sees on a past day, after one province was merged into another."""

import datetime as dt

import pytest

from lantoa.accounts.tests.factories import make_user
from lantoa.org import selectors
from lantoa.org.restructuring import event_apply
from lantoa.org.tests.factories import make_unit

pytestmark = pytest.mark.django_db

MERGED_ON = dt.date(2025, 7, 1)
BEFORE = dt.date(2025, 1, 1)


@pytest.fixture
def merged(tree):  # type: ignore[no-untyped-def]
    """Province B (Q) with a district, a commune and a cell, merged into province A (P)."""
    other = make_unit(kind="provincial_committee", name="Đảng bộ tỉnh Sáp Nhập", code="Q")
    district = make_unit(kind="district_committee", parent=other, name="Đảng bộ huyện Văn Chấn", code="Q-D")
    commune = make_unit(kind="commune_committee", parent=district, name="Đảng bộ xã Sơn Thịnh", code="Q-D-1")
    make_unit(kind="party_cell", parent=commune, name="Chi bộ thôn Bản Lừu", code="Q-D-1-C1")
    event_apply(by=None, kind="merge", effective_on=MERGED_ON, payload={"predecessors": ["Q"], "into": "P"})
    return tree


@pytest.fixture
def admin_a(merged):  # type: ignore[no-untyped-def]
    return make_user(role="administrator", unit=merged.province, username="admin_a")


def codes(body: dict) -> list[str]:
    return sorted(unit["code"] for unit in body["items"])


def test_successor_administrator_lists_the_merged_province_as_it_was(client_for, admin_a):
    client = client_for(admin_a)
    within = client.get("/api/v1/units", {"as_of": BEFORE.isoformat(), "within": "Q"}).json()
    assert codes(within) == ["Q", "Q-D", "Q-D-1", "Q-D-1-C1"]
    communes = client.get("/api/v1/units", {"as_of": BEFORE.isoformat(), "tier": "commune"}).json()
    assert codes(communes) == ["P-A-1", "P-B-1", "P-K-1", "Q-D-1"]


def test_successor_administrator_reads_a_merged_unit_on_a_past_day(client_for, admin_a):
    client = client_for(admin_a)
    detail = client.get("/api/v1/units/Q-D-1", {"as_of": BEFORE.isoformat()})
    assert detail.status_code == 200
    assert detail.json()["parent_code"] == "Q-D"
    # The children listing of the same unit agreed already; the list and the detail now agree with it.
    children = client.get("/api/v1/units/Q-D/children", {"as_of": BEFORE.isoformat()}).json()
    assert codes(children) == ["Q-D-1"]


def test_the_tree_after_the_merge_is_unchanged(client_for, admin_a):
    client = client_for(admin_a)
    after = client.get("/api/v1/units", {"as_of": MERGED_ON.isoformat(), "tier": "commune"}).json()
    assert codes(after) == ["P-A-1", "P-B-1", "P-K-1", "Q-D-1"]
    # The merged province itself is closed: it is not in the tree of that day.
    assert "Q" not in codes(client.get("/api/v1/units", {"as_of": MERGED_ON.isoformat()}).json())


def test_predecessors_stay_out_of_scope_for_others(client_for, merged):
    elsewhere = make_unit(kind="provincial_committee", name="Đảng bộ tỉnh Khác", code="R")
    outsider = make_user(role="administrator", unit=elsewhere, username="admin_r")
    commune_officer = make_user(role="officer", unit=merged.commune_a1, username="officer_p_a_1")
    for user in (outsider, commune_officer):
        client = client_for(user)
        listing = client.get("/api/v1/units", {"as_of": BEFORE.isoformat(), "tier": "commune"}).json()
        assert not {"Q-D-1", "P-B-1"} & set(codes(listing))
        hidden = client.get("/api/v1/units/Q-D-1", {"as_of": BEFORE.isoformat()})
        missing = client.get("/api/v1/units/NO-SUCH", {"as_of": BEFORE.isoformat()})
        assert hidden.status_code == missing.status_code == 404
        assert client.get("/api/v1/units", {"as_of": BEFORE.isoformat(), "within": "Q"}).status_code == 404


def test_one_unit_and_the_whole_scope_give_the_same_answer(merged, admin_a):
    from lantoa.org.models import Unit

    roots = [merged.province.pk]
    for day in (BEFORE, MERGED_ON):
        seen = set(selectors.visible_ids(roots, as_of=day))
        open_then = Unit.objects.filter(selectors.open_on(day))
        for unit in open_then:
            assert selectors.unit_is_visible(unit.pk, roots, as_of=day) == (unit.pk in seen), (unit.code, day)


def test_a_closed_unit_is_judged_on_its_last_open_day(merged):
    from lantoa.org.models import Unit

    closed = Unit.objects.get(code="Q")
    assert selectors.last_open_day(closed) == MERGED_ON - dt.timedelta(days=1)
    assert selectors.judging_day(closed) == MERGED_ON - dt.timedelta(days=1)
    assert selectors.judging_day(closed, BEFORE) == BEFORE
    assert selectors.last_open_day(merged.province) is None


ARRANGED_ON = dt.date(2025, 7, 1)


@pytest.fixture
def arranged(tree):  # type: ignore[no-untyped-def]
    """One resolution arranging the communes of both districts: A1+A2 → A-N, B1+B2 → B-N."""
    make_unit(kind="commune_committee", parent=tree.district_a, name="Đảng bộ xã Bản Vược", code="P-A-2")
    make_unit(kind="commune_committee", parent=tree.district_b, name="Đảng bộ xã Xuân Hòa", code="P-B-2")

    def new(code: str, parent: str) -> dict:
        return {"code": code, "name": f"Đảng bộ xã {code}", "kind": "commune_committee", "parent": parent}

    groups = [
        {"predecessors": ["P-A-1", "P-A-2"], "new": new("P-A-N", "P-A")},
        {"predecessors": ["P-B-1", "P-B-2"], "new": new("P-B-N", "P-B")},
    ]
    event_apply(by=None, kind="merge", effective_on=ARRANGED_ON, payload={"groups": groups})
    return tree


def test_events_show_an_officer_only_the_parts_that_name_their_units(client_for, arranged):
    officer = make_user(role="officer", unit=arranged.district_a, username="officer_district_a")
    body = client_for(officer).get("/api/v1/events").json()
    assert body["count"] == 1
    (groups,) = [event["payload"]["groups"] for event in body["items"]]
    assert [group["new"]["code"] for group in groups] == ["P-A-N"]
    assert "P-B" not in str(body)


def test_events_show_the_administrator_every_part(client_for, arranged, admin_user):
    body = client_for(admin_user).get("/api/v1/events").json()
    assert body["count"] == 1
    assert [group["new"]["code"] for group in body["items"][0]["payload"]["groups"]] == ["P-A-N", "P-B-N"]


def test_events_that_touch_nothing_in_scope_are_not_listed(client_for, arranged):
    untouched = make_user(role="officer", unit=arranged.bloc, username="officer_bloc")
    client = client_for(untouched)
    assert client.get("/api/v1/events").json() == {"items": [], "count": 0}
    # Asking for one unit's events: the unit itself is out of scope, like a missing one.
    assert client.get("/api/v1/events", {"unit": "P-B"}).status_code == 404


@pytest.fixture
def parts_given(tree):  # type: ignore[no-untyped-def]
    """Commune A1 stays open and gives a part to commune B1 and its cell to a new commune."""
    new = {"code": "P-A-3", "name": "Đảng bộ xã Tân Lập", "kind": "commune_committee", "parent": "P-A"}
    payload = {
        "unit": "P-A-1",
        "keeps_open": True,
        "successors": [{"new": new}, {"unit": "P-B-1", "weight": "0.2"}],
        "children": {"P-A-1-C1": "P-A-3"},
    }
    event_apply(by=None, kind="split", effective_on=ARRANGED_ON, payload=payload)
    return tree


def test_a_split_that_keeps_its_unit_open_is_among_every_named_units_events(parts_given):
    (event,) = selectors.unit_events(parts_given.commune_a1)
    for code in ("P-B-1", "P-A-3", "P-A-1-C1"):  # a receiver, the new unit, the child moved
        unit = selectors.unit_by_code(code)
        assert unit is not None and list(selectors.unit_events(unit)) == [event], code
    untouched = selectors.unit_by_code("P-K-1")
    assert untouched is not None and list(selectors.unit_events(untouched)) == []


def test_a_receiving_units_officer_reads_only_the_parts_naming_their_units(client_for, parts_given):
    officer = make_user(role="officer", unit=parts_given.district_b, username="officer_district_b")
    client = client_for(officer)
    body = client.get("/api/v1/events", {"unit": "P-B-1"}).json()
    assert body["count"] == 1
    payload = body["items"][0]["payload"]
    assert payload["successors"] == [{"unit": "P-B-1", "weight": "0.2"}]
    assert payload["children"] == {}  # the cell went to another receiver
    assert "P-A-3" not in str(body) and "P-A-1-C1" not in str(body)
