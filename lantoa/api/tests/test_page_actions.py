"""A page shows only the actions its viewer may take: every link and form on the main pages,
followed by a role that changes nothing there (inspector, viewer, a network member), answers
without 403 or 404."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from lantoa.api.tests.matrix_support import build_clients, build_objects

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a\b[^>]*\bhref="(/[^"#]*)"')
FORM = re.compile(
    r'<form\b[^>]*\bmethod="post"[^>]*\baction="(/[^"#]*)"|<form\b[^>]*\baction="(/[^"#]*)"[^>]*\bmethod="post"'
)
# Actions every signed-in user has, whatever the page (they would end the session under test).
EVERYONE = ("/accounts/logout/", "/language/", "/i18n/")


def main_pages(objects) -> list[str]:  # type: ignore[no-untyped-def]
    unit = objects["unit"].code
    return [
        reverse("web:home"),
        reverse("org:tree"),
        reverse("people:home"),
        reverse("meetings:calendar"),
        reverse("meetings:reflections"),
        reverse("meetings:rollup"),
        reverse("org:unit_detail", args=[unit]),
        reverse("people:roster", args=[unit]),
        reverse("people:activities", args=[unit]),
        reverse("people:groups", args=[unit]),
        reverse("people:coverage", args=[unit]),
        reverse("people:group_detail", args=[objects["group"].pk]),
        reverse("people:person_detail", args=[objects["person"].pk]),
        reverse("meetings:list"),
        reverse("meetings:detail", args=[objects["conference"].pk]),
        reverse("meetings:point_detail", args=[objects["point"].pk]),
        reverse("meetings:series_detail", args=[objects["series"].pk]),
        reverse("meetings:series_list"),
        reverse("library:list"),
        reverse("library:document_detail", args=[objects["document"].pk]),
        reverse("reports:request_list"),
        reverse("reports:request_detail", args=[objects["data_request"].pk]),
        reverse("reports:assignment_detail", args=[objects["assignment"].pk]),
        reverse("reports:data_set_list"),
    ]


@pytest.mark.parametrize("role", ["inspector", "viewer", "propagandist"])
def test_read_only_roles_meet_no_action_they_cannot_take(tree, client_for, role):
    objects = build_objects(tree)
    client = build_clients(tree, client_for, objects)[role]
    problems = []
    for page in main_pages(objects):
        answer = client.get(page)
        if answer.status_code != 200:
            continue  # a page the role may not read at all is the matrix's business
        html = answer.content.decode()
        for link in sorted(set(LINK.findall(html))):
            if not link.startswith(EVERYONE) and client.get(link).status_code in (403, 404):
                problems.append(f"{page}: link {link}")
        for pair in set(FORM.findall(html)):
            action = pair[0] or pair[1]
            if not action.startswith(EVERYONE) and client.post(action, {}).status_code in (403, 404):
                problems.append(f"{page}: form {action}")
    assert problems == []
