"""The organiser's pages: the list of surveys, a survey's questionnaire, its cards and its results.

Each view parses, calls a gate (out of scope answers exactly like missing), calls a service or a
selector and renders. Results and their export go through the suppression of
:mod:`lantoa.surveys.suppression`; raw answers are shown and exported nowhere.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lantoa.accounts.roles import Capability
from lantoa.core.errors import ApplicationError, NotFound
from lantoa.org.models import Tier
from lantoa.org.permissions import access_unit
from lantoa.surveys import selectors, services
from lantoa.surveys.cards import cards_pdf
from lantoa.surveys.exports import XLSX_TYPE, results_xlsx
from lantoa.surveys.forms import BatchForm, LinkSendingForm, NewSurveyForm, QuestionForm, SectionForm, SurveyForm
from lantoa.surveys.models import CHOICE_KINDS, Survey, SurveyMode, SurveyStatus, TokenBatch
from lantoa.surveys.permissions import (
    access_question,
    access_section,
    access_survey,
    may_change,
    may_plan,
    may_plan_anywhere,
    require_planner,
)


def _owner(by: Any, code: str) -> Any:
    unit = access_unit(by=by, code=code)
    if not may_plan(by, unit):
        raise NotFound(_("No such unit."), extra={"field": "owner"})
    return unit


def _fields(by: Any, data: dict[str, Any]) -> services.SurveyFields:
    try:
        root = access_unit(by=by, code=data["audience_root"])
    except NotFound as error:
        raise NotFound(error.message, extra={"field": "audience_root"}) from error
    tier = None
    if data.get("audience_tier"):
        tier = Tier.objects.filter(code=data["audience_tier"]).first()
        if tier is None:
            raise NotFound(_("No such tier."), extra={"field": "audience_tier"})
    conference = None
    if data.get("audience_conference"):
        from lantoa.meetings.permissions import conferences_visible_to

        conference = conferences_visible_to(by).filter(pk=data["audience_conference"]).first()
        if conference is None:
            raise NotFound(_("No such conference."), extra={"field": "audience_conference"})
    return services.SurveyFields(
        title_vi=data["title_vi"],
        title_en=data.get("title_en", ""),
        intro_vi=data.get("intro_vi", ""),
        intro_en=data.get("intro_en", ""),
        opens_on=data["opens_on"],
        closes_on=data["closes_on"],
        audience_root=root,
        audience_tier=tier,
        audience_conference=conference,
        mode=data["mode"],
    )


@require_GET
def survey_list(request: HttpRequest) -> HttpResponse:
    surveys = selectors.survey_list_for_user(request.user)[:200]
    return render(request, "surveys/list.html", {"surveys": surveys, "may_create": may_plan_anywhere(request.user)})


@require_http_methods(["GET", "POST"])
def survey_new(request: HttpRequest) -> HttpResponse:
    require_planner(request.user)
    form = NewSurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            owner = _owner(request.user, data["owner"])
            fields = _fields(request.user, data)
            if data.get("template"):
                survey = services.survey_from_template(
                    by=request.user, key=data["template"], owner=owner, fields=fields
                )
            else:
                survey = services.survey_create(by=request.user, owner=owner, fields=fields)
            messages.success(request, _("Survey created. Check its questions, then open it."))
            return redirect("surveys:detail", pk=survey.pk)
        except ApplicationError as error:
            form.show_error(error)
    return render(request, "surveys/form.html", {"form": form, "heading": _("New survey")})


@require_http_methods(["GET", "POST"])
def survey_edit(request: HttpRequest, pk: int) -> HttpResponse:
    survey = access_survey(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    initial = {
        "owner": survey.owner.code,
        "audience_root": survey.audience_root.code,
        "audience_tier": survey.audience_tier.code if survey.audience_tier else "",
        "audience_conference": survey.audience_conference_id,
        "title_vi": survey.title_vi,
        "title_en": survey.title_en,
        "intro_vi": survey.intro_vi,
        "intro_en": survey.intro_en,
        "opens_on": survey.opens_on,
        "closes_on": survey.closes_on,
        "mode": survey.mode,
    }
    form = SurveyForm(request.POST or None, initial=initial)
    form.fields["owner"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_update(by=request.user, survey=survey, fields=_fields(request.user, form.cleaned_data))
            messages.success(request, _("Survey saved."))
            return redirect("surveys:detail", pk=survey.pk)
        except ApplicationError as error:
            form.show_error(error)
    return render(request, "surveys/form.html", {"form": form, "heading": _("Edit the survey"), "survey": survey})


@require_GET
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = access_survey(by=request.user, pk=pk)
    editable = may_change(request.user, survey)
    context: dict[str, Any] = {
        "survey": survey,
        "sections": selectors.survey_sections(survey),
        "may_change": editable,
        "statuses": SurveyStatus,
        "tokens_mode": survey.mode == SurveyMode.TOKENS,
    }
    if survey.mode == SurveyMode.TOKENS:
        context["batches"] = selectors.batch_list(survey)
        if editable and survey.status != SurveyStatus.CLOSED:
            units = list(selectors.audience_units(survey)[:2000])
            context["batch_form"] = BatchForm(units=units)
            context["sending_form"] = LinkSendingForm(units=units, prefix=LINKS_PREFIX)
        context["sendings"] = selectors.link_sendings(survey)
    elif survey.link_code:
        context["open_url"] = request.build_absolute_uri(reverse("surveys_public:open", args=[survey.link_code]))
    if editable:
        context["section_form"] = SectionForm()
    return render(request, "surveys/detail.html", context)


@require_POST
def survey_status(request: HttpRequest, pk: int) -> HttpResponse:
    survey = access_survey(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    try:
        services.survey_set_status(by=request.user, survey=survey, status=request.POST.get("status", ""))
        messages.success(request, _("Survey status changed."))
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("surveys:detail", pk=survey.pk)


@require_POST
def section_new(request: HttpRequest, pk: int) -> HttpResponse:
    survey = access_survey(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    form = SectionForm(request.POST)
    if form.is_valid():
        try:
            services.section_add(by=request.user, survey=survey, **form.cleaned_data)
            messages.success(request, _("Section added."))
        except ApplicationError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("Write the section's title."))
    return redirect("surveys:detail", pk=survey.pk)


def section_edit(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    survey = access_survey(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    section = access_section(by=request.user, survey=survey, pk=section_pk)
    form = SectionForm(request.POST or None, initial={"title_vi": section.title_vi, "title_en": section.title_en})
    if request.method == "POST" and form.is_valid():
        try:
            services.section_edit(by=request.user, section=section, **form.cleaned_data)
        except ApplicationError as error:
            form.show_error(error)
        else:
            messages.success(request, _("Section renamed."))
            return redirect("surveys:detail", pk=survey.pk)
    return render(request, "surveys/section_form.html", {"survey": survey, "section": section, "form": form})


@require_POST
def section_move(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    survey = access_survey(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    section = access_section(by=request.user, survey=survey, pk=section_pk)
    try:
        services.section_move(by=request.user, section=section, direction=request.POST.get("direction", ""))
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect(reverse("surveys:detail", args=[survey.pk]) + f"#section-{section.pk}")


@require_POST
def section_remove(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    survey = access_survey(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    section = access_section(by=request.user, survey=survey, pk=section_pk)
    try:
        services.section_remove(by=request.user, section=section)
        messages.success(request, _("Section removed."))
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("surveys:detail", pk=survey.pk)


@require_POST
def question_move(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    survey = access_survey(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    question = access_question(by=request.user, survey=survey, pk=question_pk)
    try:
        services.question_move(by=request.user, question=question, direction=request.POST.get("direction", ""))
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect(reverse("surveys:detail", args=[survey.pk]) + f"#section-{question.section_id}")


def _question_fields(data: dict[str, Any]) -> services.QuestionFields:
    return services.QuestionFields(
        kind=data["kind"],
        text_vi=data["text_vi"],
        text_en=data.get("text_en") or "",
        options=data.get("options") or (),
        required=bool(data.get("required")),
        scale=data.get("scale"),
        minimum=data.get("minimum"),
        maximum=data.get("maximum"),
    )


@require_http_methods(["GET", "POST"])
def question_new(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    survey = access_survey(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    section = access_section(by=request.user, survey=survey, pk=section_pk)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            question = services.question_add(
                by=request.user, section=section, fields=_question_fields(form.cleaned_data)
            )
            _sensitive_notice(request, question)
            return redirect("surveys:detail", pk=survey.pk)
        except ApplicationError as error:
            form.show_error(error)
    context = {"form": form, "heading": _("New question"), "survey": survey, "section": section}
    return render(request, "surveys/question_form.html", context)


def _sensitive_notice(request: HttpRequest, question: Any) -> None:
    question.refresh_from_db()
    if question.current and question.current.sensitive:
        messages.warning(
            request,
            _(
                "Saved, with a warning: this question touches political views, party membership or religion, "
                "which are sensitive personal data. Ask it only if the survey needs it."
            ),
        )
    else:
        messages.success(request, _("Question saved."))


@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    survey = access_survey(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    question = access_question(by=request.user, survey=survey, pk=question_pk)
    current = question.current
    initial: dict[str, Any] = {}
    if current is not None:
        initial = {
            "kind": current.kind,
            "text_vi": current.text_vi,
            "text_en": current.text_en,
            "options": "\n".join(
                f"{option.text_vi} | {option.text_en}" if option.text_en else option.text_vi
                for option in current.options.all()
            )
            if current.kind in CHOICE_KINDS
            else "",
            "scale": current.scale,
            "minimum": current.minimum,
            "maximum": current.maximum,
            "required": current.required,
        }
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_edit(by=request.user, question=question, fields=_question_fields(form.cleaned_data))
            _sensitive_notice(request, question)
            return redirect("surveys:detail", pk=survey.pk)
        except ApplicationError as error:
            form.show_error(error)
    context = {"form": form, "heading": _("Edit the question"), "survey": survey, "question": question}
    return render(request, "surveys/question_form.html", context)


@require_POST
def batch_new(request: HttpRequest, pk: int) -> HttpResponse:
    survey = access_survey(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    units = list(selectors.audience_units(survey)[:2000])
    form = BatchForm(request.POST, units=units)
    if form.is_valid():
        unit = next(unit for unit in units if unit.pk == form.cleaned_data["unit"])
        try:
            services.batch_issue(by=request.user, survey=survey, unit=unit, size=form.cleaned_data["size"])
            messages.success(request, _("Cards issued. Print them from the list of batches."))
        except ApplicationError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
    return redirect("surveys:detail", pk=survey.pk)


# The sending form shares the page with the batch form: its own prefix keeps the fields' ids apart.
LINKS_PREFIX = "links"


@require_POST
def links_send(request: HttpRequest, pk: int) -> HttpResponse:
    """E-mail one answer link to each address given, for a unit of the audience."""
    survey = access_survey(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    units = list(selectors.audience_units(survey)[:2000])
    form = LinkSendingForm(request.POST, units=units, prefix=LINKS_PREFIX)
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
        return redirect("surveys:detail", pk=survey.pk)
    unit = next(unit for unit in units if unit.pk == form.cleaned_data["unit"])
    try:
        sending = services.links_send(
            by=request.user,
            survey=survey,
            unit=unit,
            addresses=form.cleaned_data["emails"],
            link_for=lambda code: request.build_absolute_uri(reverse("surveys_public:card", args=[code])),
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(sent)s links sent, %(unreachable)s could not be sent.")
            % {"sent": sending.sent, "unreachable": sending.unreachable},
        )
    return redirect("surveys:detail", pk=survey.pk)


@require_GET
def batch_cards(request: HttpRequest, pk: int, batch_pk: int) -> HttpResponse:
    survey = access_survey(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    batch = TokenBatch.objects.filter(survey=survey, pk=batch_pk).first()
    if batch is None:
        raise NotFound(_("No such batch."), extra={"id": batch_pk})
    codes = selectors.batch_tokens(batch)
    pdf = cards_pdf(
        title=survey.title,
        codes=codes,
        url_for=lambda code: request.build_absolute_uri(reverse("surveys_public:card", args=[code])),
        code_page=request.build_absolute_uri(reverse("surveys_public:code")),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-cards-{batch.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


def _structure(request: HttpRequest) -> str:
    structure = request.GET.get("structure", selectors.HISTORICAL)
    return structure if structure in selectors.STRUCTURES else selectors.HISTORICAL


@require_GET
def survey_results(request: HttpRequest, pk: int) -> HttpResponse:
    survey = access_survey(by=request.user, pk=pk)
    structure = _structure(request)
    context = {
        "survey": survey,
        "structure": structure,
        "results": selectors.survey_results(survey, structure=structure),
        "rates": selectors.response_rates(survey, structure=structure),
        "tokens_mode": survey.mode == SurveyMode.TOKENS,
        "kinds": {"number": "number", "text": "text"},
    }
    return render(request, "surveys/results.html", context)


@require_GET
def survey_results_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    survey: Survey = access_survey(by=request.user, pk=pk)
    structure = _structure(request)
    content = results_xlsx(
        selectors.survey_results(survey, structure=structure), selectors.response_rates(survey, structure=structure)
    )
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-results-{structure}.xlsx"'
    return response
