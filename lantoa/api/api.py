"""The one NinjaAPI object. Each app contributes a router from its own ``api.py``.

To add a module's endpoints: write ``lantoa/<app>/api.py`` with a ``router`` and add it below.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import URLPattern, URLResolver, include, path
from django.urls.resolvers import RoutePattern
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from lantoa.accounts.api_auth import AUTH
from lantoa.core.api_input import BodyTooLarge, MalformedMultipart, StrictJSONParser
from lantoa.core.errors import ApplicationError, TooManyRequests

api = NinjaAPI(
    title="Lantoa API",
    version="1",
    description=(
        "Authenticate with `Authorization: Bearer <token>` (create one under My account → API tokens, "
        "or `python manage.py create_api_token USERNAME`) or with the browser session. Lists answer "
        '`{"items": [...], "count": N}`; errors answer `{"code", "message", "extra"}`.'
    ),
    auth=AUTH,
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=StrictJSONParser(),
)


def _error(request: HttpRequest, status: int, code: str, message: str, extra: dict | None = None) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, "extra": extra or {}}, status=status)


@api.exception_handler(ApplicationError)
def on_application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    response = _error(request, exc.status, exc.code, exc.message, exc.extra)
    if isinstance(exc, TooManyRequests):
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [{"loc": [str(part) for part in err.get("loc", [])], "msg": str(err.get("msg", ""))} for err in exc.errors]
    return _error(request, 422, "invalid_input", _("The request is not valid."), {"errors": errors})


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "not_authenticated", _("Sign in or send a valid API token."))


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", _("Not found."))


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # ninja wraps whatever the body parser raises in a 400; the parser's own errors say better.
    if isinstance(exc.__cause__, ApplicationError):
        return on_application_error(request, exc.__cause__)
    return _error(request, exc.status_code, "http_error", str(exc))


@api.exception_handler(RequestDataTooBig)
def on_body_too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    error = BodyTooLarge(_("The request body is too large."), extra={"max_bytes": limit})
    return on_application_error(request, error)


@api.exception_handler(MultiPartParserError)
@api.exception_handler(TooManyFieldsSent)
@api.exception_handler(TooManyFilesSent)
def on_malformed_multipart(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A form upload Django cannot read (no boundary, too many parts): the client's mistake."""
    error = MalformedMultipart(
        _("The upload could not be read as multipart/form-data."), extra={"error": str(exc)[:200]}
    )
    return on_application_error(request, error)


def _mount_routers() -> None:
    from lantoa.accounts.api import audit_router
    from lantoa.accounts.api import router as accounts_router
    from lantoa.contests.api import router as contests_router
    from lantoa.judging.api import router as judging_router
    from lantoa.library.api import router as library_router
    from lantoa.meetings.api import router as meetings_router
    from lantoa.org.api import events_router, figures_router, indicators_router
    from lantoa.org.api import router as org_router
    from lantoa.people.api import router as people_router
    from lantoa.plans.api import router as plans_router
    from lantoa.reports.api import router as reports_router
    from lantoa.reports.report_api import documents_router as report_documents_router
    from lantoa.reports.report_api import templates_router as report_templates_router
    from lantoa.reports.term_api import router as report_terms_router
    from lantoa.surveys.api import router as surveys_router

    api.add_router("/", accounts_router)
    api.add_router("/units", org_router)
    api.add_router("/events", events_router)
    api.add_router("/indicators", indicators_router)
    api.add_router("/figures", figures_router)
    api.add_router("/audit", audit_router)
    api.add_router("/people", people_router)
    api.add_router("/library", library_router)
    api.add_router("/meetings", meetings_router)
    api.add_router("/contests", contests_router)
    api.add_router("/judging", judging_router)
    api.add_router("/plans", plans_router)
    api.add_router("/surveys", surveys_router)
    api.add_router("/reports", reports_router)
    api.add_router("/reports/documents", report_documents_router)
    api.add_router("/reports/templates", report_templates_router)
    api.add_router("/reports/terms", report_terms_router)


_mount_routers()


def grouped_urls() -> tuple[list[URLPattern | URLResolver], str, str]:
    """The API's addresses for the URLconf, grouped under one prefix per first path segment.

    Ninja lists its ~200 endpoints flat, so resolving ``surveys/answer`` tried every earlier
    module's patterns first (a third of a public write's time was spent there). Grouping keeps
    each endpoint's route, name and order within its group; patterns of different groups never
    match the same path, because their first segments differ."""
    patterns, app_name, namespace = api.urls
    grouped: list[URLPattern | URLResolver] = []
    groups: dict[str, list[URLPattern | URLResolver]] = {}
    for pattern in patterns:
        route = str(pattern.pattern)
        head, slash, rest = route.partition("/")
        if not slash or "<" in head or not isinstance(pattern, URLPattern):
            grouped.append(pattern)
            continue
        if head not in groups:
            groups[head] = []
            grouped.append(path(f"{head}/", include(groups[head])))
        groups[head].append(
            URLPattern(
                RoutePattern(rest, name=pattern.name, is_endpoint=True),
                pattern.callback,
                pattern.default_args,
                pattern.name,
            )
        )
    return grouped, app_name, namespace
