"""Renaming, reordering and removing sections, and reordering questions: pages and API."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from lantoa.accounts.tests.factories import make_user
from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.core.models import AuditEntry
from lantoa.surveys import selectors, services
from lantoa.surveys.tests.factories import make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(tree):  # type: ignore[no-untyped-def]
    return make_user(role="officer", unit=tree.province, username="organiser")


def _titles(survey):  # type: ignore[no-untyped-def]
    return [section.title_vi for section in selectors.survey_sections(survey)]


def _questions(section):  # type: ignore[no-untyped-def]
    return list(section.questions.order_by("position", "pk").values_list("pk", flat=True))


def test_sections_move_rename_and_only_empty_ones_go(tree) -> None:
    survey = make_survey(tree.province)
    second = services.section_add(by=None, survey=survey, title_vi="Phần 2")
    third = services.section_add(by=None, survey=survey, title_vi="Phần 3")
    assert _titles(survey) == ["Phần 1", "Phần 2", "Phần 3"]
    before = survey.updated_at
    assert services.section_move(by=None, section=third, direction="up")
    assert _titles(survey) == ["Phần 1", "Phần 3", "Phần 2"]
    survey.refresh_from_db()
    assert survey.updated_at > before  # the answer path reads the questionnaire again
    assert not services.section_move(by=None, section=second, direction="down")  # already last
    with pytest.raises(ValidationFailed):
        services.section_move(by=None, section=second, direction="sideways")
    services.section_edit(by=None, section=second, title_vi="  Phần hai ", title_en="Part two")
    assert _titles(survey) == ["Phần 1", "Phần 3", "Phần hai"]
    first = survey.sections.order_by("position")[0]
    with pytest.raises(Conflict):
        services.section_remove(by=None, section=first)  # it has questions
    services.section_remove(by=None, section=third)
    assert _titles(survey) == ["Phần 1", "Phần hai"]
    assert AuditEntry.objects.filter(action="lantoa.surveys.section.moved").count() == 1


def test_questions_move_within_their_section(tree) -> None:
    survey = make_survey(tree.province)
    section = survey.sections.get()
    order = _questions(section)
    moved = section.questions.get(pk=order[2])
    services.question_move(by=None, question=moved, direction="up")
    assert _questions(section) == [order[0], order[2], order[1], *order[3:]]
    current = [version.question_id for version in services.current_versions(survey)]
    assert current == _questions(section)  # answers read the questions in the new order


def test_pages_rename_and_reorder(tree, organiser, client_for) -> None:
    survey = make_survey(tree.province)
    section = survey.sections.get()
    services.section_add(by=None, survey=survey, title_vi="Phần 2")
    client = client_for(organiser)
    page = client.get(reverse("surveys:detail", args=[survey.pk])).content.decode()
    assert "Đổi tên" in page and "Xoá phần" in page
    form = client.get(reverse("surveys:section_edit", args=[survey.pk, section.pk]))
    assert form.status_code == 200
    refused = client.post(reverse("surveys:section_edit", args=[survey.pk, section.pk]), {"title_vi": " "})
    assert refused.status_code == 200  # the form again, with its error
    done = client.post(reverse("surveys:section_edit", args=[survey.pk, section.pk]), {"title_vi": "Đánh giá chung"})
    assert done.status_code == 302
    client.post(reverse("surveys:section_move", args=[survey.pk, section.pk]), {"direction": "down"})
    assert _titles(survey) == ["Phần 2", "Đánh giá chung"]
    order = _questions(section)
    client.post(reverse("surveys:question_move", args=[survey.pk, order[0]]), {"direction": "down"})
    assert _questions(section)[:2] == [order[1], order[0]]


def test_api_renames_moves_and_removes(tree, organiser, client_for) -> None:
    survey = make_survey(tree.province)
    section = survey.sections.get()
    client = client_for(organiser)
    base = f"/api/v1/surveys/{survey.pk}"

    def send(method: str, path: str, body: object | None = None):  # type: ignore[no-untyped-def]
        data = json.dumps(body) if body is not None else ""
        return getattr(client, method)(base + path, data, content_type="application/json")

    assert send("put", f"/sections/{section.pk}", {"title_vi": "Phần chung"}).status_code == 200
    assert send("post", f"/sections/{section.pk}/move", {"direction": "left"}).status_code == 422
    empty = services.section_add(by=None, survey=survey, title_vi="Phần trống")
    answer = send("post", f"/sections/{empty.pk}/move", {"direction": "up"})
    assert answer.status_code == 200
    assert [s["title"] for s in answer.json()["sections"]] == ["Phần trống", "Phần chung"]
    conflict = send("delete", f"/sections/{section.pk}")
    assert conflict.status_code == 409 and conflict.json()["code"] == "section_not_empty"
    assert send("delete", f"/sections/{empty.pk}").status_code == 200
    question = _questions(section)[1]
    assert send("post", f"/questions/{question}/move", {"direction": "up"}).status_code == 200
    assert _questions(section)[0] == question
    other = make_survey(tree.commune_a1)
    assert send("post", f"/sections/{other.sections.get().pk}/move", {"direction": "up"}).status_code == 404
