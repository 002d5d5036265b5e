"""Setting a contest up from the pages: a contest, a rubric written one criterion a line, a
stage, an entry and a jury member; bad input is shown next to its field and stores nothing."""

from __future__ import annotations

import pytest

from lantoa.accounts.tests.factories import make_user
from lantoa.judging.models import Competition, Entry, JuryMember, Rubric, Stage
from lantoa.people.services import person_link_user
from lantoa.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


def test_a_manager_sets_a_contest_up_from_the_pages(tree, client_for):
    manager = client_for(make_user(role="manager", unit=tree.province))
    assert 'data-testid="competition-new"' in manager.get("/judging/").content.decode()
    answer = manager.post(
        "/judging/new/",
        {
            "unit": "P",
            "title": "Hội thi báo cáo viên giỏi",
            "kind": "best_reporter",
            "starts_on": "2022-04-01",
            "ends_on": "2022-06-30",
        },
    )
    competition = Competition.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/judging/{competition.pk}/"

    bad = manager.post("/judging/rubrics/new/", {"unit": "P", "name": "Tiêu chí", "criteria": "Nội dung | 40"})
    assert bad.status_code == 422 and "Dòng 1" in bad.content.decode() and not Rubric.objects.exists()
    lines = "Nội dung | Nội dung bài nói | 60 | 10\nTrình bày | Phong cách | 40 | 10"
    manager.post("/judging/rubrics/new/", {"unit": "P", "name": "Tiêu chí", "criteria": lines})
    rubric = Rubric.objects.get()
    assert [c.name for c in rubric.current.criteria.order_by("position")] == ["Nội dung bài nói", "Phong cách"]

    stage_form = {
        "name": "Vòng sơ khảo",
        "starts_on": "2022-04-05",
        "ends_on": "2022-04-30",
        "rubric": rubric.pk,
        "aggregation": "median",
        "jurors_per_entry": 1,
        "audience_weight": "0",
        "advancement": "top_n",
    }
    missing_count = manager.post(f"/judging/{competition.pk}/stages/new/", stage_form)
    assert missing_count.status_code == 422 and not Stage.objects.exists()
    manager.post(f"/judging/{competition.pk}/stages/new/", {**stage_form, "advance_count": 5})
    stage = Stage.objects.get()
    assert (stage.aggregation, stage.advance_count) == ("median", 5)

    reporter = make_person(home_unit=tree.commune_a1)
    entry = manager.post(
        f"/judging/{competition.pk}/entries/new/",
        {
            "unit": tree.commune_a1.code,
            "title": "Nghị quyết Đại hội XIII",
            "person": reporter.pk,
            "materials": "https://video.example/a",
        },
    )
    assert entry.status_code == 302 and Entry.objects.get().person == reporter

    juror = make_person(home_unit=tree.province)
    person_link_user(by=None, person=juror, user=make_user(username="gk"))
    manager.post(f"/judging/stages/{stage.pk}/jurors/new/", {"person": juror.pk, "role": "chair"})
    assert JuryMember.objects.get().role == "chair"
    page = manager.get(f"/judging/stages/{stage.pk}/").content.decode()
    assert juror.full_name in page


def test_a_viewer_sees_no_setup_and_is_refused(tree, client_for):
    from lantoa.judging.tests.factories import make_competition

    competition = make_competition(tree.province)
    viewer = client_for(make_user(role="viewer", unit=tree.province))
    assert 'data-testid="competition-new"' not in viewer.get("/judging/").content.decode()
    assert 'data-testid="stage-new"' not in viewer.get(f"/judging/{competition.pk}/").content.decode()
    assert viewer.get(f"/judging/{competition.pk}/stages/new/").status_code == 403
    body = {"unit": "P", "title": "X", "kind": "staged", "starts_on": "2022-04-01", "ends_on": "2022-06-30"}
    answer = viewer.post("/judging/new/", body)
    assert answer.status_code == 422 and Competition.objects.count() == 1
