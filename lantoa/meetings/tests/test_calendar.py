"""The conference calendar (month grid, list), its .ics feed and the feed's builder."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from lantoa.accounts.models import Assignment
from lantoa.accounts.tests.factories import make_user
from lantoa.meetings import ics
from lantoa.meetings.services import conference_cancel
from lantoa.meetings.tests.factories import at, make_conference

DAY = dt.date(2021, 5, 10)  # a Monday


# --- The builder (pure functions) --------------------------------------------------------------


def one_event(**fields) -> str:  # type: ignore[no-untyped-def]
    start = at(DAY)
    values = {"uid": "conference-1@lantoa", "start": start, "end": start, "summary": "", "stamp": start}
    return ics.build_calendar([ics.Event(**{**values, **fields})])


def test_text_values_are_escaped():
    text = one_event(summary="Hội nghị; quán triệt, học tập\\ NQ\nDòng 2\r\nDòng 3")
    assert "SUMMARY:Hội nghị\\; quán triệt\\, học tập\\\\ NQ\\nDòng 2\\nDòng 3" in ics.unfold(text)


def test_long_lines_fold_at_75_octets_without_splitting_a_letter():
    summary = "Hội nghị học tập quán triệt Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII " * 3
    text = one_event(summary=summary)
    pieces = text.split("\r\n")
    assert all(len(piece.encode("utf-8")) <= 75 for piece in pieces)
    folded = [piece for piece in pieces if piece.startswith(" ")]
    assert len(folded) >= 2
    assert f"SUMMARY:{summary}" in ics.unfold(text)
    assert "UID:conference-1@lantoa" in text.split("\r\n")  # a short line stays whole


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\r\n\\,;"), max_size=400))
def test_folding_any_text_keeps_it_and_its_limits(text):  # type: ignore[no-untyped-def]
    calendar = one_event(description=text)
    assert all(len(piece.encode("utf-8")) <= 75 for piece in calendar.split("\r\n"))
    if text:
        assert f"DESCRIPTION:{text}" in ics.unfold(calendar)


def test_a_calendar_has_its_frame_crlf_and_utc_times():
    start = timezone.make_aware(dt.datetime(2021, 5, 10, 8, 0))  # 08:00 in Hà Nội is 01:00 UTC
    event = ics.Event(
        uid="conference-7@lantoa",
        start=start,
        end=start + dt.timedelta(hours=3),
        summary="Hội nghị, học tập; NQ",
        stamp=start,
        location="Hội trường Tỉnh ủy",
        description="Trực tuyến\n3 điểm cầu",
        url="https://lantoa.example.org/meetings/7/",
        status=ics.Status.TENTATIVE,
    )
    text = ics.build_calendar([event], name="Lịch hội nghị")
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    lines = ics.unfold(text)
    assert "PRODID:-//Lantoa//Conferences//VI" in lines
    assert lines.count("BEGIN:VEVENT") == 1 and lines.count("END:VEVENT") == 1
    assert "DTSTART:20210510T010000Z" in lines and "DTEND:20210510T040000Z" in lines
    assert "SUMMARY:Hội nghị\\, học tập\\; NQ" in lines
    assert "DESCRIPTION:Trực tuyến\\n3 điểm cầu" in lines
    assert "STATUS:TENTATIVE" in lines and "UID:conference-7@lantoa" in lines


# --- The pages -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_month_grid_shows_the_conference_on_its_day(tree, admin_user, client_for):
    conference = make_conference(tree.province, sites=[tree.commune_a1], title="Hội nghị tháng Năm")
    other = make_conference(tree.district_b, sites=[], format="in_person", title="Hội nghị huyện B", day=DAY)
    client = client_for(admin_user)
    response = client.get(reverse("meetings:calendar"), {"unit": tree.district_a.code, "month": "2021-05"})
    assert response.status_code == 200
    html = response.content.decode()
    cell = re.search(r'data-testid="day-2021-05-10">(.*?)</td>', html, re.S)
    assert cell and "Hội nghị tháng Năm" in cell.group(1) and "08:00" in cell.group(1)
    assert f'href="/meetings/{conference.pk}/"' in cell.group(1)
    assert other.title not in html  # district B is not under district A
    # Monday first: the grid starts on Monday 26 April 2021.
    assert html.index('data-testid="day-2021-04-26"') < html.index('data-testid="day-2021-05-01"')
    assert "month=2021-04" in html and "month=2021-06" in html
    assert 'data-testid="calendar-feed-url"' in html


@pytest.mark.django_db
def test_month_grid_fragment_for_htmx_and_defaults(tree, admin_user, client_for):
    make_conference(tree.province, sites=[tree.commune_a1])
    client = client_for(admin_user)
    fragment = client.get(
        reverse("meetings:calendar"), {"unit": tree.province.code, "month": "2021-05"}, headers={"HX-Request": "true"}
    )
    assert fragment.status_code == 200
    assert fragment.content.decode().startswith('<div id="calendar-view"')
    # Without parameters: the working unit (the user's top unit) and the current month.
    page = client.get(reverse("meetings:calendar")).content.decode()
    today = timezone.localdate()
    assert f'value="{today:%Y-%m}"' in page and tree.province.name in page
    assert client.get(reverse("meetings:calendar"), {"month": "2021-13"}).status_code == 200


@pytest.mark.django_db
def test_list_view_of_the_month(tree, admin_user, client_for):
    conference = make_conference(tree.province, sites=[tree.commune_a1], title="Hội nghị liệt kê")
    response = client_for(admin_user).get(
        reverse("meetings:calendar_list"), {"unit": tree.province.code, "month": "2021-05"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="calendar-row"') == 1
    assert conference.title in html and "10/5/2021" in html
    empty = client_for(admin_user).get(
        reverse("meetings:calendar_list"), {"unit": tree.province.code, "month": "2021-06"}
    )
    assert 'data-testid="calendar-empty"' in empty.content.decode()


@pytest.mark.django_db
def test_calendar_of_a_unit_outside_scope_is_404(tree, officer_a, client_for):
    client = client_for(officer_a)
    for name in ("meetings:calendar", "meetings:calendar_list"):
        assert client.get(reverse(name), {"unit": tree.commune_b1.code}).status_code == 404
        assert client.get(reverse(name), {"unit": "NO-SUCH"}).status_code == 404
        assert client.get(reverse(name), {"unit": tree.commune_a1.code}).status_code == 200


# --- The feed ------------------------------------------------------------------------------------


def _feed_url(client: Client, unit_code: str) -> str:
    html = client.get(reverse("meetings:calendar"), {"unit": unit_code}).content.decode()
    found = re.search(r'data-testid="calendar-feed-url"', html)
    assert found
    url = re.search(r'value="([^"]+)" readonly data-testid="calendar-feed-url"', html)
    assert url
    return url.group(1).replace("&amp;", "&")


@pytest.mark.django_db
def test_feed_lists_the_units_conferences_for_a_calendar_application(tree, officer_a, client_for):
    soon = timezone.localdate() + dt.timedelta(days=5)
    planned = make_conference(tree.province, sites=[tree.commune_a1], day=soon, held=False, title="Hội nghị, sắp tới")
    held = make_conference(tree.province, sites=[tree.commune_a1], day=timezone.localdate() - dt.timedelta(days=3))
    cancelled = make_conference(tree.province, sites=[tree.commune_a1], day=soon, held=False, title="Bị hoãn")
    conference_cancel(by=None, conference=cancelled, reason="Mưa lũ")
    elsewhere = make_conference(tree.district_b, sites=[tree.commune_b1], day=soon, title="Không thuộc xã A1")
    old = make_conference(tree.province, sites=[tree.commune_a1], day=DAY, title="Đã lâu")

    url = _feed_url(client_for(officer_a), tree.commune_a1.code)
    parsed = urlparse(url)
    assert parsed.path == f"/meetings/calendar/{tree.commune_a1.code}.ics"
    response = Client().get(parsed.path, parse_qs(parsed.query))  # a calendar application: no session
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert not response.cookies
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    lines = ics.unfold(text)
    assert lines.count("BEGIN:VEVENT") == 3
    assert f"UID:conference-{planned.pk}@lantoa" in lines
    assert f"UID:conference-{held.pk}@lantoa" in lines
    assert f"UID:conference-{cancelled.pk}@lantoa" in lines
    assert f"UID:conference-{elsewhere.pk}@lantoa" not in lines and f"UID:conference-{old.pk}@lantoa" not in lines
    assert "SUMMARY:Hội nghị\\, sắp tới" in lines
    start = planned.starts_at.astimezone(dt.UTC)
    assert f"DTSTART:{start:%Y%m%dT%H%M%SZ}" in lines
    assert {"STATUS:TENTATIVE", "STATUS:CONFIRMED", "STATUS:CANCELLED"} <= set(lines)
    assert f"LOCATION:{tree.province.name}" in lines
    assert f"URL:http://testserver/meetings/{planned.pk}/" in lines
    assert any(line.startswith("DESCRIPTION:") and "2" in line for line in lines)


@pytest.mark.django_db
def test_feed_refuses_bad_forged_and_borrowed_tokens(tree, officer_a, client_for):
    url = urlparse(_feed_url(client_for(officer_a), tree.commune_a1.code))
    token = parse_qs(url.query)["token"][0]
    client = Client()
    assert client.get(url.path).status_code == 404
    assert client.get(url.path, {"token": "nonsense"}).status_code == 404
    assert client.get(url.path, {"token": token[:-2] + "xx"}).status_code == 404
    # The same token for another unit's address.
    other = reverse("meetings:ics", args=[tree.province.code])
    assert client.get(other, {"token": token}).status_code == 404
    # A token made with another key (forged) is refused.
    forged = ics.signing.dumps({"u": officer_a.pk, "c": tree.commune_a1.code, "k": "x"}, salt="other")
    assert client.get(url.path, {"token": forged}).status_code == 404


@pytest.mark.django_db
def test_feed_stops_when_the_user_loses_scope_or_changes_password(tree, client_for):
    user = make_user(role="officer", unit=tree.commune_a1, username="mat_quyen")
    url = urlparse(_feed_url(client_for(user), tree.commune_a1.code))
    query = parse_qs(url.query)
    assert Client().get(url.path, query).status_code == 200
    Assignment.objects.filter(user=user).update(valid_to=dt.date(2020, 6, 1))
    assert Client().get(url.path, query).status_code == 404

    other = make_user(role="officer", unit=tree.commune_a1, username="doi_mat_khau")
    url = urlparse(_feed_url(client_for(other), tree.commune_a1.code))
    query = parse_qs(url.query)
    assert Client().get(url.path, query).status_code == 200
    other.set_password("a new and different password")
    other.save()
    assert Client().get(url.path, query).status_code == 404


def test_event_times_need_to_be_aware_and_are_written_in_utc():
    with pytest.raises(ValueError):
        one_event(start=dt.datetime(2021, 5, 10, 8), end=dt.datetime(2021, 5, 10, 9))
    lines = ics.unfold(one_event(start=at(DAY), end=at(DAY) - dt.timedelta(hours=1)))
    assert "DTSTART:20210510T010000Z" in lines
    assert "DTEND:20210510T010000Z" in lines  # an end before the start is written as the start


@pytest.mark.django_db
def test_pages_and_feed_load_in_a_fixed_number_of_queries(tree, officer_a, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(officer_a)
    feed = urlparse(_feed_url(client, tree.commune_a1.code))
    soon = timezone.localdate() + dt.timedelta(days=3)
    requests = [
        (client, reverse("meetings:calendar"), {"unit": tree.commune_a1.code, "month": f"{soon:%Y-%m}"}),
        (client, reverse("meetings:calendar_list"), {"unit": tree.commune_a1.code, "month": f"{soon:%Y-%m}"}),
        (Client(), feed.path, parse_qs(feed.query)),
    ]

    def counts() -> list[int]:
        found = []
        for who, path, params in requests:
            with CaptureQueriesContext(connection) as queries:
                assert who.get(path, params).status_code == 200
            found.append(len(queries))
        return found

    make_conference(tree.province, sites=[tree.commune_a1], day=soon, held=False)
    few = counts()
    for n in range(4):
        make_conference(tree.province, sites=[tree.commune_a1], day=soon, held=False, title=f"Hội nghị {n}")
    assert counts() == few
