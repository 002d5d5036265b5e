from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from lantoa.accounts.current_unit import SESSION_KEY
from lantoa.web import views

pytestmark = pytest.mark.django_db


def test_home_renders_the_shell_for_a_signed_in_user(client_for, officer_a, tree):
    response = client_for(officer_a).get(reverse("web:home"))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="unit-breadcrumbs"' in html
    assert tree.commune_a1.name in html
    assert tree.district_a.name in html  # an ancestor in the breadcrumbs
    assert f'hx-headers=\'{{"X-CSRFToken": "{response.context["csrf_token"]}"}}\'' in html
    assert reverse("web:set_language") in html
    assert 'name="htmx-config"' in html


def test_switch_unit_moves_the_user_within_their_scope(client_for, officer_a, tree):
    client = client_for(officer_a)

    response = client.post(reverse("web:switch_unit"), {"unit": tree.cell_a1.code, "next": "/org/"})

    assert response.status_code == 302
    assert response["Location"] == "/org/"
    assert client.session[SESSION_KEY] == tree.cell_a1.code
    page = client.get(reverse("web:home")).content.decode()
    trail = page[page.index('data-testid="unit-breadcrumbs"') :]
    trail = trail[: trail.index("</ol>")]
    assert tree.cell_a1.name in trail and tree.commune_a1.name in trail


def test_switch_unit_accepts_a_unique_name_without_diacritics(client_for, officer_a, tree):
    client = client_for(officer_a)

    client.post(reverse("web:switch_unit"), {"unit": "phin ngan"})

    assert client.session[SESSION_KEY] == tree.cell_a1.code


def test_switch_unit_refuses_a_unit_outside_the_scope(client_for, officer_a, tree):
    client = client_for(officer_a)
    client.post(reverse("web:switch_unit"), {"unit": tree.commune_a1.code})

    response = client.post(reverse("web:switch_unit"), {"unit": tree.commune_b1.code, "next": "/"})

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == tree.commune_a1.code
    errors = [m for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
    assert len(errors) == 1 and tree.commune_b1.code in str(errors[0])
    assert tree.commune_b1.name not in str(errors[0])


def test_switch_unit_ignores_an_unsafe_next(client_for, officer_a, tree):
    response = client_for(officer_a).post(
        reverse("web:switch_unit"), {"unit": tree.cell_a1.code, "next": "https://evil.example/"}
    )

    assert response["Location"] == "/"


def test_switch_unit_needs_post(client_for, officer_a):
    assert client_for(officer_a).get(reverse("web:switch_unit")).status_code == 405


def test_unit_options_lists_only_units_in_scope(client_for, officer_a, tree):
    client = client_for(officer_a)

    html = client.get(reverse("web:unit_options"), {"unit": "xa"}, headers={"HX-Request": "true"}).content.decode()

    assert f'value="{tree.commune_a1.code}"' in html
    assert tree.commune_b1.code not in html  # "Đảng bộ xã Lương Sơn" matches "xa" but is not in scope
    assert "<html" not in html


def test_unit_options_without_a_query_lists_the_assignment_units(client_for, officer_a, tree):
    html = client_for(officer_a).get(reverse("web:unit_options")).content.decode()

    assert re.findall(r'value="([^"]+)"', html) == [tree.commune_a1.code]


def test_unit_options_for_an_administrator_covers_the_whole_province(client_for, admin_user, tree):
    html = client_for(admin_user).get(reverse("web:unit_options"), {"unit": "lương sơn"}).content.decode()

    assert f'value="{tree.commune_b1.code}"' in html


@pytest.mark.parametrize(
    ("language", "title"),
    [("en", "Page not found"), ("vi", None)],
)
def test_404_page_for_anonymous_users_in_both_languages(language, title):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = client.get("/accounts/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert 'data-testid="error-page"' in html
    if title:
        assert title in html


def test_404_page_for_a_signed_in_user_keeps_the_shell(client_for, officer_a):
    response = client_for(officer_a).get("/no-such-page/")

    assert response.status_code == 404
    assert 'data-testid="unit-breadcrumbs"' in response.content.decode()


@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize(
    ("handler", "status"),
    [(views.error_403, 403), (views.error_404, 404), (views.error_500, 500)],
)
def test_error_handlers_render_for_anonymous_users(rf: RequestFactory, handler, status, language):
    from django.utils import translation

    request = rf.get("/somewhere/")
    request.user = AnonymousUser()
    with translation.override(language):
        response = handler(request) if handler is views.error_500 else handler(request, Exception("x"))

    assert response.status_code == status
    assert f'<html lang="{language}">' in response.content.decode()


def test_500_page_falls_back_to_a_plain_page_when_the_layout_fails(rf: RequestFactory, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database is down")

    monkeypatch.setattr(views, "_error", broken)
    request = rf.get("/")
    request.user = AnonymousUser()

    with translation.override("en"):
        response = views.error_500(request)

    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_csp_header_is_strict():
    response = Client().get(reverse("accounts:login"))

    policy = response["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_set_language_saves_the_choice_on_the_account(client_for, officer_a):
    client = client_for(officer_a)

    response = client.post(reverse("web:set_language"), {"language": "en", "next": "/"})

    assert response.status_code == 302
    officer_a.refresh_from_db()
    assert officer_a.language == "en"
    assert '<html lang="en">' in client.get("/").content.decode()

    client.post(reverse("web:set_language"), {"language": "vi", "next": "/"})
    officer_a.refresh_from_db()
    assert officer_a.language == "vi"
    assert '<html lang="vi">' in client.get("/").content.decode()


def test_set_language_for_anonymous_users_sets_the_cookie():
    client = Client()

    response = client.post(reverse("web:set_language"), {"language": "en", "next": "/accounts/login/"})

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in client.get(reverse("accounts:login")).content.decode()


def test_set_language_ignores_an_unknown_language(client_for, officer_a):
    client_for(officer_a).post(reverse("web:set_language"), {"language": "xx", "next": "/"})

    officer_a.refresh_from_db()
    assert officer_a.language == "vi"


def test_vietnamese_dates_use_day_month_year(client_for, officer_a):
    html = client_for(officer_a).get(reverse("web:home"), {"start": "2022-03-08", "end": "2022-08-08"}).content.decode()

    assert "8/3/2022" in html and "8/8/2022" in html  # the dashboard's period, as offices write it


# --- Templates follow the strict CSP ---------------------------------------------------------

TEMPLATE_ROOT = Path(settings.BASE_DIR) / "lantoa"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]*\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.IGNORECASE)


def _templates() -> list[Path]:
    return [path for path in TEMPLATE_ROOT.glob("*/templates/**/*.html") if "email" not in path.parts]


@pytest.mark.parametrize("pattern", [INLINE_SCRIPT, INLINE_STYLE, EVENT_HANDLER], ids=["script", "style", "handler"])
def test_no_template_has_inline_script_or_style(pattern):
    offenders = [str(path.relative_to(TEMPLATE_ROOT)) for path in _templates() if pattern.search(path.read_text())]

    assert offenders == []
