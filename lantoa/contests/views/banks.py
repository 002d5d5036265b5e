"""Pages of question banks: the list, creating one, changing it, and a bank with its questions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lantoa.accounts.current_unit import current_unit
from lantoa.accounts.roles import Capability
from lantoa.contests import selectors, services
from lantoa.contests.forms import BankEditForm, BankForm, QuestionFilterForm
from lantoa.contests.permissions import (
    access_bank,
    access_organising_unit,
    may_change,
    may_create_banks,
    may_keep_bank_of,
    require_bank_reader,
)
from lantoa.core.errors import ApplicationError, NotFound
from lantoa.core.htmx import wants_fragment

PAGE_SIZE = 50


def _page(request: HttpRequest, rows: Any) -> tuple[Any, str]:
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def bank_list(request: HttpRequest) -> HttpResponse:
    require_bank_reader(request.user)
    q = (request.GET.get("q") or "").strip()[:200]
    page, query = _page(request, selectors.bank_list_for_user(request.user, q=q))
    context = {"page": page, "query": query, "q": q, "may_create": may_create_banks(request.user)}
    return render(request, "contests/bank_list.html", context)


@require_http_methods(["GET", "POST"])
def bank_new(request: HttpRequest) -> HttpResponse:
    if not may_create_banks(request.user):
        raise NotFound(_("Page not found."))
    initial = organiser_initial(request)
    form = BankForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            owner = access_organising_unit(
                by=request.user,
                code=form.cleaned_data["unit"],
                refusal=_("Your role does not allow keeping question banks of %(unit)s."),
            )
            data = services.BankData(
                unit=owner, name=form.cleaned_data["name"], description=form.cleaned_data["description"]
            )
            bank = services.bank_create(by=request.user, data=data).obj
        except ApplicationError as error:
            show_organiser_error(form, error)
        else:
            messages.success(request, _("The bank was created. Add questions or import them."))
            return redirect("contests:bank_detail", bank.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "contests/bank_form.html", {"form": form, "bank": None}, status=status)


def organiser_initial(request: HttpRequest) -> dict[str, str]:
    """A new bank's or contest's unit: the current unit when its viewer keeps banks for it."""
    unit = current_unit(request)
    return {"unit": unit.code if unit is not None and may_keep_bank_of(request.user, unit) else ""}


def show_organiser_error(form: Any, error: ApplicationError) -> None:
    """A refusal of the organising unit (missing or out of scope) belongs to its field."""
    if error.extra.get("field") is None and isinstance(error, NotFound):
        form.add_error("unit", error.message)
    else:
        form.show_error(error)


@require_http_methods(["GET", "POST"])
def bank_edit(request: HttpRequest, pk: int) -> HttpResponse:
    bank = access_bank(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    form = BankEditForm(request.POST or None, initial={"name": bank.name, "description": bank.description})
    if request.method == "POST" and form.is_valid():
        try:
            services.bank_update(
                by=request.user,
                bank=bank,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except ApplicationError as error:
            form.show_error(error)
        else:
            messages.success(request, _("The bank was saved."))
            return redirect("contests:bank_detail", bank.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "contests/bank_form.html", {"form": form, "bank": bank}, status=status)


def bank_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bank = access_bank(by=request.user, pk=pk)
    tags = selectors.bank_tags(bank)
    form = QuestionFilterForm(request.GET or None, tags=[t.name for t in tags])
    filters = form.cleaned_data if form.is_valid() else {}
    questions = selectors.bank_questions(
        bank, tag=filters.get("tag") or "", q=filters.get("q") or "", retired=bool(filters.get("retired"))
    )
    page, query = _page(request, questions)
    context = {
        "bank": bank,
        "tags": tags,
        "form": form,
        "page": page,
        "query": query,
        "may_change": may_change(request.user, bank),
    }
    if wants_fragment(request):
        return render(request, "contests/partials/_question_table.html", context)
    return render(request, "contests/bank_detail.html", context)
