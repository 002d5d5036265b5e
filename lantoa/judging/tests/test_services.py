"""Competitions through the services: versions, conflicts of interest, assignment, scoring,
locking and reopening, results and advancing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from lantoa.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lantoa.core.models import AuditEntry
from lantoa.judging import services
from lantoa.judging.models import EntryStage, Score, ScoreSheet, SheetReopening
from lantoa.judging.selectors import progress_board, stage_conflicts
from lantoa.judging.tests.factories import CRITERIA, make_competition, make_entry, make_juror, make_rubric, make_stage
from lantoa.org.services import unit_move
from lantoa.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


def score_all(sheet, values):
    criteria = list(sheet.stage.rubric_version.criteria.order_by("position"))
    for criterion, value in zip(criteria, values, strict=True):
        services.score_save(by=sheet.juror.user, sheet=sheet, criterion_id=criterion.pk, value=value)
    return services.sheet_submit(by=sheet.juror.user, sheet=sheet)


def test_revising_a_rubric_writes_a_version_and_the_stage_keeps_its_own(tree):
    rubric = make_rubric(tree.province)
    stage = make_stage(make_competition(tree.province), rubric)
    first = stage.rubric_version
    version = services.rubric_revise(
        by=None,
        rubric=rubric,
        criteria=[*CRITERIA, services.CriterionData(name="Thời gian", weight="10", max_score="5")],
    )
    rubric.refresh_from_db()
    stage.refresh_from_db()
    assert (first.number, version.number, rubric.current_id) == (1, 2, version.pk)
    assert stage.rubric_version_id == first.pk and first.criteria.count() == 3 and version.criteria.count() == 4
    assert AuditEntry.objects.filter(action="lantoa.judging.rubric.revised").count() == 1


def test_bad_criteria_are_refused_with_the_field_named(tree):
    with pytest.raises(ValidationFailed) as refused:
        make_rubric(tree.province, [services.CriterionData(name="A", weight="0", max_score="10")])
    assert refused.value.extra["field"] == "criteria.0.weight"
    with pytest.raises(ValidationFailed) as refused:
        make_rubric(tree.province, [services.CriterionData(name="A", weight="10", max_score="nan")])
    assert refused.value.extra["field"] == "criteria.0.max_score"


def test_a_juror_may_not_score_an_entry_of_their_unit_or_of_a_unit_above_it(tree):
    stage = make_stage(make_competition(tree.province), make_rubric(tree.province))
    from_commune = make_juror(stage, tree.commune_a1)
    from_province = make_juror(stage, tree.province)
    district_entry = make_entry(stage.competition, tree.district_a)
    commune_entry = make_entry(stage.competition, tree.commune_a1)
    other_entry = make_entry(stage.competition, tree.commune_b1)
    conflicts = stage_conflicts(stage)
    assert conflicts[district_entry.pk] == {from_commune.pk}
    assert conflicts[commune_entry.pk] == {from_commune.pk}
    assert other_entry.pk not in conflicts
    # The provincial juror's unit lies above the entries, not within them: no conflict.
    assert all(from_province.pk not in found for found in conflicts.values())


def test_conflicts_follow_the_tree_of_the_stages_date(tree):
    # Commune B1 moves under district A on 1 January 2022.
    unit_move(by=None, unit=tree.commune_b1, new_parent=tree.district_a, on=dt.date(2022, 1, 1))
    rubric = make_rubric(tree.province)
    before = make_stage(make_competition(tree.province, starts_on=dt.date(2021, 6, 1)), rubric)
    after = make_stage(make_competition(tree.province, starts_on=dt.date(2022, 6, 1)), rubric)
    for stage in (before, after):
        make_juror(stage, tree.commune_b1)
        make_entry(stage.competition, tree.district_a)
    assert stage_conflicts(before) == {}
    assert len(stage_conflicts(after)) == 1


def test_declared_conflicts_and_ones_own_entry_count(tree):
    stage = make_stage(make_competition(tree.province), make_rubric(tree.province))
    juror = make_juror(stage, tree.province)
    entry = make_entry(stage.competition, tree.commune_b1)
    assert stage_conflicts(stage) == {}
    created = services.conflict_declare(
        by=None, person=juror.person, entry=entry, declared_by="entrant", reason="Họ hàng"
    )
    again = services.conflict_declare(by=None, person=juror.person, entry=entry, declared_by="juror")
    assert created.created and not again.created
    assert stage_conflicts(stage) == {entry.pk: {juror.pk}}
    own = make_entry(stage.competition, tree.province, person=juror.person)
    assert stage_conflicts(stage)[own.pk] == {juror.pk}


def test_assignment_is_balanced_avoids_conflicts_and_is_idempotent(tree):
    stage = make_stage(make_competition(tree.province), make_rubric(tree.province), jurors_per_entry=2)
    jurors = [make_juror(stage, unit) for unit in (tree.commune_a1, tree.province, tree.bloc, tree.commune_b1)]
    entries = [make_entry(stage.competition, unit) for unit in [tree.district_a, tree.commune_b1, tree.agency_cell] * 3]
    result = services.stage_assign(by=None, stage=stage)
    assert result.created == 18
    assert max(result.loads.values()) - min(result.loads.values()) <= 1
    conflicts = stage_conflicts(stage)
    for sheet in ScoreSheet.objects.filter(stage=stage):
        assert sheet.juror_id not in conflicts.get(sheet.entry_id, set())
    assert all(ScoreSheet.objects.filter(entry=entry).count() == 2 for entry in entries)
    assert services.stage_assign(by=None, stage=stage).created == 0
    assert {j.pk for j in jurors} == set(result.loads)


def test_assignment_refuses_when_too_few_jurors_are_free(tree):
    stage = make_stage(make_competition(tree.province), make_rubric(tree.province), jurors_per_entry=2)
    make_juror(stage, tree.commune_a1)
    make_juror(stage, tree.province)
    make_entry(stage.competition, tree.district_a)
    with pytest.raises(Conflict) as refused:
        services.stage_assign(by=None, stage=stage)
    assert refused.value.code == "assignment_impossible"
    assert not ScoreSheet.objects.exists()


def test_scores_are_saved_as_you_go_and_bounded_by_the_maximum(tree):
    stage = make_stage(make_competition(tree.province), make_rubric(tree.province), jurors_per_entry=1)
    juror = make_juror(stage, tree.province)
    make_entry(stage.competition, tree.commune_a1)
    services.stage_assign(by=None, stage=stage)
    sheet = ScoreSheet.objects.get()
    criterion = stage.rubric_version.criteria.order_by("position").first()
    assert services.score_save(by=juror.user, sheet=sheet, criterion_id=criterion.pk, value="7.5").created
    assert not services.score_save(by=juror.user, sheet=sheet, criterion_id=criterion.pk, value=8).created
    with pytest.raises(ValidationFailed) as refused:
        services.score_save(by=juror.user, sheet=sheet, criterion_id=criterion.pk, value="10.5")
    assert refused.value.extra["max"] == "10.00"
    assert Score.objects.get().value == Decimal("8.00")
    other = make_juror(stage, tree.bloc)
    with pytest.raises(NotFound):
        services.score_save(by=other.user, sheet=sheet, criterion_id=criterion.pk, value=1)


def test_submit_locks_and_only_the_chair_reopens_with_a_reason(tree):
    stage = make_stage(make_competition(tree.province), make_rubric(tree.province), jurors_per_entry=1)
    chair = make_juror(stage, tree.province, role="chair")
    make_entry(stage.competition, tree.commune_a1)
    services.stage_assign(by=None, stage=stage)
    sheet = ScoreSheet.objects.get()
    criterion = stage.rubric_version.criteria.order_by("position").first()
    services.score_save(by=chair.user, sheet=sheet, criterion_id=criterion.pk, value=9)
    with pytest.raises(ValidationFailed) as refused:
        services.sheet_submit(by=chair.user, sheet=sheet)
    assert refused.value.code == "sheet_incomplete"
    sheet = score_all(sheet, ["8", "6", "10"])
    assert sheet.is_locked and sheet.total == Decimal("80.000")  # 40×.8 + 30×.6 + 30×1
    with pytest.raises(Conflict):
        services.score_save(by=chair.user, sheet=sheet, criterion_id=criterion.pk, value=1)
    member = make_juror(stage, tree.bloc)
    with pytest.raises(PermissionDenied):
        services.sheet_reopen(by=member.user, sheet=sheet, reason="Nhầm điểm")
    with pytest.raises(ValidationFailed):
        services.sheet_reopen(by=chair.user, sheet=sheet, reason="  ")
    services.sheet_reopen(by=chair.user, sheet=sheet, reason="Giám khảo nhập nhầm điểm tiêu chí 2")
    sheet.refresh_from_db()
    assert not sheet.is_locked and sheet.total is None
    assert SheetReopening.objects.get().reason == "Giám khảo nhập nhầm điểm tiêu chí 2"
    entry = AuditEntry.objects.get(action="lantoa.judging.sheet.reopened")
    assert entry.actor == chair.user and entry.changed_fields == ["status"]


def test_two_scores_too_far_apart_call_an_extra_juror_once(tree):
    stage = make_stage(
        make_competition(tree.province), make_rubric(tree.province), jurors_per_entry=2, disagreement_margin="15"
    )
    for unit in (tree.province, tree.bloc, tree.commune_b1):
        make_juror(stage, unit)
    make_entry(stage.competition, tree.commune_a1)
    services.stage_assign(by=None, stage=stage)
    first, second = ScoreSheet.objects.order_by("pk")
    score_all(first, ["10", "10", "10"])  # 100
    score_all(second, ["8", "8", "8"])  # 80: 20 apart, more than 15
    extra = ScoreSheet.objects.get(is_extra=True)
    assert extra.juror_id not in {first.juror_id, second.juror_id}
    score_all(extra, ["5", "5", "5"])
    assert ScoreSheet.objects.count() == 3


def test_results_rank_with_the_audience_and_the_top_advance(tree):
    rubric = make_rubric(tree.province)
    competition = make_competition(tree.province, kind="staged")
    stage = make_stage(
        competition, rubric, jurors_per_entry=2, audience_weight="0.2", advancement="top_n", advance_count=1
    )
    final = make_stage(competition, rubric, starts_on=competition.starts_on + dt.timedelta(days=20))
    make_juror(stage, tree.province)
    make_juror(stage, tree.bloc)
    first = make_entry(competition, tree.commune_a1)
    second = make_entry(competition, tree.commune_b1)
    services.stage_assign(by=None, stage=stage)
    for sheet in ScoreSheet.objects.filter(entry=first):
        score_all(sheet, ["8", "8", "8"])  # 80
    for sheet in ScoreSheet.objects.filter(entry=second):
        score_all(sheet, ["7", "7", "7"])  # 70
    with pytest.raises(Conflict):
        services.stage_advance(by=None, stage=stage)
    rows = {row.entry_id: row for row in EntryStage.objects.filter(stage=stage)}
    services.audience_votes_record(by=None, row=rows[first.pk], votes=50)
    services.audience_votes_record(by=None, row=rows[second.pk], votes=200)
    with pytest.raises(ValidationFailed):
        services.audience_votes_record(by=None, row=rows[second.pk], votes=-1)
    assert services.stage_results_compute(by=None, stage=stage) == 2
    rows = {row.entry_id: row for row in EntryStage.objects.filter(stage=stage)}
    # 0.8 × 80 + 0.2 × 25 = 69; 0.8 × 70 + 0.2 × 100 = 76: the audience turns the order round.
    assert (rows[second.pk].score, rows[second.pk].rank) == (Decimal("76.000"), 1)
    assert (rows[first.pk].score, rows[first.pk].rank) == (Decimal("69.000"), 2)
    advanced = services.stage_advance(by=None, stage=stage)
    assert advanced.created and [row.entry_id for row in advanced.obj] == [second.pk]
    assert not services.stage_advance(by=None, stage=stage).created
    history = EntryStage.objects.filter(entry=second).order_by("stage__number")
    assert [(row.stage_id, row.advanced) for row in history] == [(stage.pk, True), (final.pk, False)]


def test_a_person_enters_a_competition_once(tree):
    competition = make_competition(tree.province)
    make_stage(competition, make_rubric(tree.province))
    reporter = make_person(home_unit=tree.commune_a1)
    first = services.entry_create(
        by=None, competition=competition, data=services.EntryData(unit=tree.commune_a1, person=reporter, title="Bài 1")
    )
    again = services.entry_create(
        by=None, competition=competition, data=services.EntryData(unit=tree.commune_a1, person=reporter, title="Bài 2")
    )
    assert first.created and not again.created and again.obj == first.obj
    with pytest.raises(ValidationFailed) as refused:
        services.entry_create(
            by=None,
            competition=competition,
            data=services.EntryData(unit=tree.commune_a1, title="X", members="A", materials=["javascript:alert(1)"]),
        )
    assert refused.value.extra["field"] == "materials.0"


@pytest.mark.parametrize("entries", [3, 30])
def test_the_progress_board_costs_the_same_for_3_or_30_entries(tree, entries, django_assert_num_queries):
    stage = make_stage(make_competition(tree.province), make_rubric(tree.province), jurors_per_entry=2)
    for unit in (tree.province, tree.bloc, tree.commune_b1):
        make_juror(stage, unit)
    for number in range(entries):
        make_entry(stage.competition, [tree.commune_a1, tree.agency_cell][number % 2])
    services.stage_assign(by=None, stage=stage)
    with django_assert_num_queries(2):
        board = progress_board(stage)
        missing = sum(len(row.missing) for row in board)
    assert missing == entries * 2 and sum(row.assigned for row in board) == entries * 2
