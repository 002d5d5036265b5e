"""Blind judging (decision 0027): a juror of a blind stage reaches no entrant's name, unit,
members or title through any page or API answer; the chair and the secretary see everything;
conflicts of interest are still kept; a staged performance cannot be judged blind."""

from __future__ import annotations

import json

import pytest

from lantoa.core.errors import ValidationFailed
from lantoa.judging import services
from lantoa.judging.models import ScoreSheet
from lantoa.judging.selectors import stage_conflicts
from lantoa.judging.tests.factories import make_competition, make_juror, make_rubric, make_stage
from lantoa.people.tests.factories import make_person

pytestmark = pytest.mark.django_db

PERSON = ("Lò", "Thị", "Sình")
MEMBERS = "Vàng A Páo, Giàng Thị Dợ"
TITLE = "Bài viết của Lò Thị Sình về Nghị quyết"
MATERIAL = "https://files.example.vn/lo-thi-sinh-bai-du-thi.pdf"


@pytest.fixture
def blind(tree):
    competition = make_competition(tree.province, kind="essay")
    stage = make_stage(competition, make_rubric(tree.province), jurors_per_entry=2, blind=True)
    make_juror(stage, tree.province, role="chair")
    make_juror(stage, tree.bloc)
    make_juror(stage, tree.district_a)
    make_juror(stage, tree.district_b, role="secretary")
    make_juror(stage, tree.commune_b1)
    person = make_person(home_unit=tree.commune_b1, family_name=PERSON[0], middle_name=PERSON[1], given_name=PERSON[2])
    services.entry_create(
        by=None,
        competition=competition,
        data=services.EntryData(
            unit=tree.commune_b1, person=person, title=TITLE, members=MEMBERS, materials=[MATERIAL]
        ),
    )
    team = services.entry_create(
        by=None,
        competition=competition,
        data=services.EntryData(unit=tree.commune_a1, person=None, title="Đội Quang Kim viết", members=MEMBERS),
    ).obj
    services.stage_assign(by=None, stage=stage)
    return stage, person, team


def secrets(tree, person):
    return [
        person.full_name,
        PERSON[2],
        tree.commune_b1.name,
        tree.commune_a1.name,
        "Quang Kim",
        "Vàng A Páo",
        "Giàng Thị Dợ",
        TITLE,
        "lo-thi-sinh",
    ]


def assert_nothing_leaks(body: bytes, names: list[str]) -> None:
    text = body.decode()
    if body[:1] in (b"{", b"["):
        text += json.dumps(json.loads(text), ensure_ascii=False)
    for name in names:
        assert name not in text, name


def test_no_name_reaches_a_juror_of_a_blind_stage(blind, tree, client_for):
    stage, person, _team = blind
    names = secrets(tree, person)
    for role_juror in stage.jurors.filter(role="member"):
        client = client_for(role_juror.user)
        sheets = list(ScoreSheet.objects.filter(juror=role_juror))
        assert sheets
        answers = [
            client.get("/judging/"),
            client.get(f"/judging/{stage.competition_id}/"),
            client.get("/judging/sheets/"),
            client.get("/api/v1/judging/competitions"),
            client.get(f"/api/v1/judging/competitions/{stage.competition_id}"),
            client.get("/api/v1/judging/sheets"),
        ]
        for sheet in sheets:
            criterion = stage.rubric_version.criteria.order_by("position").first()
            answers += [
                client.get(f"/judging/sheets/{sheet.pk}/"),
                client.get(f"/api/v1/judging/sheets/{sheet.pk}"),
                client.post(
                    f"/judging/sheets/{sheet.pk}/scores/{criterion.pk}/",
                    {f"criterion_{criterion.pk}": "5"},
                    HTTP_HX_REQUEST="true",
                ),
                client.put(
                    f"/api/v1/judging/sheets/{sheet.pk}/scores/{criterion.pk}",
                    json.dumps({"value": "6"}),
                    content_type="application/json",
                ),
            ]
            for each in stage.rubric_version.criteria.all():
                client.put(
                    f"/api/v1/judging/sheets/{sheet.pk}/scores/{each.pk}",
                    json.dumps({"value": "5"}),
                    content_type="application/json",
                )
            submitted = client.post(f"/api/v1/judging/sheets/{sheet.pk}/submit")
            assert submitted.status_code == 200 and submitted.json()["entrant"] == ""
            answers.append(submitted)
            answers.append(client.get(f"/judging/sheets/{sheet.pk}/"))
        answers += [
            client.get(f"/judging/stages/{stage.pk}/"),
            client.get(f"/api/v1/judging/stages/{stage.pk}/progress"),
            client.get(f"/api/v1/judging/stages/{stage.pk}/results"),
            client.get(f"/api/v1/judging/stages/{stage.pk}/jurors"),
        ]
        for answer in answers:
            assert answer.status_code < 500
            assert_nothing_leaks(answer.content, names)
        page = client.get(f"/judging/sheets/{sheets[0].pk}/").content.decode()
        assert f"{sheets[0].entry_id:06d}" in page and 'data-testid="sheet-blind"' in page
        assert "Chấm kín" in page
        detail = client.get(f"/api/v1/judging/sheets/{sheets[0].pk}").json()
        assert detail["blind"] is True and detail["entrant"] == "" and detail["materials"] == []


def test_the_chair_and_the_secretary_still_see_everything(blind, tree, client_for):
    stage, person, _team = blind
    chair = client_for(stage.jurors.get(role="chair").user)
    sheet = ScoreSheet.objects.filter(entry__person=person).exclude(juror__role="chair").first()
    page = chair.get(f"/judging/sheets/{sheet.pk}/").content.decode()
    assert person.full_name in page and TITLE in page and MATERIAL in page
    secretary = client_for(stage.jurors.get(role="secretary").user)
    board = secretary.get(f"/judging/stages/{stage.pk}/").content.decode()
    assert person.full_name in board or TITLE in board


def test_conflicts_of_interest_are_still_kept(blind, tree):
    stage, _person, _team = blind
    bloc_juror = stage.jurors.get(unit=tree.bloc)
    district_a = stage.jurors.get(unit=tree.district_a)
    own_commune = stage.jurors.get(unit=tree.commune_b1)
    entry = stage.entry_rows.get(person=_person).entry
    assert entry.pk in stage_conflicts(stage) and own_commune.pk in stage_conflicts(stage)[entry.pk]
    assert not ScoreSheet.objects.filter(juror=own_commune, entry=entry).exists()
    assert (
        ScoreSheet.objects.filter(juror=bloc_juror).exists() and district_a.pk not in stage_conflicts(stage)[entry.pk]
    )


def test_a_staged_performance_cannot_be_judged_blind(tree, client_for):
    competition = make_competition(tree.province, kind="staged")
    with pytest.raises(ValidationFailed) as refused:
        make_stage(competition, make_rubric(tree.province), blind=True)
    assert refused.value.code == "blind_not_offered"
