"""Check-in on a phone (public pages) and the site's QR code (staff)."""

from __future__ import annotations

import datetime as dt
import gzip
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lantoa.accounts.tests.factories import make_user
from lantoa.core import ratelimit
from lantoa.meetings import limits
from lantoa.meetings.models import BridgePoint, Category, ConferenceKind, Format, Level, Participant
from lantoa.meetings.services import ConferenceData, SiteData, conference_cancel, conference_create
from lantoa.meetings.tests.factories import make_conference

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits():  # type: ignore[no-untyped-def]
    cache.clear()
    ratelimit.reset()
    yield
    cache.clear()
    ratelimit.reset()


def live_conference(tree, *, starts_in: int = 10, mandatory: bool = False, mode: str = BridgePoint.Mode.PER_PERSON):  # type: ignore[no-untyped-def]
    """A hybrid province conference starting ``starts_in`` minutes from now (negative: started),
    relayed to commune A1, attendance taken per person."""
    starts = timezone.now() + dt.timedelta(minutes=starts_in)
    data = ConferenceData(
        title="Hội nghị quán triệt Nghị quyết Trung ương 4",
        kind=ConferenceKind.objects.get(code="resolution_study"),
        organiser=tree.province,
        level=Level.PROVINCE,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        format=Format.HYBRID,
        is_mandatory=mandatory,
    )
    sites = [SiteData(unit=tree.province, is_host=True, mode=mode), SiteData(unit=tree.commune_a1, mode=mode)]
    conference = conference_create(by=None, data=data, sites=sites).obj
    return conference.points.get(unit=tree.commune_a1)


def _form(html: str) -> dict[str, str]:
    """The hidden fields of the check-in form, as a phone would send them back."""
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))
    fields.pop("csrfmiddlewaretoken", None)
    return fields


def test_qr_page_opens_without_login_and_counts_the_check_in(tree):
    point = live_conference(tree)
    client = Client(enforce_csrf_checks=True)  # a real browser: the anonymous path needs no token
    page = client.get(f"/c/{point.code}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Hội nghị quán triệt Nghị quyết Trung ương 4" in html and tree.commune_a1.name in html
    form = _form(html)
    assert re.fullmatch(r"[0-9a-f]{32}", form["client_key"]) and form["method"] == "qr"
    assert html.count('type="radio" name="category"') == len(Category.values)

    done = client.post(f"/c/{point.code}", {**form, "name": "Lò Thị Mai", "category": "party_members"})
    assert done.status_code == 200
    text = done.content.decode()
    assert 'data-testid="checkin-done"' in text and 'data-testid="checkin-late"' not in text
    checked_in = Participant.objects.get()
    assert re.search(timezone.localtime(checked_in.checked_in_at).strftime("%H:%M"), text)
    assert (checked_in.name, checked_in.method, checked_in.status) == ("Lò Thị Mai", "qr", "present")
    point.refresh_from_db()
    assert point.present == 1 and point.members_present == 1


def test_the_same_form_sent_twice_counts_once(tree):
    point = live_conference(tree, starts_in=-30)
    client = Client()
    form = _form(client.get(f"/c/{point.code}").content.decode())
    payload = {**form, "name": "Vàng A Sử", "category": "non_members"}
    first = client.post(f"/c/{point.code}", payload).content.decode()
    point.refresh_from_db()
    assert point.present == 1 and point.late == 1
    assert 'data-testid="checkin-late"' in first

    again = client.post(f"/c/{point.code}", payload)
    assert again.status_code == 200
    html = again.content.decode()
    assert 'data-testid="checkin-done"' in html and 'data-testid="checkin-again"' in html
    point.refresh_from_db()
    assert point.present == 1
    assert Participant.objects.count() == 1


def test_typed_code_with_small_letters_and_spaces_leads_to_the_site(tree):
    point = live_conference(tree)
    client = Client()
    assert client.get("/checkin/").status_code == 200
    typed = f" {point.code[:3].lower()} {point.code[3:].lower()} "
    response = client.get("/checkin/", {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == f"/c/{point.code}?via=code"
    page = client.get(response["Location"])
    form = _form(page.content.decode())
    assert form["method"] == "code"
    client.post(f"/c/{point.code}", {**form, "name": "Giàng Seo Phử", "category": "others"})
    assert Participant.objects.get().method == "code"
    # The address itself also takes the code as typed.
    assert client.get(f"/c/{point.code.lower()}").status_code == 200


def test_unknown_code_answers_a_friendly_404(tree):
    client = Client()
    response = client.get("/c/ZZZZZZ")
    assert response.status_code == 404
    assert 'data-testid="checkin-message"' in response.content.decode()
    typed = client.get("/checkin/", {"code": "zzz zzz"})
    assert typed.status_code == 404
    assert 'data-testid="checkin-code-error"' in typed.content.decode()


def test_closed_cancelled_not_open_and_headcount_sites_answer_409(tree):
    client = Client()
    past = make_conference(tree.province, sites=[tree.commune_a1], mode=BridgePoint.Mode.PER_PERSON)
    closed = past.points.get(unit=tree.commune_a1)
    response = client.get(f"/c/{closed.code}")
    assert response.status_code == 409
    html = response.content.decode()
    assert 'data-testid="checkin-message"' in html and past.title in html
    assert 'data-testid="checkin-form"' not in html
    assert client.post(f"/c/{closed.code}", {"client_key": "k" * 32, "category": "others"}).status_code == 409

    later = live_conference(tree, starts_in=180)
    assert client.get(f"/c/{later.code}").status_code == 409

    headcount = live_conference(tree, mode=BridgePoint.Mode.HEADCOUNT)
    assert client.get(f"/c/{headcount.code}").status_code == 409

    cancelled = live_conference(tree)
    conference_cancel(by=None, conference=cancelled.conference, reason="Mưa lũ")
    assert client.get(f"/c/{cancelled.code}").status_code == 409
    assert Participant.objects.count() == 0


def test_a_mandatory_conference_needs_the_full_name(tree):
    point = live_conference(tree, mandatory=True)
    client = Client()
    html = client.get(f"/c/{point.code}").content.decode()
    assert 'data-testid="checkin-name"' in html and " required" in html
    form = _form(html)
    refused = client.post(f"/c/{point.code}", {**form, "name": "  ", "category": "cadres"})
    assert refused.status_code == 422
    assert 'data-testid="checkin-name-error"' in refused.content.decode()
    assert Participant.objects.count() == 0
    accepted = client.post(f"/c/{point.code}", {**form, "name": "Hầu A Lềnh", "category": "cadres"})
    assert accepted.status_code == 200
    assert Participant.objects.get().name == "Hầu A Lềnh"


def test_name_is_optional_when_the_conference_is_not_mandatory(tree):
    point = live_conference(tree)
    client = Client()
    form = _form(client.get(f"/c/{point.code}").content.decode())
    assert client.post(f"/c/{point.code}", {**form, "category": "students"}).status_code == 200
    point.refresh_from_db()
    assert point.present == 1


def test_a_form_without_its_key_is_refused_not_counted(tree):
    point = live_conference(tree)
    response = Client().post(f"/c/{point.code}", {"name": "Ai đó", "category": "others", "method": "qr"})
    assert response.status_code == 422
    assert Participant.objects.count() == 0


def test_signed_in_user_checks_in_as_their_linked_person(tree, client_for):
    from lantoa.people.tests.factories import make_person

    point = live_conference(tree)
    user = make_user(role="officer", unit=tree.commune_a1, username="can_bo_xa")
    person = make_person(home_unit=tree.commune_a1, family_name="Sùng", middle_name="A", given_name="Chư")
    person.user = user
    person.save(update_fields=["user"])
    client = client_for(user)
    html = client.get(f"/c/{point.code}").content.decode()
    assert 'data-testid="checkin-as"' in html and "Sùng A Chư" in html
    form = _form(html)
    assert client.post(f"/c/{point.code}", form).status_code == 200
    participant = Participant.objects.get()
    assert participant.person == person and participant.user == user


def test_the_page_is_small_needs_no_script_and_sets_no_cookie(tree):
    point = live_conference(tree)
    response = Client().get(f"/c/{point.code}")
    html = response.content
    text = html.decode()
    assert "<script" not in text.lower() and "style=" not in text and "hx-" not in text
    assert not response.cookies  # anonymous: the public path sets no cookie, not even CSRF
    total = len(html)
    for path in re.findall(r'(?:href|src)="/static/([^"?#]+)', text):
        found = finders.find(path)
        assert found, path
        with open(found, "rb") as handle:
            total += len(gzip.compress(handle.read()))
    assert total < 100 * 1024, total
    assert total < 20 * 1024  # in fact far smaller
    typed = Client().get("/checkin/")
    assert not typed.cookies and "<script" not in typed.content.decode().lower()


def test_too_many_unknown_codes_from_one_address_are_slowed_down(tree, monkeypatch):
    monkeypatch.setattr(limits, "FAILED_LOOKUP_LIMIT", 3)
    point = live_conference(tree)
    client = Client()
    for attempt in range(3):
        assert client.get(f"/c/AAAA{attempt}A").status_code == 404
    assert client.get(f"/c/{point.code}").status_code == 429
    assert client.get("/checkin/", {"code": point.code}).status_code == 429
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.get(f"/c/{point.code}").status_code == 200


# --- The site's QR code ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "content_type", "magic"), [("svg", "image/svg+xml", b"<?xml"), ("png", "image/png", b"\x89PNG")]
)
def test_point_qr_encodes_the_check_in_address(tree, admin_user, client_for, fmt, content_type, magic):  # type: ignore[no-untyped-def]
    point = live_conference(tree)
    response = client_for(admin_user).get(reverse("meetings:point_qr", args=[point.pk, fmt]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response.content.startswith(magic)
    if fmt == "svg":
        assert f"http://testserver/c/{point.code}".encode() in response.content


def test_point_qr_is_staff_only_and_scoped(tree, admin_user, client_for):
    point = live_conference(tree)
    outsider = make_user(role="officer", unit=tree.commune_b1, username="officer_b")
    url = reverse("meetings:point_qr", args=[point.pk, "svg"])
    assert client_for(outsider).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # sign in first
    assert client_for(admin_user).get(reverse("meetings:point_qr", args=[point.pk, "gif"])).status_code == 404


def _visible_text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize(
    ("language", "shown", "not_shown"), [("en", "2 Dec 2025", "2/12/2025"), ("vi", "2/12/2025", "Dec")]
)
def test_the_public_page_writes_the_day_in_the_readers_format(tree, language, shown, not_shown):
    point = make_conference(
        tree.province, sites=[tree.commune_a1], day=dt.date(2025, 12, 2), mode=BridgePoint.Mode.PER_PERSON
    ).points.get(unit=tree.commune_a1)
    client = Client()
    client.cookies["lantoa_language"] = language
    text = _visible_text(client.get(f"/c/{point.code}").content.decode())
    assert shown in text and not_shown not in text


@pytest.mark.parametrize(("language", "shown"), [("en", "2 Dec 2025"), ("vi", "2/12/2025")])
def test_staff_pages_write_the_day_like_the_public_page(tree, admin_user, client_for, language, shown):
    conference = make_conference(tree.province, sites=[tree.commune_a1], day=dt.date(2025, 12, 2))
    admin_user.language = language
    admin_user.save(update_fields=["language"])
    text = _visible_text(client_for(admin_user).get(reverse("meetings:detail", args=[conference.pk])).content.decode())
    assert shown in text and "2025-12-02" not in text
