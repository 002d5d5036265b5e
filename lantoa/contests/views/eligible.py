"""A restricted contest's list of eligible people: the page (counts, search, upload, removal),
the template and the list with registration codes for the units to hand out."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lantoa.accounts.roles import Capability
from lantoa.contests import bank_io, eligible_io, selectors
from lantoa.contests.forms import ExternalResultsForm
from lantoa.contests.models import Audience
from lantoa.contests.permissions import access_contest, access_eligible
from lantoa.contests.services.eligible import eligible_import, eligible_remove
from lantoa.contests.views.banks import _page
from lantoa.contests.views.files import _english, handle_upload
from lantoa.core.errors import ApplicationError


@require_http_methods(["GET", "POST"])
def contest_eligible(request: HttpRequest, pk: int) -> HttpResponse:
    contest = access_contest(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    upload = handle_upload(
        request, ExternalResultsForm, lambda file: eligible_import(by=request.user, contest=contest, file=file)
    )
    if upload.result is not None:
        messages.success(request, upload.result.summary())
        return redirect("contests:contest_eligible", contest.pk)
    q = (request.GET.get("q") or "").strip()[:200]
    page, query = _page(request, selectors.contest_eligible(contest, q=q))
    context = {
        "contest": contest,
        "restricted": contest.audience == Audience.RESTRICTED,
        "counts": selectors.eligible_counts(contest),
        "form": upload.form,
        "problems": upload.problems,
        "more_problems": upload.more_problems,
        "page": page,
        "query": query,
        "q": q,
        "columns": eligible_io.COLUMNS,
    }
    return render(request, "contests/eligible.html", context, status=upload.status)


@require_POST
def contest_eligible_remove(request: HttpRequest, contest_id: int, eligible_id: int) -> HttpResponse:
    person = access_eligible(by=request.user, contest_id=contest_id, pk=eligible_id)
    try:
        eligible_remove(by=request.user, person=person)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s was taken off the list.") % {"name": person.name})
    return redirect("contests:contest_eligible", contest_id)


@require_GET
def contest_eligible_template(request: HttpRequest, pk: int) -> HttpResponse:
    access_contest(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    english = _english()
    response = HttpResponse(eligible_io.eligible_template(english=english), content_type=bank_io.XLSX_TYPE)
    name = "lantoa-eligible.xlsx" if english else "lantoa-danh-sach-du-thi.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def contest_eligible_export(request: HttpRequest, pk: int) -> HttpResponse:
    contest = access_contest(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    content = eligible_io.eligible_xlsx(selectors.contest_eligible(contest).iterator(), english=_english())
    response = HttpResponse(content, content_type=bank_io.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="contest-{contest.pk}-eligible.xlsx"'
    return response
