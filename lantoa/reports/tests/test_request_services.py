"""Data sets and requests through their services: assignment, filing with computed figures and
rules, approval locking, versioned corrections, lateness and reminders, and a merge mid-request."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from lantoa.accounts.tests.factories import make_user
from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.core.models import AuditEntry, DataValue
from lantoa.meetings.tests.factories import make_conference
from lantoa.org.models import Unit
from lantoa.org.restructuring import event_apply
from lantoa.reports.models import AssignmentStatus, DataReminder, DataRequestAssignment, DataSubmission
from lantoa.reports.request_selectors import State, assignments_to_file, request_totals, request_tracking
from lantoa.reports.request_services import (
    FieldSpec,
    RuleSpec,
    computed_figures,
    data_set_create,
    request_close,
    request_remind_late,
    submission_approve,
    submission_file,
)
from lantoa.reports.rules import RuleSyntaxError, parse_rule
from lantoa.reports.tests.requests_helpers import AFTER_DEADLINE, BEFORE_DEADLINE, make_data_set, make_request

pytestmark = pytest.mark.django_db


def _assignment(request, unit) -> DataRequestAssignment:  # type: ignore[no-untyped-def]
    return request.assignments.exclude(status="merged").get(unit=unit)


# --- Rules ------------------------------------------------------------------------------------------


def test_a_rule_is_parsed_not_evaluated():
    rule = parse_rule("online_points <= conferences * (sites + 1) - 2")
    assert rule.fields() == {"online_points", "conferences", "sites"}
    assert rule.holds({"online_points": 10, "conferences": 2, "sites": 5}) is True
    assert rule.holds({"online_points": 11, "conferences": 2, "sites": 5}) is False
    assert rule.holds({"online_points": 11, "conferences": None, "sites": 5}) is None
    for bad in ["__import__('os')", "a <= ", "a b", "a <= (b", "a + b", "a <= b; c", "a <= 1e9"]:
        with pytest.raises(RuleSyntaxError):
            parse_rule(bad)


def test_a_data_set_refuses_a_rule_on_unknown_fields_and_an_indicator_that_is_not_computed(tree):
    fields = [FieldSpec(code="sites", label="Điểm cầu", kind="integer")]
    with pytest.raises(ValidationFailed) as caught:
        data_set_create(
            by=None,
            unit=tree.province,
            code="x",
            name="X",
            fields=fields,
            rules=[RuleSpec("sites <= people", "block", "!")],
        )
    assert caught.value.extra["field"] == "rules.1"
    with pytest.raises(ValidationFailed):
        data_set_create(
            by=None,
            unit=tree.province,
            code="x",
            name="X",
            fields=[FieldSpec(code="c", label="C", kind="indicator", indicator="no_such_indicator")],
        )


def test_defining_a_data_set_twice_returns_the_first(tree):
    first = make_data_set(tree.province)
    again, created = data_set_create(
        by=None, unit=tree.province, code="hoi-nghi", name=first.name, fields=[FieldSpec("a", "A", "integer")]
    )
    assert again == first and not created
    with pytest.raises(Conflict):
        data_set_create(
            by=None, unit=tree.district_a, code="hoi-nghi", name="Khác", fields=[FieldSpec("a", "A", "integer")]
        )


# --- Sending and assignment --------------------------------------------------------------------------


def test_a_request_is_assigned_to_every_open_unit_of_the_tier_in_the_subtree(tree):
    request = make_request(tree.province)
    assigned = set(request.assignments.values_list("unit__code", flat=True))
    assert assigned == {tree.commune_a1.code, tree.commune_b1.code}
    district_request = make_request(tree.district_a, data_set=request.data_set)
    assert set(district_request.assignments.values_list("unit__code", flat=True)) == {tree.commune_a1.code}
    assert AuditEntry.objects.filter(action="lantoa.reports.request.sent").count() == 2


def test_a_request_to_a_tier_with_no_unit_below_is_refused(tree):
    with pytest.raises(ValidationFailed) as caught:
        make_request(tree.commune_a1, tier="district")
    assert caught.value.extra["field"] == "tier"


# --- Filing: computed figures and rules --------------------------------------------------------------


def test_computed_figures_are_prefilled_and_cannot_be_overwritten_silently(tree):
    make_conference(tree.commune_a1, sites=[tree.cell_a1], day=dt.date(2021, 6, 1))
    make_conference(tree.commune_a1, day=dt.date(2022, 2, 1))
    make_conference(tree.commune_a1, day=dt.date(2022, 9, 1))  # after the period
    request = make_request(tree.province)
    assignment = _assignment(request, tree.commune_a1)
    version = submission_file(by=None, assignment=assignment, values={"sites": "3", "online_points": "4"})
    assert version.values["conferences"] == 2 and version.computed == {"conferences": 2}
    with pytest.raises(ValidationFailed) as caught:
        submission_file(by=None, assignment=assignment, values={"conferences": 5, "sites": 3, "online_points": 4})
    assert caught.value.extra["problems"][0]["field"] == "conferences"
    explained = submission_file(
        by=None,
        assignment=assignment,
        values={"conferences": 5, "sites": 3, "online_points": 4},
        explanations={"conferences": "Ba hội nghị của chi bộ chưa nhập vào Lantoa."},
    )
    assert explained.values["conferences"] == 5 and explained.computed["conferences"] == 2
    assert explained.explanations == {"conferences": "Ba hội nghị của chi bộ chưa nhập vào Lantoa."}
    assert explained.number == 2


def test_computed_figures_count_the_records_up_to_the_cutoff_only(tree):
    make_conference(tree.commune_a1, day=dt.date(2022, 6, 30))
    make_conference(tree.commune_a1, day=dt.date(2022, 7, 1))  # within the period, after the cut-off
    request = make_request(tree.province, cutoff=dt.date(2022, 6, 30))
    assert request.cutoff == dt.date(2022, 6, 30)
    assignment = _assignment(request, tree.commune_a1)
    version = submission_file(by=None, assignment=assignment, values={"sites": "3", "online_points": "0"})
    assert version.computed == {"conferences": 1}
    whole_period = make_request(tree.province, data_set=request.data_set)
    assert whole_period.cutoff == dt.date(2022, 7, 31)  # the period's end when none is given
    assert computed_figures(_assignment(whole_period, tree.commune_a1), list(request.data_set.fields.all())) == {
        "conferences": 2
    }


@pytest.mark.parametrize(
    "cutoff", [dt.date(2021, 2, 28), dt.date(2022, 8, 1), dt.date(2022, 8, 16)], ids=["before", "after_end", "late"]
)
def test_a_cutoff_outside_the_period_or_after_the_deadline_is_refused(tree, cutoff):
    with pytest.raises(ValidationFailed) as caught:
        make_request(tree.province, cutoff=cutoff)
    assert caught.value.extra["field"] == "cutoff"
    assert not DataRequestAssignment.objects.exists()


def test_a_blocking_rule_stops_the_filing_and_a_warning_is_kept_with_it(tree):
    make_conference(tree.commune_a1, day=dt.date(2022, 2, 1))
    request = make_request(tree.province)
    assignment = _assignment(request, tree.commune_a1)
    with pytest.raises(ValidationFailed) as caught:
        submission_file(by=None, assignment=assignment, values={"sites": 3, "online_points": 4})
    assert caught.value.extra["problems"] == [
        {"field": "rule.1", "message": "Số điểm cầu trực tuyến không thể vượt số hội nghị × số điểm cầu."}
    ]
    assert not DataSubmission.objects.exists()
    version = submission_file(by=None, assignment=assignment, values={"sites": 60, "online_points": 4})
    assert version.warnings == [{"rule": "sites <= 50 * conferences", "message": "Số điểm cầu có vẻ lớn."}]


def test_every_problem_is_listed_and_nothing_is_written(tree):
    request = make_request(tree.province)
    assignment = _assignment(request, tree.commune_a1)
    with pytest.raises(ValidationFailed) as caught:
        submission_file(
            by=None,
            assignment=assignment,
            values={"sites": "ba", "online_points": 100_001, "note": "x" * 201, "extra": 1},
        )
    fields = [problem["field"] for problem in caught.value.extra["problems"]]
    assert fields == ["extra", "sites", "online_points", "note"]
    assert not DataSubmission.objects.exists()
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.PENDING


# --- Approval and corrections ------------------------------------------------------------------------


def test_approval_locks_and_a_correction_is_a_new_version_with_a_reason(tree):
    request = make_request(tree.province)
    assignment = _assignment(request, tree.commune_a1)
    first = submission_file(by=None, assignment=assignment, values={"sites": 0, "online_points": 0})
    approver = make_user(role="officer", unit=tree.district_a)
    version, approved = submission_approve(by=approver, assignment=assignment)
    assert approved and version == first and assignment.status == AssignmentStatus.APPROVED
    assert submission_approve(by=approver, assignment=assignment)[1] is False
    with pytest.raises(Conflict) as caught:
        submission_file(by=None, assignment=assignment, values={"sites": 1, "online_points": 0})
    assert caught.value.code == "approved_locked"
    correction = submission_file(
        by=None, assignment=assignment, values={"sites": 1, "online_points": 0}, reason="Nhập thiếu một điểm cầu."
    )
    assert correction.number == 2 and correction.reason == "Nhập thiếu một điểm cầu."
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.FILED and assignment.current == correction
    first.refresh_from_db()
    assert first.values == {"conferences": 0, "sites": 0, "online_points": 0, "note": None}
    assert first.approved_at is not None  # history kept as it was
    actions = list(
        AuditEntry.objects.filter(action__startswith="lantoa.reports.submission").values_list("action", flat=True)
    )
    assert sorted(actions) == [
        "lantoa.reports.submission.approved",
        "lantoa.reports.submission.corrected",
        "lantoa.reports.submission.filed",
    ]


def test_approving_a_typed_figure_of_a_reported_indicator_files_it_as_the_units_figure(tree):
    from lantoa.core.indicators import get_indicator

    reported = next(
        code for code in ["party_members", "population"] if get_indicator(code) and get_indicator(code).reported
    )
    data_set, _ = data_set_create(
        by=None,
        unit=tree.province,
        code="dang-vien",
        name="Đảng viên",
        fields=[FieldSpec(code="members", label="Số đảng viên", kind="integer", indicator=reported)],
    )
    request = make_request(tree.province, data_set=data_set)
    assignment = _assignment(request, tree.commune_b1)
    submission_file(by=None, assignment=assignment, values={"members": 321})
    assert not DataValue.objects.exists()
    submission_approve(by=None, assignment=assignment)
    figure = DataValue.objects.get()
    assert (figure.indicator, figure.unit, int(figure.value)) == (reported, tree.commune_b1, 321)


def test_nothing_filed_cannot_be_approved(tree):
    request = make_request(tree.province)
    with pytest.raises(Conflict):
        submission_approve(by=None, assignment=_assignment(request, tree.commune_a1))


# --- Lateness and reminders --------------------------------------------------------------------------


def test_lateness_and_reminders(tree, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    officer_b = make_user(role="officer", unit=tree.commune_b1)
    officer_b.email = "xa.luongson@example.org"
    officer_b.save()
    request = make_request(tree.province)
    submission_file(by=None, assignment=_assignment(request, tree.commune_a1), values={"sites": 0, "online_points": 0})
    before = request_tracking(request, today=BEFORE_DEADLINE)
    assert before.counts == {State.FILED: 1, State.NOT_STARTED: 1}
    assert request_remind_late(by=None, request=request, today=BEFORE_DEADLINE).reminded == []
    after = request_tracking(request, today=AFTER_DEADLINE)
    assert after.counts == {State.FILED: 1, State.LATE: 1}
    assert [row.assignment.unit for row in after.late] == [tree.commune_b1]
    with django_capture_on_commit_callbacks(execute=True):
        result = request_remind_late(by=None, request=request, today=AFTER_DEADLINE)
    assert [a.unit for a in result.reminded] == [tree.commune_b1]
    assert result.recipients == 1 and len(mail.outbox) == 1 and mail.outbox[0].to == ["xa.luongson@example.org"]
    assert tree.commune_b1.name in result.message and "15/08/2022" in result.message
    reminder = DataReminder.objects.get()
    assert reminder.assignment.unit == tree.commune_b1 and reminder.reached == 1
    assert reminder.channels == {"email": 1}
    assert AuditEntry.objects.filter(action="lantoa.reports.assignment.reminded").count() == 1
    assert _assignment(request, tree.commune_b1).reminder_count == 1


def test_a_closed_request_takes_no_more_figures_but_keeps_and_approves_what_was_filed(tree):
    request = make_request(tree.province)
    filed_a = _assignment(request, tree.commune_a1)
    version = submission_file(by=None, assignment=filed_a, values={"sites": 0, "online_points": 0})
    pending_b = _assignment(request, tree.commune_b1)
    assert list(assignments_to_file([tree.commune_b1])) == [pending_b]
    closer = make_user(role="officer", unit=tree.province)

    closed, changed = request_close(by=closer, request=request)
    assert changed and closed.closed_at is not None
    again, changed_again = request_close(by=closer, request=request)
    assert not changed_again and again.closed_at == closed.closed_at
    assert AuditEntry.objects.filter(action="lantoa.reports.request.closed").count() == 1

    for assignment, values in (
        (pending_b, {"sites": 1, "online_points": 0}),
        (filed_a, {"sites": 2, "online_points": 0}),
    ):
        with pytest.raises(Conflict) as refused:
            submission_file(by=None, assignment=_assignment(request, assignment.unit), values=values)
        assert refused.value.code == "request_closed"
    with pytest.raises(Conflict) as no_reminder:
        request_remind_late(by=None, request=request, today=AFTER_DEADLINE)
    assert no_reminder.value.code == "request_closed"
    assert DataSubmission.objects.filter(assignment__request=request).count() == 1
    # What was filed stays and may still be approved; nobody is asked to file any more.
    approved, _first = submission_approve(by=None, assignment=_assignment(request, tree.commune_a1))
    assert approved == version and approved.approved_at is not None
    assert list(assignments_to_file([tree.commune_b1])) == []


def test_a_filing_checked_before_the_request_closed_is_refused_when_it_commits(tree):
    """The filing reads the request again under its lock: a close that committed meanwhile wins."""
    request = make_request(tree.province)
    assignment = _assignment(request, tree.commune_a1)  # read while the request was open
    request_close(by=None, request=request.__class__.objects.get(pk=request.pk))
    assert assignment.request.closed_at is None
    with pytest.raises(Conflict) as refused:
        submission_file(by=None, assignment=assignment, values={"sites": 0, "online_points": 0})
    assert refused.value.code == "request_closed"
    assert not DataSubmission.objects.filter(assignment=assignment).exists()


# --- Across a merge ----------------------------------------------------------------------------------


def test_an_assignment_moves_to_the_successor_keeping_what_was_filed(tree):
    request = make_request(tree.province)
    filed = submission_file(
        by=None, assignment=_assignment(request, tree.commune_a1), values={"sites": 0, "online_points": 0}
    )
    event_apply(
        by=None,
        kind="merge",
        effective_on=dt.date(2022, 8, 5),
        payload={
            "predecessors": [tree.commune_a1.code, tree.commune_b1.code],
            "new": {
                "code": "P-A-9",
                "name": "Đảng bộ xã Quang Kim mới",
                "kind": "commune_committee",
                "parent": tree.district_a.code,
            },
        },
    )
    live = list(request.assignments.exclude(status="merged"))
    assert [a.unit.code for a in live] == ["P-A-9"]
    survivor = live[0]
    assert survivor.assigned_unit == tree.commune_a1 and survivor.current == filed
    merged = request.assignments.get(status="merged")
    assert merged.assigned_unit == tree.commune_b1 and merged.merged_into == survivor
    totals = request_totals(request)
    assert totals.assigned == 1 and totals.filed == 1
    assert AuditEntry.objects.filter(action="lantoa.reports.assignment.moved").count() == 2


def test_a_split_moves_the_assignment_to_the_default_successor(tree):
    request = make_request(tree.province)
    event_apply(
        by=None,
        kind="split",
        effective_on=dt.date(2022, 8, 5),
        payload={
            "unit": tree.commune_b1.code,
            "successors": [
                {
                    "new": {"code": "P-B-2", "name": "Xã Hai", "kind": "commune_committee", "parent": "P-B"},
                    "weight": "0.6",
                    "is_default": True,
                },
                {
                    "new": {"code": "P-B-3", "name": "Xã Ba", "kind": "commune_committee", "parent": "P-B"},
                    "weight": "0.4",
                },
            ],
        },
    )
    live = {a.unit.code: a for a in request.assignments.exclude(status="merged").select_related("unit")}
    assert set(live) == {tree.commune_a1.code, "P-B-2", "P-B-3"}
    assert live["P-B-3"].assigned_unit == tree.commune_b1 and live["P-B-3"].status == AssignmentStatus.PENDING
    assert request_totals(request).assigned == 3
    assert AuditEntry.objects.filter(action="lantoa.reports.assignment.split").count() == 1


def test_a_split_keeps_the_approved_history_and_duplicates_no_assignment(tree):
    request = make_request(tree.province)
    b1 = _assignment(request, tree.commune_b1)
    filed = submission_file(by=None, assignment=b1, values={"sites": 0, "online_points": 0})
    submission_approve(by=None, assignment=b1)
    event_apply(
        by=None,
        kind="split",
        effective_on=dt.date(2022, 8, 5),
        payload={
            "unit": tree.commune_b1.code,
            "successors": [
                {
                    "new": {"code": "P-B-2", "name": "Xã Hai", "kind": "commune_committee", "parent": "P-B"},
                    "weight": "0.5",
                    "is_default": True,
                },
                # Part of the commune goes to a commune that already holds the request.
                {"unit": tree.commune_a1.code, "weight": "0.5"},
            ],
        },
    )
    live = list(request.assignments.exclude(status="merged").order_by("unit__code"))
    assert sorted(a.unit.code for a in live) == sorted([tree.commune_a1.code, "P-B-2"])
    moved = request.assignments.get(unit__code="P-B-2")
    assert moved.pk == b1.pk and moved.status == AssignmentStatus.APPROVED and moved.current == filed
    assert list(moved.versions.values_list("number", flat=True)) == [1]
    assert not AuditEntry.objects.filter(action="lantoa.reports.assignment.split").exists()


# --- A part of a commune that stays open ------------------------------------------------------------


def _give_part(commune, *successors):  # type: ignore[no-untyped-def]
    return event_apply(
        by=None,
        kind="split",
        effective_on=dt.date(2022, 8, 5),
        payload={"unit": commune.code, "keeps_open": True, "successors": list(successors)},
    )


def test_a_new_commune_given_part_of_an_open_commune_is_asked_too(tree):
    request = make_request(tree.province)
    a1 = _assignment(request, tree.commune_a1)
    filed = submission_file(by=None, assignment=a1, values={"sites": 0, "online_points": 0})
    report = _give_part(
        tree.commune_a1,
        {"new": {"code": "P-A-2", "name": "Xã Hai", "kind": "commune_committee", "parent": "P-A"}, "weight": "0.3"},
    )
    added = _assignment(request, Unit.objects.get(code="P-A-2"))
    assert added.status == AssignmentStatus.PENDING and added.current is None
    assert added.assigned_unit == tree.commune_a1
    # The commune that stays open keeps its own assignment and what it filed.
    kept = _assignment(request, tree.commune_a1)
    assert kept.pk == a1.pk and kept.status == AssignmentStatus.FILED and kept.current == filed
    assert request_totals(request).assigned == 3
    assert [(p.from_unit, p.to_unit) for p in report.pointers if p.what == "data_request_assignment"] == [
        ("P-A-1", "P-A-2")
    ]
    audit = AuditEntry.objects.get(action="lantoa.reports.assignment.part_received")
    assert audit.unit.code == "P-A-2"
    assert not AuditEntry.objects.filter(
        action__in=["lantoa.reports.assignment.moved", "lantoa.reports.assignment.split"]
    ).exists()


def test_a_neighbour_that_already_holds_the_request_gets_no_second_one(tree):
    request = make_request(tree.province)
    _give_part(tree.commune_a1, {"unit": tree.commune_b1.code})
    assert request.assignments.filter(unit=tree.commune_b1).count() == 1
    assert request_totals(request).assigned == 2
    assert not AuditEntry.objects.filter(action="lantoa.reports.assignment.part_received").exists()


def test_a_unit_of_another_tier_or_a_functional_one_given_a_part_gets_nothing(tree):
    request = make_request(tree.province)
    _give_part(
        tree.commune_a1,
        {"unit": tree.district_b.code},  # the district tier
        {"unit": tree.agency_cell.code},  # the commune tier, but not territorial
        {"new": {"code": "P-A-1-C2", "name": "Chi bộ thôn Mới", "kind": "party_cell", "parent": "P-A-1"}},
    )
    assert sorted(request.assignments.values_list("unit__code", flat=True)) == ["P-A-1", "P-B-1"]
    assert not AuditEntry.objects.filter(action="lantoa.reports.assignment.part_received").exists()


def test_a_preview_of_giving_a_part_lists_the_new_assignment_and_writes_nothing(tree):
    request = make_request(tree.province)
    report = event_apply(
        by=None,
        kind="split",
        effective_on=dt.date(2022, 8, 5),
        dry_run=True,
        payload={
            "unit": tree.commune_a1.code,
            "keeps_open": True,
            "successors": [{"new": {"code": "P-A-2", "name": "Xã Hai", "kind": "commune_committee", "parent": "P-A"}}],
        },
    )
    assert [p.to_unit for p in report.pointers] == ["P-A-2"]
    assert request_totals(request).assigned == 2
    assert not AuditEntry.objects.filter(action="lantoa.reports.assignment.part_received").exists()
