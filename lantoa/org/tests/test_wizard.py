"""The restructuring wizard through the HTML views: preview changes nothing, apply does."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from lantoa.core.models import AuditEntry
from lantoa.org import selectors
from lantoa.org.models import RestructuringEvent, Succession, Unit, UnitClosure

pytestmark = pytest.mark.django_db

DAY = "2025-07-01"


def vi(message: str, **values: str) -> str:
    """``message`` as a Vietnamese user reads it (the test users work in Vietnamese)."""
    with translation.override("vi"):
        text = translation.gettext(message)
    return text % values if values else text


def _url(code: str) -> str:
    return reverse("org:restructure", args=[code])


def _merge(**extra: str) -> dict[str, str]:
    return {
        "kind": "merge",
        "effective_on": DAY,
        "decided_on": "2025-06-16",
        "legal_basis": "Nghị quyết 1673/NQ-UBTVQH15",
        "p-predecessor_1": "P-A-1",
        "p-predecessor_2": "P-B-1",
        "p-into_or_new": "new",
        "p-new_code": "P-N",
        "p-new_name": "Đảng bộ xã Hợp Nhất",
        "p-new_kind": "commune_committee",
        "p-new_parent": "P-A",
        "action": "preview",
        **extra,
    }


def _split(**extra: str) -> dict[str, str]:
    return {
        "kind": "split",
        "effective_on": DAY,
        "p-unit": "P-A-1",
        "p-default": "2",
        "p-s1_code": "P-A-2",
        "p-s1_name": "Đảng bộ xã Hai",
        "p-s1_kind": "commune_committee",
        "p-s1_parent": "P-A",
        "p-s1_weight": "0.4",
        "p-s2_code": "P-A-3",
        "p-s2_name": "Đảng bộ xã Ba",
        "p-s2_kind": "commune_committee",
        "p-s2_parent": "P-A",
        "p-s2_weight": "0.6",
        "p-s3_kind": "commune_committee",
        "p-s4_kind": "commune_committee",
        "action": "preview",
        **extra,
    }


def _state() -> tuple[int, int, int, int, int]:
    return (
        Unit.objects.count(),
        Unit.objects.filter(closed_on__isnull=False).count(),
        RestructuringEvent.objects.count(),
        UnitClosure.objects.count(),
        AuditEntry.objects.count(),
    )


def _previewed(html: str) -> str:
    match = re.search(r'name="previewed" value="([0-9a-f]+)"', html)
    assert match, "the preview offers no Apply"
    return match.group(1)


def test_step_one_offers_every_kind_and_step_two_the_kinds_form(client_for, admin_user, tree):
    client = client_for(admin_user)

    step1 = client.get(_url(tree.commune_a1.code)).content.decode()
    assert 'data-testid="restructure-step1"' in step1
    for kind in ("merge", "split", "move", "rename", "close", "abolish_tier", "change_kind", "change_area"):
        assert f'value="{kind}"' in step1
    assert 'value="create"' not in step1

    step2 = client.get(_url(tree.commune_a1.code), {"kind": "merge", "effective_on": DAY}).content.decode()
    assert 'data-testid="restructure-form"' in step2
    assert 'name="p-predecessor_1"' in step2 and f'value="{tree.commune_a1.code}"' in step2
    assert 'list="unit-code-options"' in step2
    assert 'for="id_p-new_code"' in step2  # every control has its label


def test_merge_preview_changes_nothing_and_apply_changes_the_tree(client_for, admin_user, tree):
    client = client_for(admin_user)
    before = _state()

    preview = client.post(_url(tree.commune_a1.code), _merge())

    assert preview.status_code == 200
    html = preview.content.decode()
    report = html[html.index('data-testid="event-report"') :]
    assert "P-N" in report and "Đảng bộ xã Hợp Nhất" in report
    assert tree.commune_a1.name in report and tree.commune_b1.name in report  # closed, with names
    assert tree.cell_a1.code in report  # the cell moves with its commune
    assert 'value="Nghị quyết 1673/NQ-UBTVQH15"' in html  # the form keeps its state
    assert 'value="P-B-1"' in html
    assert _state() == before

    applied = client.post(_url(tree.commune_a1.code), _merge(action="apply", previewed=_previewed(html)))

    assert applied.status_code == 302
    assert applied["Location"] == reverse("org:unit_detail", args=[tree.commune_a1.code])
    assert sorted(Unit.objects.filter(closed_on__isnull=False).values_list("code", flat=True)) == ["P-A-1", "P-B-1"]
    new = Unit.objects.get(code="P-N")
    assert selectors.unit_parent(tree.cell_a1).code == "P-N"
    event = RestructuringEvent.objects.get()
    assert event.legal_basis == "Nghị quyết 1673/NQ-UBTVQH15" and event.created_by == admin_user
    assert set(Succession.objects.filter(successor=new).values_list("predecessor__code", flat=True)) == {
        "P-A-1",
        "P-B-1",
    }
    page = client.get(applied["Location"])
    assert "P-N" in page.content.decode()  # the flash message names the new unit


def test_unit_page_shows_predecessors_and_events_after_a_merge(client_for, admin_user, tree):
    client = client_for(admin_user)
    html = client.post(_url(tree.commune_a1.code), _merge()).content.decode()
    client.post(_url(tree.commune_a1.code), _merge(action="apply", previewed=_previewed(html)))

    page = client.get(reverse("org:unit_detail", args=["P-N"])).content.decode()

    predecessors = page[page.index('data-testid="unit-predecessors"') :]
    predecessors = predecessors[: predecessors.index("</table>")]
    assert tree.commune_a1.name in predecessors and tree.commune_b1.name in predecessors
    assert reverse("org:unit_detail", args=[tree.commune_a1.code]) in predecessors
    events = page[page.index('data-testid="unit-events"') :]
    assert "Nghị quyết 1673/NQ-UBTVQH15" in events[: events.index("</table>")]

    closed = client.get(reverse("org:unit_detail", args=[tree.commune_a1.code])).content.decode()
    successors = closed[closed.index('data-testid="unit-successors"') :]
    assert "Đảng bộ xã Hợp Nhất" in successors[: successors.index("</table>")]
    assert 'data-testid="restructure-link"' not in closed  # a closed unit is not restructured again


def test_split_through_the_wizard_with_weights_and_default(client_for, admin_user, tree):
    client = client_for(admin_user)
    before = _state()

    preview = client.post(_url(tree.commune_a1.code), _split())

    html = preview.content.decode()
    assert preview.status_code == 200, html
    successions = html[html.index('data-testid="report-successions"') :]
    successions = successions[: successions.index("</table>")]
    assert "0,4" in successions and "0,6" in successions  # Vietnamese decimal comma
    assert _state() == before

    applied = client.post(_url(tree.commune_a1.code), _split(action="apply", previewed=_previewed(html)))

    assert applied.status_code == 302
    links = {s.successor.code: (str(s.weight.normalize()), s.is_default) for s in Succession.objects.all()}
    assert links == {"P-A-2": ("0.4", False), "P-A-3": ("0.6", True)}
    assert selectors.unit_parent(tree.cell_a1).code == "P-A-3"  # children go to the default successor


def test_apply_without_a_matching_preview_only_previews(client_for, admin_user, tree):
    client = client_for(admin_user)
    html = client.post(_url(tree.commune_a1.code), _merge()).content.decode()
    before = _state()

    changed = client.post(
        _url(tree.commune_a1.code), _merge(action="apply", previewed=_previewed(html), **{"p-new_code": "P-X"})
    )

    assert changed.status_code == 200
    assert vi("The form changed since the preview. Check this preview, then apply.") in changed.content.decode()
    assert _state() == before


def test_a_get_never_changes_anything(client_for, admin_user, tree):
    client = client_for(admin_user)
    html = client.post(_url(tree.commune_a1.code), _merge()).content.decode()
    before = _state()

    response = client.get(_url(tree.commune_a1.code), _merge(action="apply", previewed=_previewed(html)))

    assert response.status_code == 200
    assert _state() == before


def test_service_errors_are_shown_next_to_the_field(client_for, admin_user, tree):
    client = client_for(admin_user)

    unknown = client.post(_url(tree.commune_a1.code), _merge(**{"p-predecessor_2": "NO-SUCH"}))
    assert unknown.status_code == 422
    html = unknown.content.decode()
    field = html[html.index('name="p-predecessor_2"') :]
    assert vi("No unit with code %(code)s.", code="NO-SUCH") in field[: field.index("</div>") + 200]

    taken = client.post(_url(tree.commune_a1.code), _merge(**{"p-new_code": "P-B"}))
    assert taken.status_code == 422
    html = taken.content.decode()
    message = vi(
        "The code %(code)s is already used by another unit, now or in the past; codes are never reused.", code="P-B"
    )
    assert message in html[html.index('name="p-new_code"') :]

    weights = client.post(_url(tree.commune_a1.code), _split(**{"p-s2_weight": "0.5"}))
    assert weights.status_code == 422
    message = vi("Split weights must add up to exactly 1 (they add up to %(total)s).", total="0.9")
    assert message in weights.content.decode()
    assert RestructuringEvent.objects.count() == 0


def test_form_errors_keep_the_values(client_for, admin_user, tree):
    response = client_for(admin_user).post(_url(tree.commune_a1.code), _merge(**{"p-new_name": ""}))

    assert response.status_code == 422
    html = response.content.decode()
    assert 'aria-invalid="true"' in html[html.index('name="p-new_name"') - 300 :]
    assert 'value="P-B-1"' in html


def test_a_commune_officer_cannot_open_the_wizard(client_for, officer_a, tree):
    client = client_for(officer_a)

    other = client.get(_url(tree.commune_b1.code))
    assert other.status_code == 404
    assert 'data-testid="error-page"' in other.content.decode()
    assert tree.commune_b1.name not in other.content.decode()

    own = client.get(_url(tree.commune_a1.code))
    assert own.status_code == 403  # a unit the officer sees, but may not restructure
    posted = client.post(_url(tree.commune_a1.code), _merge())
    assert posted.status_code == 403
    assert RestructuringEvent.objects.count() == 0

    page = client.get(reverse("org:unit_detail", args=[tree.commune_a1.code])).content.decode()
    assert 'data-testid="restructure-link"' not in page


def test_a_manager_cannot_merge_a_unit_outside_the_scope(client_for, tree):
    from lantoa.accounts.tests.factories import make_user

    manager = make_user(role="manager", unit=tree.district_a)
    client = client_for(manager)
    assert (
        'data-testid="restructure-link"'
        in client.get(reverse("org:unit_detail", args=[tree.commune_a1.code])).content.decode()
    )

    response = client.post(_url(tree.commune_a1.code), _merge())

    assert response.status_code == 422
    html = response.content.decode()
    assert vi("No unit with code %(code)s.", code="P-B-1") in html  # outside the scope reads like "does not exist"
    assert tree.commune_b1.name not in html
    assert RestructuringEvent.objects.count() == 0


def test_unit_code_options_come_from_the_managed_scope(client_for, tree):
    from lantoa.accounts.tests.factories import make_user

    manager = make_user(role="manager", unit=tree.district_a)
    client = client_for(manager)

    html = client.get(reverse("org:unit_options"), {"p-predecessor_2": "quang"}, headers={"HX-Request": "true"})
    assert f'value="{tree.commune_a1.code}"' in html.content.decode()
    other = client.get(reverse("org:unit_options"), {"p-into": "luong"}).content.decode()
    assert tree.commune_b1.code not in other


def test_the_wizard_can_end_assignments_instead_of_moving_them(client_for, admin_user, tree):
    from lantoa.accounts.models import Assignment
    from lantoa.accounts.tests.factories import make_user

    officer = make_user(role="officer", unit=tree.commune_b1)
    client = client_for(admin_user)
    preview = client.post(_url(tree.commune_a1.code), _merge(**{"p-assignments": "end"}))
    html = preview.content.decode()
    applied = client.post(
        _url(tree.commune_a1.code), _merge(**{"p-assignments": "end"}, action="apply", previewed=_previewed(html))
    )
    assert applied.status_code == 302
    assert list(Assignment.objects.filter(user=officer).values_list("unit__code", flat=True)) == ["P-B-1"]


def test_the_preview_shows_figures_that_will_count_at_the_successor(client_for, admin_user, tree):
    import datetime as dt

    from lantoa.core.services import data_value_record, period_ensure

    period = period_ensure(kind="year", start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31))
    data_value_record(by=None, indicator="population", unit=tree.commune_b1, period=period, value=500)
    html = client_for(admin_user).post(_url(tree.commune_a1.code), _merge()).content.decode()
    figures = html[html.index('data-testid="report-figures"') :]
    assert "reported:population" in figures and "P-B-1" in figures


def _give_part(**extra: str) -> dict[str, str]:
    """A split that leaves P-A-1 open, giving a part of it to a new commune."""
    data = _split(**{"p-keeps_open": "on", "p-s1_weight": ""})
    for key in ("code", "name", "parent", "weight"):
        data.pop(f"p-s2_{key}")
    return {**data, **extra}


def test_a_unit_that_stays_open_gives_a_part_through_the_wizard(client_for, admin_user, tree):
    client = client_for(admin_user)
    before = _state()

    preview = client.post(_url(tree.commune_a1.code), _give_part())

    html = preview.content.decode()
    assert preview.status_code == 200, html
    assert 'name="p-keeps_open"' in html and "checked" in html[html.index('name="p-keeps_open"') - 200 :][:400]
    parts = html[html.index('data-testid="report-parts"') :]
    parts = parts[: parts.index("</ul>")]
    assert tree.commune_a1.name in parts and "P-A-1" in parts
    assert "Đảng bộ xã Hai" in parts and "P-A-2" in parts  # the new unit, named from the request
    assert vi("Parts given (the unit stays open and keeps its records)") in html
    assert 'data-testid="report-successions"' not in html
    assert _state() == before

    applied = client.post(_url(tree.commune_a1.code), _give_part(action="apply", previewed=_previewed(html)))

    assert applied.status_code == 302
    assert Unit.objects.get(code="P-A-1").closed_on is None
    assert selectors.unit_parent(Unit.objects.get(code="P-A-2")).code == "P-A"
    assert not Succession.objects.exists()  # the open unit keeps its records
    assert selectors.unit_parent(tree.cell_a1).code == "P-A-1"  # its children stay unless moved
    event = RestructuringEvent.objects.get()
    assert event.payload["keeps_open"] is True and "pointers" not in event.payload
    assert event.payload["successors"] == [
        {"new": {"code": "P-A-2", "name": "Đảng bộ xã Hai", "kind": "commune_committee", "parent": "P-A"}}
    ]


def test_parts_given_to_an_existing_unit_keep_their_optional_weight(client_for, admin_user, tree):
    client = client_for(admin_user)
    data = _give_part(**{"p-s1_unit": "P-B-1", "p-s1_weight": "0.25", "p-default": "3"})
    for key in ("code", "name"):
        data.pop(f"p-s1_{key}")

    html = client.post(_url(tree.commune_a1.code), data).content.decode()
    applied = client.post(_url(tree.commune_a1.code), {**data, "action": "apply", "previewed": _previewed(html)})

    assert applied.status_code == 302
    event = RestructuringEvent.objects.get()
    assert event.payload["successors"] == [{"unit": "P-B-1", "weight": "0.25"}]
    assert not Succession.objects.exists() and Unit.objects.filter(closed_on__isnull=False).count() == 0
    page = client.get(applied["Location"]).content.decode()
    assert vi("parts given to %(codes)s", codes="P-B-1") in page


@pytest.mark.parametrize(("first", "second"), [("0.6", "0.4"), ("1", "0.2")])
def test_parts_adding_up_to_the_whole_unit_are_refused_before_anything_is_written(
    client_for, admin_user, tree, first, second
):
    client = client_for(admin_user)
    before = _state()

    response = client.post(
        _url(tree.commune_a1.code), _give_part(**{"p-s1_weight": first, "p-s2_unit": "P-B-1", "p-s2_weight": second})
    )

    assert response.status_code == 422
    html = response.content.decode()
    total = str((Decimal(first) + Decimal(second)).normalize())
    message = vi(
        "The unit stays open: the parts it gives add up to less than 1 (they add up to %(total)s).", total=total
    )
    assert message in html[html.index('name="p-keeps_open"') :]
    assert 'data-testid="event-report"' not in html
    assert _state() == before


def test_a_unit_that_stays_open_needs_a_unit_to_receive_a_part(client_for, admin_user, tree):
    data = _give_part()
    for key in ("code", "name"):
        data.pop(f"p-s1_{key}")

    response = client_for(admin_user).post(_url(tree.commune_a1.code), data)

    assert response.status_code == 422
    assert vi("Say which units receive a part.") in response.content.decode()
    assert RestructuringEvent.objects.count() == 0


def test_a_closing_split_still_needs_two_successors_and_their_weights(client_for, admin_user, tree):
    client = client_for(admin_user)
    data = _give_part()
    data.pop("p-keeps_open")

    response = client.post(_url(tree.commune_a1.code), data)

    assert response.status_code == 422
    html = response.content.decode()
    assert vi("A split needs at least two successors.") in html
    assert vi("Give this successor's weight.") in html
    assert vi("The default successor must be one of those filled in.") in html
    assert RestructuringEvent.objects.count() == 0


def test_the_services_word_on_the_receivers_is_shown_beside_the_box(client_for, admin_user, tree):
    data = _give_part(**{"p-s1_unit": "P-A-1"})
    for key in ("code", "name"):
        data.pop(f"p-s1_{key}")

    response = client_for(admin_user).post(_url(tree.commune_a1.code), data)

    assert response.status_code == 422
    html = response.content.decode()
    box = html[html.index('name="p-keeps_open"') :]
    assert vi("Each unit receiving a part is another, distinct unit.") in box[: box.index("</div>") + 300]
    assert RestructuringEvent.objects.count() == 0


def test_the_default_successors_choices_speak_the_readers_language():
    from django.utils import translation

    from lantoa.org.forms import SplitForm

    for language, label in (("en", "Successor 1"), ("vi", "Đơn vị kế thừa 1")):
        with translation.override(language):
            assert dict(SplitForm.base_fields["default"].choices)["1"] == label
