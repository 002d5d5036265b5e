"""My account and account management pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from lantoa.accounts.models import Assignment, User
from lantoa.accounts.tests.factories import PASSWORD, make_user
from lantoa.core.models import AuditEntry
from lantoa.org.selectors import today

pytestmark = pytest.mark.django_db

MANAGE = reverse("accounts:manage")


@pytest.fixture
def manager_a(tree):  # type: ignore[no-untyped-def]
    return make_user(role="manager", unit=tree.district_a, username="manager_a")


# --- My account -----------------------------------------------------------------------------------


def test_my_account_page_shows_every_section(officer_a, client_for):
    response = client_for(officer_a).get(reverse("accounts:my_account"))
    assert response.status_code == 200
    for testid in ("account-language-form", "password-change-form", "two-factor-section", "api-tokens"):
        assert f'data-testid="{testid}"'.encode() in response.content
    assert b'style="' not in response.content and b"<script>" not in response.content


def test_language_is_saved_on_the_account(officer_a, client_for):
    client = client_for(officer_a)
    response = client.post(reverse("accounts:set_language"), {"language": "en"})
    assert response.status_code == 302
    officer_a.refresh_from_db()
    assert officer_a.language == "en"
    assert client.get(reverse("accounts:my_account")).headers["Content-Language"] == "en"
    assert client.post(reverse("accounts:set_language"), {"language": "xx"}).status_code == 422


def test_password_change_keeps_the_session_and_is_audited(officer_a, client_for):
    client = client_for(officer_a)
    new = "another long passphrase 7"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:my_account")).status_code == 200
    officer_a.refresh_from_db()
    assert officer_a.check_password(new)
    assert AuditEntry.objects.filter(action="lantoa.accounts.user.password_changed", actor=officer_a).exists()


def test_password_change_needs_the_old_password(officer_a, client_for):
    new = "another long passphrase 7"
    response = client_for(officer_a).post(
        reverse("accounts:password_change"), {"old_password": "wrong", "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 422
    officer_a.refresh_from_db()
    assert officer_a.check_password(PASSWORD)


def test_pages_need_login(tree):
    response = Client().get(reverse("accounts:my_account"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


# --- Account management ----------------------------------------------------------------------------


def test_manager_sees_users_in_scope_only(manager_a, officer_a, tree, client_for):
    make_user(role="officer", unit=tree.commune_b1, username="officer_b")
    response = client_for(manager_a).get(MANAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "officer_a" in html and "manager_a" in html
    assert "officer_b" not in html


def test_manage_filters_by_unit_and_search(manager_a, officer_a, tree, client_for):
    client = client_for(manager_a)
    by_unit = client.get(reverse("accounts:manage_unit", args=[tree.commune_a1.code])).content.decode()
    assert "officer_a" in by_unit and "manager_a" not in by_unit
    search = client.get(MANAGE, {"q": "officer"}, HTTP_HX_REQUEST="true")
    assert search.status_code == 200
    assert search.content.decode().startswith('<div id="managed-users"')
    assert "officer_a" in search.content.decode()


def test_unit_outside_scope_is_not_found(manager_a, tree, client_for):
    client = client_for(manager_a)
    assert client.get(reverse("accounts:manage_unit", args=[tree.commune_b1.code])).status_code == 404
    assert client.get(reverse("accounts:manage_unit", args=["NO-SUCH"])).status_code == 404


def test_account_management_is_not_found_without_the_capability(officer_a, inspector, client_for):
    for user in (officer_a, inspector):
        client = client_for(user)
        assert client.get(MANAGE).status_code == 404
        assert client.get(reverse("accounts:manage_user", args=["officer_a"])).status_code == 404


def test_user_outside_scope_is_not_found(manager_a, tree, client_for):
    make_user(role="officer", unit=tree.commune_b1, username="officer_b")
    assert client_for(manager_a).get(reverse("accounts:manage_user", args=["officer_b"])).status_code == 404


def test_manager_adds_and_ends_an_assignment(manager_a, officer_a, tree, client_for):
    client = client_for(manager_a)
    page = client.get(reverse("accounts:manage_user", args=["officer_a"]))
    assert page.status_code == 200
    start = today() - dt.timedelta(days=10)
    response = client.post(
        reverse("accounts:assignment_add", args=["officer_a"]),
        {"unit": tree.cell_a1.code, "role": "viewer", "valid_from": start.isoformat()},
    )
    assert response.status_code == 302
    added = Assignment.objects.get(user=officer_a, unit=tree.cell_a1)
    assert added.created_by == manager_a

    ended = client.post(reverse("accounts:assignment_end", args=[added.pk]), {"on": today().isoformat()})
    assert ended.status_code == 302
    added.refresh_from_db()
    assert added.valid_to == today()
    assert AuditEntry.objects.filter(action="lantoa.accounts.assignment.ended", actor=manager_a).exists()


def test_adding_an_assignment_outside_scope_or_a_manager_role_is_refused(manager_a, officer_a, tree, client_for):
    client = client_for(manager_a)
    url = reverse("accounts:assignment_add", args=["officer_a"])
    outside = client.post(url, {"unit": tree.commune_b1.code, "role": "officer", "valid_from": "2025-01-01"})
    assert outside.status_code == 422
    assert "P-B-1" in outside.content.decode()
    manager_role = client.post(url, {"unit": tree.commune_a1.code, "role": "manager", "valid_from": "2025-01-01"})
    assert manager_role.status_code == 422
    assert not Assignment.objects.filter(user=officer_a, role="manager").exists()
    assert not Assignment.objects.filter(user=officer_a, unit=tree.commune_b1).exists()


def test_ending_an_assignment_outside_scope_is_not_found(manager_a, tree, client_for):
    other = make_user(role="officer", unit=tree.commune_b1)
    assignment = Assignment.objects.get(user=other)
    response = client_for(manager_a).post(
        reverse("accounts:assignment_end", args=[assignment.pk]), {"on": "2025-01-01"}
    )
    assert response.status_code == 404
    assignment.refresh_from_db()
    assert assignment.valid_to is None


def test_grant_gives_an_existing_user_a_role(manager_a, tree, client_for):
    newcomer = make_user(username="moving")
    response = client_for(manager_a).post(
        reverse("accounts:grant"),
        {"username": "moving", "unit": tree.commune_a1.code, "role": "officer", "valid_from": "2025-01-01"},
    )
    assert response.status_code == 302
    assert Assignment.objects.filter(user=newcomer, unit=tree.commune_a1).exists()
    unknown = client_for(manager_a).post(
        reverse("accounts:grant"),
        {"username": "ghost", "unit": tree.commune_a1.code, "role": "officer", "valid_from": "2025-01-01"},
    )
    assert unknown.status_code == 422
    assert not User.objects.filter(username="ghost").exists()


def test_navigation_shows_accounts_to_managers_only(manager_a, officer_a, client_for):
    assert MANAGE.encode() in client_for(manager_a).get(reverse("web:home")).content
    assert f'href="{MANAGE}"'.encode() not in client_for(officer_a).get(reverse("web:home")).content


def test_manage_page_queries_do_not_grow_with_users(manager_a, tree, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(manager_a)
    client.get(MANAGE)  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        client.get(MANAGE)
    for _n in range(8):
        make_user(role="officer", unit=tree.commune_a1)
    with CaptureQueriesContext(connection) as many:
        response = client.get(MANAGE)
    assert response.content.count(b'data-testid="managed-user-row"') == 9
    assert len(many) == len(few)


def test_manager_is_offered_only_roles_they_may_give(manager_a, officer_a, client_for):
    html = client_for(manager_a).get(reverse("accounts:manage_user", args=["officer_a"])).content.decode()
    assert 'value="officer"' in html and 'value="manager"' not in html and 'value="administrator"' not in html
