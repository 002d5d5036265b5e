"""Surveys over the API (``/api/v1/surveys/…``).

The organiser's endpoints parse, ask a gate of :mod:`lantoa.surveys.permissions` (a survey out of
scope answers 404 like a missing one), call the same services and selectors as the pages, and
answer; results carry the same suppression (a hidden cell is ``null`` with ``"suppressed": true``).
``POST /surveys/answer`` is public like the answer page: the card's code is the capability;
nothing of the request is kept.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from lantoa.accounts.roles import Capability
from lantoa.core.clients import client_address
from lantoa.core.errors import Conflict, NotFound, ValidationFailed
from lantoa.core.schemas import ERRORS, ErrorOut
from lantoa.org.permissions import access_unit
from lantoa.surveys import limits, selectors, services
from lantoa.surveys.models import Survey, SurveyMode, TokenBatch
from lantoa.surveys.permissions import access_question, access_section, access_survey, may_plan, require_planner
from lantoa.surveys.schemas import (
    SurveyAnswerIn,
    SurveyAnswerOut,
    SurveyBatchIn,
    SurveyBatchListOut,
    SurveyBatchOut,
    SurveyCardOut,
    SurveyDetailOut,
    SurveyIn,
    SurveyLinksIn,
    SurveyListOut,
    SurveyMoveIn,
    SurveyOut,
    SurveyQuestionIn,
    SurveyRatesOut,
    SurveyResultsOut,
    SurveySectionIn,
    SurveySendingListOut,
    SurveySendingOut,
    SurveyStatusIn,
    SurveyStructureQuery,
)

router = Router(tags=["surveys"])


def _survey_out(request: HttpRequest, survey: Survey) -> dict[str, Any]:
    open_link = None
    if survey.mode == SurveyMode.OPEN_LINK and survey.link_code:
        open_link = request.build_absolute_uri(reverse("surveys_public:open", args=[survey.link_code]))
    return {
        "id": survey.pk,
        "title": survey.title,
        "owner": survey.owner.code,
        "audience_root": survey.audience_root.code,
        "opens_on": survey.opens_on,
        "closes_on": survey.closes_on,
        "mode": survey.mode,
        "status": survey.status,
        "open_link": open_link,
    }


def _detail(request: HttpRequest, survey: Survey) -> dict[str, Any]:
    sections = [
        {
            "id": section.pk,
            "title": section.title,
            "questions": [
                {
                    "id": version.question_id,
                    "version": version.number,
                    "version_id": version.pk,
                    "kind": version.kind,
                    "text": version.text,
                    "required": version.required,
                    "sensitive": version.sensitive,
                    "scale": version.scale,
                    "minimum": version.minimum,
                    "maximum": version.maximum,
                    "options": [{"id": option.pk, "text": option.text} for option in version.options.all()],
                }
                for version in section.current_versions  # type: ignore[attr-defined]
            ],
        }
        for section in selectors.survey_sections(survey)
    ]
    return {**_survey_out(request, survey), "sections": sections}


def _fields(by: Any, body: SurveyIn) -> services.SurveyFields:
    from lantoa.org.models import Tier

    try:
        root = access_unit(by=by, code=body.audience_root)
    except NotFound as error:
        raise NotFound(error.message, extra={"field": "audience_root"}) from error
    tier = None
    if body.audience_tier:
        tier = Tier.objects.filter(code=body.audience_tier).first()
        if tier is None:
            raise NotFound(_("No such tier."), extra={"field": "audience_tier"})
    conference = None
    if body.audience_conference:
        from lantoa.meetings.permissions import conferences_visible_to

        conference = conferences_visible_to(by).filter(pk=body.audience_conference).first()
        if conference is None:
            raise NotFound(_("No such conference."), extra={"field": "audience_conference"})
    return services.SurveyFields(
        title_vi=body.title_vi,
        title_en=body.title_en,
        intro_vi=body.intro_vi,
        intro_en=body.intro_en,
        opens_on=body.opens_on,
        closes_on=body.closes_on,
        audience_root=root,
        audience_tier=tier,
        audience_conference=conference,
        mode=body.mode,
    )


def _question(body: SurveyQuestionIn) -> services.QuestionFields:
    return services.QuestionFields(
        kind=body.kind,
        text_vi=body.text_vi,
        text_en=body.text_en,
        options=[(option.text_vi, option.text_en) for option in body.options],
        required=body.required,
        scale=body.scale,
        minimum=body.minimum,
        maximum=body.maximum,
    )


@router.get(
    "/answer/{code}",
    auth=None,
    response={200: SurveyCardOut, 429: ErrorOut, **ERRORS},
    summary="The questionnaire a card answers (no sign-in needed)",
    operation_id="lantoa_surveys_api_card",
)
def card(request: HttpRequest, code: str) -> Any:
    """The survey's title, introduction and current questions for an unused card of an open
    survey: what a client shows before ``POST /surveys/answer``. 404 ``unknown_token``, 409
    ``token_used`` or ``survey_not_open``; too many unknown codes from one address: 429."""
    address = client_address(request)
    limits.refuse_if_guessing(address)
    token = services.token_for_code(code)
    if token is None:
        limits.count_unknown_code(address)
        raise NotFound(_("No card has this code."), code="unknown_token")
    if token.used_on is not None:
        raise Conflict(_("This card has already been used."), code="token_used")
    survey = token.batch.survey
    services.survey_accepting(survey, services.local_today())
    detail = _detail(request, survey)
    return {"title": detail["title"], "intro": survey.intro, "sections": detail["sections"]}


@router.post(
    "/answer",
    auth=None,
    response={201: SurveyAnswerOut, 429: ErrorOut, **ERRORS},
    summary="Answer a survey with a card's code (no sign-in needed)",
    operation_id="lantoa_surveys_api_answer",
)
def answer(request: HttpRequest, body: SurveyAnswerIn) -> Any:
    """The card's code and the answers by question id. 201 when recorded; 409 ``token_used`` when
    the card was used; 422 ``invalid_answers`` with every problem by question (nothing stored, the
    card still unused); 404 ``unknown_token``. Too many unknown codes from one address: 429."""
    address = client_address(request)
    limits.refuse_if_guessing(address)
    values: dict[int, list[str]] = {}
    for key, value in body.answers.items():
        if not key.isdigit() or len(key) > 9:
            raise ValidationFailed(
                _("No such question in this survey."),
                code="invalid_answers",
                extra={"errors": {key: _("No such question in this survey.")}},
            )
        values[int(key)] = value[:50]
    try:
        services.answer_with_token(code=body.code, values=values)
    except NotFound:
        limits.count_unknown_code(address)
        raise
    return Status(201, {"recorded": True})


@router.get(
    "",
    response={200: SurveyListOut, **ERRORS},
    summary="Surveys you may see",
    operation_id="lantoa_surveys_api_survey_list",
)
def survey_list(request: HttpRequest) -> Any:
    items = list(selectors.survey_list_for_user(request.user)[:200])
    return {"items": [_survey_out(request, survey) for survey in items], "count": len(items)}


@router.post(
    "",
    response={201: SurveyDetailOut, **ERRORS},
    summary="Create a survey (empty, or from a ready questionnaire)",
    operation_id="lantoa_surveys_api_survey_create",
)
def survey_create(request: HttpRequest, body: SurveyIn) -> Any:
    require_planner(request.user)
    owner = access_unit(by=request.user, code=body.owner)
    if not may_plan(request.user, owner):
        raise NotFound(_("No such unit."), extra={"field": "owner"})
    fields = _fields(request.user, body)
    if body.template:
        survey = services.survey_from_template(by=request.user, key=body.template, owner=owner, fields=fields)
    else:
        survey = services.survey_create(by=request.user, owner=owner, fields=fields)
    return Status(201, _detail(request, survey))


@router.get(
    "/{survey_id}",
    response={200: SurveyDetailOut, **ERRORS},
    summary="A survey and its questionnaire",
    operation_id="lantoa_surveys_api_survey_detail",
)
def survey_detail(request: HttpRequest, survey_id: int) -> Any:
    return _detail(request, access_survey(by=request.user, pk=survey_id))


@router.put(
    "/{survey_id}",
    response={200: SurveyDetailOut, **ERRORS},
    summary="Change a survey (audience and mode only while a draft)",
    operation_id="lantoa_surveys_api_survey_update",
)
def survey_update(request: HttpRequest, survey_id: int, body: SurveyIn) -> Any:
    survey = access_survey(by=request.user, pk=survey_id, capability=Capability.EDIT_RECORDS)
    survey = services.survey_update(by=request.user, survey=survey, fields=_fields(request.user, body))
    return _detail(request, survey)


@router.post(
    "/{survey_id}/status",
    response={200: SurveyOut, **ERRORS},
    summary="Open or close a survey",
    operation_id="lantoa_surveys_api_survey_status",
)
def survey_status(request: HttpRequest, survey_id: int, body: SurveyStatusIn) -> Any:
    survey = access_survey(by=request.user, pk=survey_id, capability=Capability.EDIT_RECORDS)
    return _survey_out(request, services.survey_set_status(by=request.user, survey=survey, status=body.status))


@router.post(
    "/{survey_id}/sections",
    response={201: SurveyDetailOut, **ERRORS},
    summary="Add a section",
    operation_id="lantoa_surveys_api_section_create",
)
def section_create(request: HttpRequest, survey_id: int, body: SurveySectionIn) -> Any:
    survey = access_survey(by=request.user, pk=survey_id, capability=Capability.EDIT_RECORDS)
    services.section_add(by=request.user, survey=survey, title_vi=body.title_vi, title_en=body.title_en)
    return Status(201, _detail(request, survey))


@router.put(
    "/{survey_id}/sections/{section_id}",
    response={200: SurveyDetailOut, **ERRORS},
    summary="Rename a section",
    operation_id="lantoa_surveys_api_section_update",
)
def section_update(request: HttpRequest, survey_id: int, section_id: int, body: SurveySectionIn) -> Any:
    survey = access_survey(by=request.user, pk=survey_id, capability=Capability.EDIT_RECORDS)
    section = access_section(by=request.user, survey=survey, pk=section_id)
    services.section_edit(by=request.user, section=section, title_vi=body.title_vi, title_en=body.title_en)
    return _detail(request, survey)


@router.delete(
    "/{survey_id}/sections/{section_id}",
    response={200: SurveyDetailOut, **ERRORS},
    summary="Remove a section without questions (409 section_not_empty otherwise)",
    operation_id="lantoa_surveys_api_section_delete",
)
def section_delete(request: HttpRequest, survey_id: int, section_id: int) -> Any:
    survey = access_survey(by=request.user, pk=survey_id, capability=Capability.EDIT_RECORDS)
    section = access_section(by=request.user, survey=survey, pk=section_id)
    services.section_remove(by=request.user, section=section)
    return _detail(request, survey)


@router.post(
    "/{survey_id}/sections/{section_id}/move",
    response={200: SurveyDetailOut, **ERRORS},
    summary="Move a section one place up or down",
    operation_id="lantoa_surveys_api_section_move",
)
def section_move(request: HttpRequest, survey_id: int, section_id: int, body: SurveyMoveIn) -> Any:
    survey = access_survey(by=request.user, pk=survey_id, capability=Capability.EDIT_RECORDS)
    section = access_section(by=request.user, survey=survey, pk=section_id)
    services.section_move(by=request.user, section=section, direction=body.direction)
    return _detail(request, survey)


@router.post(
    "/{survey_id}/questions/{question_id}/move",
    response={200: SurveyDetailOut, **ERRORS},
    summary="Move a question one place up or down within its section",
    operation_id="lantoa_surveys_api_question_move",
)
def question_move(request: HttpRequest, survey_id: int, question_id: int, body: SurveyMoveIn) -> Any:
    survey = access_survey(by=request.user, pk=survey_id, capability=Capability.EDIT_RECORDS)
    question = access_question(by=request.user, survey=survey, pk=question_id)
    services.question_move(by=request.user, question=question, direction=body.direction)
    return _detail(request, survey)


@router.post(
    "/{survey_id}/sections/{section_id}/questions",
    response={201: SurveyDetailOut, **ERRORS},
    summary="Add a question (identifying questions are refused; sensitive ones flagged)",
    operation_id="lantoa_surveys_api_question_create",
)
def question_create(request: HttpRequest, survey_id: int, section_id: int, body: SurveyQuestionIn) -> Any:
    survey = access_survey(by=request.user, pk=survey_id, capability=Capability.EDIT_RECORDS)
    section = access_section(by=request.user, survey=survey, pk=section_id)
    services.question_add(by=request.user, section=section, fields=_question(body))
    return Status(201, _detail(request, survey))


@router.put(
    "/{survey_id}/questions/{question_id}",
    response={200: SurveyDetailOut, **ERRORS},
    summary="Change a question (a new version once it has answers)",
    operation_id="lantoa_surveys_api_question_update",
)
def question_update(request: HttpRequest, survey_id: int, question_id: int, body: SurveyQuestionIn) -> Any:
    survey = access_survey(by=request.user, pk=survey_id, capability=Capability.EDIT_RECORDS)
    question = access_question(by=request.user, survey=survey, pk=question_id)
    services.question_edit(by=request.user, question=question, fields=_question(body))
    return _detail(request, survey)


def _batch_out(batch: TokenBatch) -> dict[str, Any]:
    return {
        "id": batch.pk,
        "unit": batch.unit.code,
        "size": batch.size,
        "used": getattr(batch, "used", 0),
        "issued_on": batch.issued_on,
    }


@router.get(
    "/{survey_id}/batches",
    response={200: SurveyBatchListOut, **ERRORS},
    summary="Card batches of a survey",
    operation_id="lantoa_surveys_api_batch_list",
)
def batch_list(request: HttpRequest, survey_id: int) -> Any:
    survey = access_survey(by=request.user, pk=survey_id, capability=Capability.EDIT_RECORDS)
    items = [_batch_out(batch) for batch in selectors.batch_list(survey)]
    return {"items": items, "count": len(items)}


@router.post(
    "/{survey_id}/batches",
    response={201: SurveyBatchOut, **ERRORS},
    summary="Issue one-time cards for a unit of the audience",
    operation_id="lantoa_surveys_api_batch_create",
)
def batch_create(request: HttpRequest, survey_id: int, body: SurveyBatchIn) -> Any:
    survey = access_survey(by=request.user, pk=survey_id, capability=Capability.EDIT_RECORDS)
    try:
        unit = access_unit(by=request.user, code=body.unit)
    except NotFound as error:
        raise ValidationFailed(_("This unit is not in the survey's audience."), extra={"field": "unit"}) from error
    batch = services.batch_issue(by=request.user, survey=survey, unit=unit, size=body.size)
    return Status(201, _batch_out(batch))


def _sending_out(sending: Any) -> dict[str, Any]:
    return {
        "id": sending.pk,
        "unit": sending.batch.unit.code,
        "sent_on": sending.sent_on,
        "addresses": getattr(sending, "addresses", 0),
        "sent": sending.sent,
        "not_sent": sending.unreachable,
    }


@router.get(
    "/{survey_id}/links",
    response={200: SurveySendingListOut, **ERRORS},
    summary="Links of a survey sent by e-mail",
    operation_id="lantoa_surveys_api_links_list",
)
def links_list(request: HttpRequest, survey_id: int) -> Any:
    """Each sending's unit, day and counts; never the addresses nor which link went where."""
    survey = access_survey(by=request.user, pk=survey_id, capability=Capability.EDIT_RECORDS)
    items = [_sending_out(sending) for sending in selectors.link_sendings(survey)]
    return {"items": items, "count": len(items)}


@router.post(
    "/{survey_id}/links",
    response={201: SurveySendingOut, **ERRORS},
    summary="E-mail one answer link to each address, for a unit of the audience",
    operation_id="lantoa_surveys_api_links_send",
)
def links_send(request: HttpRequest, survey_id: int, body: SurveyLinksIn) -> Any:
    """A new batch of the unit's cards, shuffled, one link to each address (at most 500)."""
    survey = access_survey(by=request.user, pk=survey_id, capability=Capability.EDIT_RECORDS)
    try:
        unit = access_unit(by=request.user, code=body.unit)
    except NotFound as error:
        raise ValidationFailed(_("This unit is not in the survey's audience."), extra={"field": "unit"}) from error
    sending = services.links_send(
        by=request.user,
        survey=survey,
        unit=unit,
        addresses=body.emails,
        link_for=lambda code: request.build_absolute_uri(reverse("surveys_public:card", args=[code])),
    )
    return Status(201, _sending_out(selectors.link_sendings(survey).get(pk=sending.pk)))


@router.get(
    "/{survey_id}/response-rates",
    response={200: SurveyRatesOut, **ERRORS},
    summary="Answers ÷ cards issued per unit",
    operation_id="lantoa_surveys_api_response_rates",
)
def response_rates(request: HttpRequest, survey_id: int, filters: Query[SurveyStructureQuery]) -> Any:
    survey = access_survey(by=request.user, pk=survey_id)
    structure = filters.structure
    rows = selectors.response_rates(survey, structure=structure)
    items = [
        {
            "unit": rate.row.unit.code if rate.row.unit is not None else None,
            "label": rate.row.label,
            "issued": rate.issued,
            "answers": rate.answers,
            "rate": rate.rate,
        }
        for rate in rows
    ]
    return {"structure": structure, "items": items}


@router.get(
    "/{survey_id}/results",
    response={200: SurveyResultsOut, **ERRORS},
    summary="Results per question with small-group suppression",
    operation_id="lantoa_surveys_api_results",
)
def results(request: HttpRequest, survey_id: int, filters: Query[SurveyStructureQuery]) -> Any:
    survey = access_survey(by=request.user, pk=survey_id)
    found = selectors.survey_results(survey, structure=filters.structure)
    questions = []
    for question in found.questions:
        columns = [str(column.key) for column in question.columns]
        rows = [
            {
                "unit": row.unit.code if row.unit is not None else None,
                "label": row.label,
                "cells": [
                    {"column": column, "value": cell.value, "percent": cell.percent, "suppressed": cell.hidden}
                    for column, cell in zip(columns, cells, strict=True)
                ],
            }
            for row, cells in question.rows
        ]
        questions.append(
            {
                "question_id": question.version.question_id,
                "version": question.version.number,
                "kind": question.version.kind,
                "text": question.version.text,
                "columns": columns,
                "rows": rows,
                "mean": question.mean,
                "texts": question.texts,
                "texts_total": question.texts_total,
            }
        )
    return {"structure": found.structure, "answers": found.answers, "questions": questions}
