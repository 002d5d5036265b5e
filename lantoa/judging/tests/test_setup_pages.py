"""The pages for what was first API only: revising a rubric as a new version (a stage keeps its
own), a juror declaring a conflict on their sheet, the organiser recording one for an entrant
and seeing them all."""

from __future__ import annotations

import pytest

from lantoa.accounts.tests.factories import make_user
from lantoa.judging import services
from lantoa.judging.models import DeclaredConflict, ScoreSheet
from lantoa.judging.tests.factories import make_competition, make_entry, make_juror, make_rubric, make_stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def stage(tree):
    stage = make_stage(make_competition(tree.province), make_rubric(tree.province), jurors_per_entry=1)
    make_juror(stage, tree.province, role="chair")
    make_juror(stage, tree.bloc)
    make_entry(stage.competition, tree.commune_a1, title="Đội xã Quang Kim")
    make_entry(stage.competition, tree.agency_cell, title="Đội Sở Tư pháp")
    services.stage_assign(by=None, stage=stage)
    return stage


def test_revising_a_rubric_on_its_page_writes_a_version_and_the_stage_keeps_its_own(tree, stage, client_for):
    rubric = stage.rubric_version.rubric
    manager = client_for(make_user(role="manager", unit=tree.province))
    listed = manager.get("/judging/rubrics/").text
    assert rubric.name in listed and 'data-testid="rubric-revise"' in listed
    page = manager.get(f"/judging/rubrics/{rubric.pk}/revise/").text
    assert "Nội dung | Nội dung đúng, đủ | 40 | 10" in page
    bad = manager.post(f"/judging/rubrics/{rubric.pk}/revise/", {"criteria": "Nội dung | 40"})
    assert bad.status_code == 422 and "Dòng 1" in bad.text
    rubric.refresh_from_db()
    assert rubric.current.number == 1
    lines = "Nội dung | Nội dung đúng, đủ | 50 | 10\nTrình bày | Phong cách | 50 | 10"
    assert manager.post(f"/judging/rubrics/{rubric.pk}/revise/", {"criteria": lines}).status_code == 302
    rubric.refresh_from_db()
    stage.refresh_from_db()
    assert rubric.current.number == 2 and stage.rubric_version.number == 1
    viewer = client_for(make_user(role="viewer", unit=tree.province, username="viewer"))
    assert 'data-testid="rubric-revise"' not in viewer.get("/judging/rubrics/").text
    assert viewer.get(f"/judging/rubrics/{rubric.pk}/revise/").status_code == 403


def test_a_juror_declares_a_conflict_on_their_sheet(stage, client_for):
    member = stage.jurors.get(role="member")
    sheet = ScoreSheet.objects.get(juror=member)
    client = client_for(member.user)
    assert 'data-testid="sheet-conflict"' in client.get(f"/judging/sheets/{sheet.pk}/").text
    answer = client.post(f"/judging/sheets/{sheet.pk}/conflict/", {"reason": "Người thân trong đội thi"})
    assert answer.status_code == 302 and answer["Location"] == "/judging/sheets/"
    conflict = DeclaredConflict.objects.get()
    assert (conflict.person, conflict.entry_id, conflict.declared_by) == (member.person, sheet.entry_id, "juror")
    assert not ScoreSheet.objects.filter(pk=sheet.pk).exists()
    other = ScoreSheet.objects.exclude(juror=member).get()
    assert client.post(f"/judging/sheets/{other.pk}/conflict/", {"reason": "x"}).status_code == 404


def test_the_organiser_records_an_entrants_conflict_and_sees_them_all(tree, stage, client_for):
    manager = client_for(make_user(role="manager", unit=tree.province))
    competition = stage.competition
    entry = competition.entries.get(title="Đội Sở Tư pháp")
    member = stage.jurors.get(role="member")
    page = manager.get(f"/judging/{competition.pk}/conflicts/")
    assert page.status_code == 200 and 'data-testid="conflict-form"' in page.text
    bad = manager.post(f"/judging/{competition.pk}/conflicts/", {"entry": "999999", "person": member.person_id})
    assert bad.status_code == 422 and not DeclaredConflict.objects.exists()
    form = {"entry": entry.pk, "person": member.person_id, "declared_by": "entrant", "reason": "Cùng cơ quan"}
    assert manager.post(f"/judging/{competition.pk}/conflicts/", form).status_code == 302
    listed = manager.get(f"/judging/{competition.pk}/conflicts/").text
    assert "Cùng cơ quan" in listed and member.person.full_name in listed
    viewer = client_for(make_user(role="viewer", unit=tree.province, username="viewer"))
    seen = viewer.get(f"/judging/{competition.pk}/conflicts/")
    assert seen.status_code == 200 and "Cùng cơ quan" in seen.text and 'data-testid="conflict-form"' not in seen.text
    assert viewer.post(f"/judging/{competition.pk}/conflicts/", form).status_code == 403
    juror = client_for(member.user)
    assert juror.get(f"/judging/{competition.pk}/conflicts/").status_code == 404


def test_the_rubric_list_costs_the_same_for_1_or_12_rubrics(tree, stage, client_for, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    manager = client_for(make_user(role="manager", unit=tree.province))
    manager.get("/judging/rubrics/")
    with CaptureQueriesContext(connection) as first:
        manager.get("/judging/rubrics/")
    for _n in range(11):
        make_rubric(tree.commune_a1)
    with django_assert_num_queries(len(first.captured_queries)):
        listed = manager.get("/judging/rubrics/").text
    assert listed.count('data-testid="rubric-revise"') == 12


def test_level_descriptors_are_shown_and_edited_on_the_revision_page_and_read_on_the_sheet(tree, client_for):
    rubric = services.rubric_create(
        by=None,
        unit=tree.province,
        name="Bài dự thi chính luận",
        criteria=[
            services.CriterionData(
                section="Nội dung",
                name="Bám sát nghị quyết",
                weight="60",
                max_score="10",
                descriptors=[{"score": "10", "text": "Đầy đủ, sâu sắc"}, {"score": "5", "text": "Còn chung chung"}],
            ),
            services.CriterionData(name="Hình thức", weight="40", max_score="10"),
        ],
    )
    manager = client_for(make_user(role="manager", unit=tree.province))
    page = manager.get(f"/judging/rubrics/{rubric.pk}/revise/").text
    assert "- 10: Đầy đủ, sâu sắc\n- 5: Còn chung chung" in page
    lines = (
        "Nội dung | Bám sát nghị quyết | 60 | 10\n- 10: Đầy đủ, sâu sắc\n- 6,5: Đủ ý\n"
        "Hình thức | 40 | 10\n  - 8: Trình bày sạch, đúng thể thức"
    )
    for bad, shown in (
        ("- 5: Không có tiêu chí\nNội dung | Bám sát | 60 | 10", "Dòng 1"),
        ("Nội dung | Bám sát | 60 | 10\n- mười điểm", "Dòng 2"),
        ("Nội dung | Bám sát | 60 | 10\n- 12: Vượt điểm tối đa", ""),
    ):
        refused = manager.post(f"/judging/rubrics/{rubric.pk}/revise/", {"criteria": bad})
        assert refused.status_code == 422 and shown in refused.text
    rubric.refresh_from_db()
    assert rubric.current.number == 1
    assert manager.post(f"/judging/rubrics/{rubric.pk}/revise/", {"criteria": lines}).status_code == 302
    rubric.refresh_from_db()
    first, second = rubric.current.criteria.order_by("position")
    assert [level["text"] for level in first.descriptors] == ["Đầy đủ, sâu sắc", "Đủ ý"]
    assert [level["text"] for level in second.descriptors] == ["Trình bày sạch, đúng thể thức"]
    stage = make_stage(make_competition(tree.province), rubric, jurors_per_entry=1)
    member = make_juror(stage, tree.bloc)
    make_entry(stage.competition, tree.commune_a1, title="Bài của xã Quang Kim")
    services.stage_assign(by=None, stage=stage)
    sheet = ScoreSheet.objects.get(juror=member)
    shown = client_for(member.user).get(f"/judging/sheets/{sheet.pk}/")
    assert shown.status_code == 200 and len(shown.content) < 20 * 1024
    assert "Đầy đủ, sâu sắc" in shown.text and "Trình bày sạch, đúng thể thức" in shown.text
