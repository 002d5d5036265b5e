from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language

from lantoa.api.api import grouped_urls

urlpatterns = [
    # The API first: its prefix is tried once, where the pages' empty prefixes would make every
    # API request (public answers and submissions among them) try each page's pattern first.
    path("api/v1/", grouped_urls()),
    path("", include("lantoa.reports.urls")),  # "/" is the unit's dashboard; web:home names the same address
    path("", include("lantoa.web.urls")),
    path("accounts/", include("lantoa.accounts.urls")),
    path("org/", include("lantoa.org.urls")),
    path("people/", include("lantoa.people.urls")),
    path("library/", include("lantoa.library.urls")),
    path("", include("lantoa.library.public_urls")),
    path("meetings/", include("lantoa.meetings.urls")),
    path("", include("lantoa.meetings.public_urls")),
    path("contests/", include("lantoa.contests.urls")),
    path("judging/", include("lantoa.judging.urls")),
    path("plans/", include("lantoa.plans.urls")),
    path("surveys/", include("lantoa.surveys.urls")),
    path("", include("lantoa.surveys.public_urls")),
    path("audit/", include("lantoa.accounts.audit_urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("i18n/catalog.js", login_not_required(JavaScriptCatalog.as_view()), name="javascript-catalog"),
    path("admin/", admin.site.urls),
]

handler403 = "lantoa.web.views.error_403"
handler404 = "lantoa.web.views.error_404"
handler500 = "lantoa.web.views.error_500"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
