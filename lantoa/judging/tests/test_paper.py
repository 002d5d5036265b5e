"""Paper score sheets: a PDF per juror per stage (the entries assigned, the criteria with their
maximum scores; a blind stage's shows codes, never names), and the secretary typing a sheet in
for its juror — the online sheet's checks, audited as typed in by the secretary."""

from __future__ import annotations

import io
import json

import pytest
from pypdf import PdfReader

from lantoa.accounts.tests.factories import make_user
from lantoa.core.models import AuditEntry
from lantoa.judging import services
from lantoa.judging.models import Score, ScoreSheet
from lantoa.judging.tests.factories import make_competition, make_entry, make_juror, make_rubric, make_stage
from lantoa.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


def build(tree, *, blind=False):  # type: ignore[no-untyped-def]
    kind = "essay" if blind else "best_reporter"
    stage = make_stage(make_competition(tree.province, kind=kind), make_rubric(tree.province), blind=blind,
                       jurors_per_entry=1)  # fmt: skip
    make_juror(stage, tree.province, role="chair")
    make_juror(stage, tree.bloc)
    make_juror(stage, tree.district_b, role="secretary")
    reporter = make_person(home_unit=tree.commune_a1, given_name="Lò Văn Thắng")
    make_entry(stage.competition, tree.commune_a1, person=reporter, title="Bài nói về Nghị quyết XIII")
    make_entry(stage.competition, tree.agency_cell, title="Đội Sở Tư pháp")
    services.stage_assign(by=None, stage=stage)
    return stage


def text_of(answer) -> str:  # type: ignore[no-untyped-def]
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.content)).pages)


def test_the_paper_sheets_list_each_jurors_entries_and_criteria(tree, client_for):
    stage = build(tree)
    secretary = client_for(stage.jurors.get(role="secretary").user)
    member = stage.jurors.get(role="member")
    whole = text_of(secretary.get(f"/judging/stages/{stage.pk}/paper.pdf"))
    assert "PHIẾU CHẤM ĐIỂM" in whole and "Nội dung đúng, đủ" in whole
    mine = ScoreSheet.objects.get(juror=member).entry
    one = text_of(secretary.get(f"/api/v1/judging/stages/{stage.pk}/paper-sheets.pdf", {"juror": member.pk}))
    assert mine.title in one and member.person.full_name in one
    others = ScoreSheet.objects.exclude(juror=member).get().entry
    assert others.title not in one
    assert secretary.get(f"/judging/stages/{stage.pk}/paper.pdf", {"juror": "999999"}).status_code == 404
    assert client_for(member.user).get(f"/judging/stages/{stage.pk}/paper.pdf").status_code == 404


def test_a_blind_stages_paper_sheets_show_codes_never_names(tree, client_for):
    stage = build(tree, blind=True)
    manager = client_for(make_user(role="manager", unit=tree.province))
    text = text_of(manager.get(f"/judging/stages/{stage.pk}/paper.pdf"))
    assert "Bài số" in text
    for hidden in ("Lò Văn Thắng", "Bài nói về Nghị quyết XIII", "Đội Sở Tư pháp", "Quang Kim"):
        assert hidden not in text


def test_the_secretary_types_a_paper_sheet_in(tree, client_for):
    stage = build(tree)
    secretary_member = stage.jurors.get(role="secretary")
    secretary = client_for(secretary_member.user)
    sheet = ScoreSheet.objects.get(juror=stage.jurors.get(role="member"))
    criteria = list(stage.rubric_version.criteria.order_by("position"))
    board = secretary.get(f"/judging/stages/{stage.pk}/paper/").text
    assert f"/judging/sheets/{sheet.pk}/paper/" in board
    bad = {
        f"criterion_{criteria[0].pk}": "11",
        f"criterion_{criteria[1].pk}": "8,5",
        f"criterion_{criteria[2].pk}": "9",
    }
    refused = secretary.post(f"/judging/sheets/{sheet.pk}/paper/", bad)
    assert refused.status_code == 422 and not Score.objects.filter(sheet=sheet).exists()
    good = {**bad, f"criterion_{criteria[0].pk}": "9"}
    assert secretary.post(f"/judging/sheets/{sheet.pk}/paper/", good).status_code == 302
    sheet.refresh_from_db()
    assert sheet.is_locked and str(sheet.total) == "88.500"
    typed = AuditEntry.objects.get(action="lantoa.judging.sheet.typed_in")
    assert typed.actor_id == secretary_member.user_id
    again = secretary.put(
        f"/api/v1/judging/sheets/{sheet.pk}/paper",
        json.dumps({"scores": [{"criterion": c.pk, "value": "5"} for c in criteria]}),
        content_type="application/json",
    )
    assert again.status_code == 409 and again.json()["code"] == "sheet_locked"
    other = ScoreSheet.objects.exclude(pk=sheet.pk).get()
    answer = secretary.put(
        f"/api/v1/judging/sheets/{other.pk}/paper",
        json.dumps({"scores": [{"criterion": c.pk, "value": "7"} for c in criteria]}),
        content_type="application/json",
    )
    assert answer.status_code == 200 and answer.json()["total"] == "70.000"
    chair = client_for(stage.jurors.get(role="chair").user)
    assert chair.get(f"/judging/sheets/{other.pk}/paper/").status_code == 404  # the secretary's task only
