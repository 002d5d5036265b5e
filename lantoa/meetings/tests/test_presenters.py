"""A site's contact is shown alike by the page and the API: to its recorders and to those who
may see contact details in its unit; never to an inspector or an officer of another unit."""

from __future__ import annotations

import datetime as dt

import pytest

from lantoa.accounts.tests.factories import make_user
from lantoa.meetings.models import ConferenceKind, Format, Level
from lantoa.meetings.services import ConferenceData, PresenterData, SiteData, conference_create
from lantoa.meetings.tests.factories import at

pytestmark = pytest.mark.django_db

CONTACT, PHONE = "Lò Văn Hùng", "0987000111"


@pytest.fixture
def conference(tree):  # type: ignore[no-untyped-def]
    data = ConferenceData(
        title="Hội nghị quán triệt Nghị quyết",
        kind=ConferenceKind.objects.get(code="resolution_study"),
        organiser=tree.province,
        level=Level.PROVINCE,
        starts_at=at(dt.date(2024, 5, 10)),
        ends_at=at(dt.date(2024, 5, 10), 11),
        format=Format.HYBRID,
        presenters=[PresenterData(name="Đồng chí Báo cáo viên", topic="Những điểm mới")],
    )
    sites = [
        SiteData(unit=tree.province, is_host=True),
        SiteData(unit=tree.commune_a1),
        SiteData(unit=tree.commune_b1, contact_name=CONTACT, contact_phone=PHONE),
    ]
    return conference_create(by=None, data=data, sites=sites).obj


def _site_b(conference, tree):  # type: ignore[no-untyped-def]
    return conference.points.get(unit=tree.commune_b1)


def test_the_inspector_and_an_officer_elsewhere_see_no_contact_on_page_or_api(client_for, conference, tree, inspector):
    officer_a = make_user(role="officer", unit=tree.commune_a1, username="officer_a1")
    site = _site_b(conference, tree)
    for user in (inspector, officer_a):
        client = client_for(user)
        pages = [client.get(f"/meetings/{conference.pk}/"), client.get(f"/meetings/points/{site.pk}/")]
        for page in pages:
            assert page.status_code == 200
            assert CONTACT not in page.content.decode() and PHONE not in page.content.decode()
        detail = client.get(f"/api/v1/meetings/conferences/{conference.pk}").json()
        (shown,) = [p for p in detail["points"] if p["unit"] == "P-B-1"]
        assert (shown["contact_name"], shown["contact_phone"]) == ("", "")
        point = client.get(f"/api/v1/meetings/points/{site.pk}").json()
        assert (point["contact_name"], point["contact_phone"]) == ("", "")


def test_the_site_recorder_sees_the_contact_on_page_and_api(client_for, conference, tree):
    officer_b = make_user(role="officer", unit=tree.commune_b1, username="officer_b1")
    client = client_for(officer_b)
    site = _site_b(conference, tree)
    assert CONTACT in client.get(f"/meetings/{conference.pk}/").content.decode()
    assert PHONE in client.get(f"/meetings/points/{site.pk}/").content.decode()
    point = client.get(f"/api/v1/meetings/points/{site.pk}").json()
    assert (point["contact_name"], point["contact_phone"]) == (CONTACT, PHONE)


def test_presenters_names_are_shown_to_the_inspector(client_for, conference, inspector):
    client = client_for(inspector)
    assert "Đồng chí Báo cáo viên" in client.get(f"/meetings/{conference.pk}/").content.decode()
    detail = client.get(f"/api/v1/meetings/conferences/{conference.pk}").json()
    assert [p["name"] for p in detail["presenters"]] == ["Đồng chí Báo cáo viên"]
