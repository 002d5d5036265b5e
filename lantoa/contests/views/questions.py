"""Pages of questions: adding one with a live preview of how a contestant will see it, its
history, revising it (a new version) and retiring it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lantoa.accounts.roles import Capability
from lantoa.contests import selectors, services
from lantoa.contests.forms import QuestionForm
from lantoa.contests.models import Kind, QuestionBank
from lantoa.contests.permissions import access_bank, access_question, may_change
from lantoa.core.errors import ApplicationError, ValidationFailed
from lantoa.library.permissions import documents_visible_to


def _preview(form: QuestionForm) -> dict[str, Any]:
    """What the preview shows: the question as a contestant sees it (no answer key), and apart
    from it the key and every problem the service would raise."""
    form.is_valid()  # fills cleaned_data with the fields that read well
    clean = services.question_check(form.to_data())
    return {
        "preview": clean,
        "preview_multiple": clean.kind == Kind.MULTIPLE,
        "preview_problems": list(clean.problems.values()),
    }


def _source(request: HttpRequest, form: QuestionForm, question: Any) -> tuple[bool, Any]:
    """(found, document) for the form's source field: a library document the user may read, by
    its number and symbol or its id. A source the user cannot read stays as it was."""
    text = (form.cleaned_data.get("source") or "").strip()
    visible = documents_visible_to(request.user)
    if not text:
        current = question.source_document if question is not None else None
        if current is not None and not visible.filter(pk=current.pk).exists():
            return True, current
        return True, None
    document = visible.filter(pk=int(text)).first() if text.isdigit() else None
    if document is None:
        document = visible.filter(number__iexact=text).order_by("-pk").first()
    if document is None:
        form.add_error("source", _("No document with this number or id in the library."))
        return False, None
    return True, document


def _source_text(request: HttpRequest, question: Any) -> str:
    document = question.source_document
    if document is None or not documents_visible_to(request.user).filter(pk=document.pk).exists():
        return ""
    return document.number or str(document.pk)


def _saved(request: HttpRequest, form: QuestionForm, bank: QuestionBank, question: Any = None) -> Any:
    if not form.is_valid():
        return None
    found, document = _source(request, form, question)
    if not found:
        return None
    data = form.to_data(source_document=document)
    try:
        if question is None:
            return services.question_create(by=request.user, bank=bank, data=data).obj
        return services.question_revise(by=request.user, question=question, data=data)
    except ValidationFailed as error:
        form.show_problems(error.extra.get("errors") or {error.extra.get("field", ""): error.message})
    except ApplicationError as error:
        form.add_error("ref" if error.extra.get("field") == "ref" else None, error.message)
    return None


@require_http_methods(["GET", "POST"])
def question_new(request: HttpRequest, pk: int) -> HttpResponse:
    bank = access_bank(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and "preview" not in request.POST:
        question = _saved(request, form, bank)
        if question is not None:
            messages.success(request, _("The question was added."))
            if "another" in request.POST:
                return redirect("contests:question_new", bank.pk)
            return redirect("contests:bank_detail", bank.pk)
    context = {"bank": bank, "form": form, "question": None, **_preview(form)}
    status = 422 if request.method == "POST" and form.errors and "preview" not in request.POST else 200
    return render(request, "contests/question_form.html", context, status=status)


@require_POST
def question_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The preview fragment for the form as it is being typed (htmx)."""
    access_bank(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    return render(request, "contests/partials/_preview.html", _preview(QuestionForm(request.POST)))


def question_detail(request: HttpRequest, pk: int) -> HttpResponse:
    question = access_question(by=request.user, pk=pk)
    context = {
        "question": question,
        "bank": question.bank,
        "tags": selectors.question_tag_names(question),
        "versions": selectors.question_versions(question),
        "may_change": may_change(request.user, question.bank),
        "source_visible": question.source_document_id is not None
        and documents_visible_to(request.user).filter(pk=question.source_document_id).exists(),
    }
    return render(request, "contests/question_detail.html", context)


@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = access_question(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    if question.retired_at is not None or question.current is None:
        messages.error(request, _("A retired question cannot be revised."))
        return redirect("contests:question_detail", question.pk)
    initial = QuestionForm.initial_from(question, question.current, selectors.question_tag_names(question))
    initial["source"] = _source_text(request, question)
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and "preview" not in request.POST:
        saved = _saved(request, form, question.bank, question)
        if saved is not None:
            if saved.version_count > question.version_count:
                messages.success(
                    request, _("Version %(number)s was saved; the earlier ones stay.") % {"number": saved.version_count}
                )
            else:
                messages.success(request, _("The question was saved."))
            return redirect("contests:question_detail", question.pk)
    if request.method == "GET":
        form = QuestionForm(initial=initial)
        preview_form = QuestionForm({**initial, "correct": initial["correct"]})
    else:
        preview_form = QuestionForm(request.POST)
    context = {
        "bank": question.bank,
        "form": form,
        "question": question,
        "next_version": question.version_count + 1,
        **_preview(preview_form),
    }
    status = 422 if request.method == "POST" and form.errors and "preview" not in request.POST else 200
    return render(request, "contests/question_form.html", context, status=status)


@require_POST
def question_retire(request: HttpRequest, pk: int) -> HttpResponse:
    question = access_question(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    services.question_retire(by=request.user, question=question)
    messages.success(request, _("The question was retired: it is no longer drawn; its versions stay."))
    return redirect("contests:question_detail", question.pk)
