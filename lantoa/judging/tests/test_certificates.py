"""Certificates for a stage's prize winners: one PDF, a page per winner, in Vietnamese with the
names' diacritics; for the chair, the secretary and the organisers once the results are computed."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from pypdf import PdfReader

from lantoa.accounts.tests.factories import make_user
from lantoa.core.models import AuditEntry
from lantoa.judging import services
from lantoa.judging.models import EntryStage, ScoreSheet
from lantoa.judging.tests.factories import make_competition, make_entry, make_juror, make_rubric, make_stage
from lantoa.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def stage(tree):
    stage = make_stage(make_competition(tree.province), make_rubric(tree.province), jurors_per_entry=1)
    chair = make_person(home_unit=tree.province, family_name="Trần", middle_name="Thị", given_name="Hương")
    make_juror(stage, tree.province, role="chair", person=chair)
    make_juror(stage, tree.province, role="secretary")
    make_juror(stage, tree.bloc)
    reporter = make_person(home_unit=tree.commune_a1, family_name="Lê", middle_name="Văn", given_name="Đức")
    make_entry(stage.competition, tree.commune_a1, person=reporter, title="Ánh sáng nơi bản xa")
    make_entry(stage.competition, tree.agency_cell, title="Đội Sở Tư pháp")
    make_entry(stage.competition, tree.commune_a1, title="Bài không đạt giải")
    services.stage_assign(by=None, stage=stage)
    for sheet in ScoreSheet.objects.filter(stage=stage):
        values = {c.pk: "7" for c in stage.rubric_version.criteria.all()}
        services.sheet_record(by=None, sheet=sheet, values=values)
    return stage


def _award(stage):
    services.stage_results_compute(by=None, stage=stage)
    rows = {row.entry.title: row for row in EntryStage.objects.filter(stage=stage).select_related("entry")}
    services.prize_award(by=None, row=rows["Ánh sáng nơi bản xa"], prize="Giải Nhất")
    services.prize_award(by=None, row=rows["Đội Sở Tư pháp"], prize="Giải Khuyến khích")


def _pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_one_page_per_winner_with_names_prizes_and_signatory(stage, client_for):
    chair = client_for(stage.jurors.get(role="chair").user)
    url = f"/api/v1/judging/stages/{stage.pk}/certificates.pdf"
    early = chair.get(url)
    assert early.status_code == 409 and early.json()["code"] == "results_not_computed"
    services.stage_results_compute(by=None, stage=stage)
    none = chair.get(url)
    assert none.status_code == 409 and none.json()["code"] == "no_prizes"
    _award(stage)
    answer = chair.get(url)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    pages = _pages(answer.content)
    assert len(pages) == 2
    text = "\n".join(pages)
    for expected in (
        "GIẤY CHỨNG NHẬN",
        stage.competition.title,
        stage.name,
        "Lê Văn Đức",
        "Ánh sáng nơi bản xa",
        "Giải Nhất",
        "Giải Khuyến khích",
        "TRƯỞNG BAN GIÁM KHẢO",
        "Trần Thị Hương",
        "tháng",
    ):
        assert expected in text, expected
    assert "Bài không đạt giải" not in text
    assert "Lê Văn Đức" in pages[0] or "Lê Văn Đức" in pages[1]
    assert AuditEntry.objects.filter(action="lantoa.judging.certificates.printed").count() == 1


def test_the_page_button_and_its_download(stage, client_for):
    secretary = client_for(stage.jurors.get(role="secretary").user)
    page = f"/judging/stages/{stage.pk}/"
    assert 'data-testid="stage-certificates"' not in secretary.get(page).content.decode()
    early = secretary.get(f"/judging/stages/{stage.pk}/certificates.pdf")
    assert early.status_code == 302
    _award(stage)
    shown = secretary.get(page).content.decode()
    assert 'data-testid="stage-certificates"' in shown and "Giấy chứng nhận" in shown
    answer = secretary.get(f"/judging/stages/{stage.pk}/certificates.pdf")
    assert answer.status_code == 200 and len(_pages(answer.content)) == 2


def test_an_organiser_prints_them(stage, client_for, tree):
    _award(stage)
    organiser = client_for(make_user(role="manager", unit=tree.province))
    answer = organiser.get(f"/api/v1/judging/stages/{stage.pk}/certificates.pdf")
    assert answer.status_code == 200


def test_jurors_and_the_anonymous_are_refused(stage, client_for):
    _award(stage)
    member = client_for(stage.jurors.get(role="member").user)
    url = f"/api/v1/judging/stages/{stage.pk}/certificates.pdf"
    assert member.get(url).status_code == 404
    assert member.get(f"/judging/stages/{stage.pk}/certificates.pdf").status_code == 404
    assert Client().get(url).status_code in {401, 403}
    assert Client().get(f"/judging/stages/{stage.pk}/certificates.pdf").status_code == 302
    assert member.get("/api/v1/judging/stages/999999/certificates.pdf").status_code == 404
