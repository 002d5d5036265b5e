"""The pages: a juror's score sheet (saved field by field through htmx, and as a whole form
without JavaScript), only their own; the stage's board and results; the contest pages."""

from __future__ import annotations

import pytest

from lantoa.accounts.tests.factories import make_user
from lantoa.judging import services
from lantoa.judging.models import Score, ScoreSheet
from lantoa.judging.tests.factories import make_competition, make_entry, make_juror, make_rubric, make_stage

pytestmark = pytest.mark.django_db
PAGE_LIMIT = 20 * 1024


@pytest.fixture
def stage(tree):
    stage = make_stage(make_competition(tree.province), make_rubric(tree.province), jurors_per_entry=1)
    make_juror(stage, tree.province, role="chair")
    make_juror(stage, tree.bloc)
    make_entry(stage.competition, tree.commune_a1, title="Đội xã Quang Kim")
    make_entry(stage.competition, tree.agency_cell, title="Đội Sở Tư pháp")
    services.stage_assign(by=None, stage=stage)
    return stage


def test_the_score_sheet_is_small_and_shows_only_the_jurors_own(stage, client_for):
    member = stage.jurors.get(role="member")
    client = client_for(member.user)
    mine = ScoreSheet.objects.get(juror=member)
    other = ScoreSheet.objects.exclude(juror=member).get()
    page = client.get(f"/judging/sheets/{mine.pk}/")
    assert page.status_code == 200 and len(page.content) < PAGE_LIMIT
    assert mine.entry.title in page.content.decode() and 'hx-post="/judging/sheets/' in page.content.decode()
    assert client.get(f"/judging/sheets/{other.pk}/").status_code == 404
    assert client.post(f"/judging/sheets/{other.pk}/", {"action": "submit"}).status_code == 404
    listed = client.get("/judging/sheets/").content.decode()
    assert mine.entry.title in listed and other.entry.title not in listed


def test_each_score_posts_itself_and_a_bad_one_is_refused(stage, client_for):
    member = stage.jurors.get(role="member")
    client = client_for(member.user)
    sheet = ScoreSheet.objects.get(juror=member)
    criterion = stage.rubric_version.criteria.order_by("position").first()
    url = f"/judging/sheets/{sheet.pk}/scores/{criterion.pk}/"
    saved = client.post(url, {f"criterion_{criterion.pk}": "7,5"}, HTTP_HX_REQUEST="true")
    assert saved.status_code == 200 and "text-success" in saved.content.decode()
    refused = client.post(url, {f"criterion_{criterion.pk}": "11"}, HTTP_HX_REQUEST="true")
    assert "text-danger" in refused.content.decode()
    assert [score.value for score in Score.objects.all()] == [7.5]


def test_the_form_works_without_javascript(stage, client_for):
    member = stage.jurors.get(role="member")
    client = client_for(member.user)
    sheet = ScoreSheet.objects.get(juror=member)
    criteria = list(stage.rubric_version.criteria.order_by("position"))
    over = {f"criterion_{c.pk}": "12" for c in criteria}
    answer = client.post(f"/judging/sheets/{sheet.pk}/", {**over, "action": "submit"})
    assert answer.status_code == 422 and not Score.objects.exists()
    good = {f"criterion_{c.pk}": "8" for c in criteria}
    answer = client.post(f"/judging/sheets/{sheet.pk}/", {**good, "action": "submit"})
    assert answer.status_code == 302
    sheet.refresh_from_db()
    assert sheet.is_locked and sheet.total == 80


def test_the_chair_reopens_from_the_page(stage, client_for):
    member = stage.jurors.get(role="member")
    sheet = ScoreSheet.objects.get(juror=member)
    values = {c.pk: "6" for c in stage.rubric_version.criteria.all()}
    services.sheet_record(by=member.user, sheet=sheet, values=values)
    chair = client_for(stage.jurors.get(role="chair").user)
    page = chair.get(f"/judging/sheets/{sheet.pk}/").content.decode()
    assert 'data-testid="sheet-reopen"' in page
    chair.post(f"/judging/sheets/{sheet.pk}/reopen/", {"reason": "Giám khảo xin chấm lại"})
    sheet.refresh_from_db()
    assert not sheet.is_locked


QUERIES = 27  # the same for 3 entries or 30: the board, the results, the jury and its conflicts, the session


@pytest.mark.parametrize("entries", [3, 30])
def test_the_stage_page_costs_the_same_for_3_or_30_entries(tree, entries, client_for, django_assert_num_queries):
    stage = make_stage(make_competition(tree.province), make_rubric(tree.province), jurors_per_entry=2)
    for unit in (tree.province, tree.bloc, tree.commune_b1):
        make_juror(stage, unit)
    for number in range(entries):
        make_entry(stage.competition, [tree.commune_a1, tree.agency_cell][number % 2])
    services.stage_assign(by=None, stage=stage)
    client = client_for(make_user(role="manager", unit=tree.province))
    client.get(f"/judging/stages/{stage.pk}/")  # warm the session and the scope caches
    with django_assert_num_queries(QUERIES):
        page = client.get(f"/judging/stages/{stage.pk}/")
    assert page.status_code == 200 and page.content.decode().count("<tr>") >= entries


def test_staff_run_the_stage_from_its_page(stage, client_for, tree):
    manager = client_for(make_user(role="manager", unit=tree.province))
    page = manager.get(f"/judging/stages/{stage.pk}/").content.decode()
    assert 'data-testid="stage-compute"' in page
    for sheet in ScoreSheet.objects.all():
        services.sheet_record(by=None, sheet=sheet, values={c.pk: "7" for c in stage.rubric_version.criteria.all()})
    manager.post(f"/judging/stages/{stage.pk}/results/")
    page = manager.get(f"/judging/stages/{stage.pk}/").content.decode()
    assert "70,000" in page  # Vietnamese decimal comma
    viewer = client_for(make_user(role="viewer", unit=tree.province))
    assert 'data-testid="stage-compute"' not in viewer.get(f"/judging/stages/{stage.pk}/").content.decode()
    assert viewer.post(f"/judging/stages/{stage.pk}/results/").status_code == 403
    outside = client_for(make_user(role="officer", unit=tree.commune_b1))
    assert outside.get(f"/judging/stages/{stage.pk}/").status_code == 404
    assert outside.get(f"/judging/{stage.competition_id}/").status_code == 404
    assert "Đội xã Quang Kim" not in outside.get("/judging/").content.decode()
