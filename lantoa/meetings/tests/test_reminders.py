"""Copy as message, and reminders sent to presenters and site contacts through the channels."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from lantoa.accounts.tests.factories import make_user
from lantoa.meetings.models import BridgePoint, ConferenceKind, Format, Level
from lantoa.meetings.reminders import conference_subject, reminder_list, when_text
from lantoa.meetings.services import (
    ConferenceData,
    PresenterData,
    SiteData,
    conference_cancel,
    conference_create,
)
from lantoa.meetings.tasks import send_conference_reminders
from lantoa.meetings.tests.factories import at
from lantoa.people.tests.factories import make_person

pytestmark = pytest.mark.django_db
DAY = dt.date(2021, 5, 10)


@pytest.fixture
def conference(tree):  # type: ignore[no-untyped-def]
    from lantoa.library.tests.test_qr_public import make_document

    reporter = make_person(
        home_unit=tree.province, family_name="Nguyễn", middle_name="Thị", given_name="Hoa", email="hoa@example.org"
    )
    phone_only = make_person(
        home_unit=tree.district_a, family_name="Lý", middle_name="A", given_name="Pao", phone="0912345678"
    )
    document = make_document(tree, number="01-NQ/TW", title="Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII")
    data = ConferenceData(
        title="Hội nghị học tập Nghị quyết Đại hội XIII",
        kind=ConferenceKind.objects.get(code="resolution_study"),
        organiser=tree.province,
        level=Level.PROVINCE,
        starts_at=at(DAY, 7, 30),
        ends_at=at(DAY, 11, 30),
        format=Format.HYBRID,
        documents=[document],
        presenters=[
            PresenterData(person=reporter, topic="Những điểm mới của Văn kiện"),
            PresenterData(person=phone_only),
            PresenterData(name="Đồng chí Phó Bí thư Thường trực"),
        ],
    )
    sites = [
        SiteData(
            unit=tree.province,
            is_host=True,
            location="Hội trường Tỉnh ủy",
            contact_name="Văn phòng Tỉnh ủy",
            contact_phone="02143840000",
        ),
        SiteData(
            unit=tree.commune_a1,
            mode=BridgePoint.Mode.PER_PERSON,
            contact_name="Lò Văn Hùng",
            contact_phone="0987000111",
        ),
        SiteData(unit=tree.commune_b1),
    ]
    return conference_create(by=None, data=data, sites=sites).obj


def test_the_message_has_what_chat_groups_need(tree, admin_user, client_for, conference):
    response = client_for(admin_user).get(reverse("meetings:message", args=[conference.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<textarea" in html and "readonly" in html
    text = response.context["text"]
    point_a1 = conference.points.get(unit=tree.commune_a1)
    point_b1 = conference.points.get(unit=tree.commune_b1)
    assert "HỘI NGHỊ HỌC TẬP NGHỊ QUYẾT ĐẠI HỘI XIII" in text
    assert "07:30–11:30" in text and "10/5/2021" in text and "Thứ 2" in text
    assert tree.province.name in text and "Hội trường Tỉnh ủy" in text
    assert point_a1.code in text and point_b1.code not in text  # codes where people check in
    assert tree.commune_b1.name in text
    assert "Nguyễn Thị Hoa: Những điểm mới của Văn kiện" in text and "Đồng chí Phó Bí thư Thường trực" in text
    assert "01-NQ/TW Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII" in text
    assert "http://testserver/checkin/" in text and f"http://testserver/meetings/{conference.pk}/" in text
    # Who has no address is listed for the officer, to be sent by chat.
    assert 'data-testid="by-chat"' in html and "Lò Văn Hùng" in html


def test_message_page_follows_the_conference_gate(tree, client_for, conference):
    outsider = make_user(role="officer", unit=tree.bloc, username="khoi")
    assert client_for(outsider).get(reverse("meetings:message", args=[conference.pk])).status_code == 404
    inspector = make_user(role="inspector", unit=tree.province, username="kiem_tra")
    page = client_for(inspector).get(reverse("meetings:message", args=[conference.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="reminders"' not in html and "0987000111" not in html  # no contacts for read-only roles


def test_when_text_in_vietnamese_format():
    from django.utils import translation

    with translation.override("vi"):
        assert when_text(at(DAY, 8), at(DAY, 11)) == "08:00–11:00, Thứ 2 10/5/2021"


def test_reminder_list_splits_email_from_chat(conference):
    people = reminder_list(conference)
    assert [r.name for r in people.reachable()] == ["Nguyễn Thị Hoa"]
    assert sorted(r.name for r in people.by_chat()) == sorted(
        ["Lý A Pao", "Đồng chí Phó Bí thư Thường trực", "Văn phòng Tỉnh ủy", "Lò Văn Hùng"]
    )


def test_task_emails_presenters_and_reports_contacts_without_a_channel(conference):
    result = send_conference_reminders.enqueue(conference.pk, "Nhắc lịch", "Nội dung nhắc lịch")
    assert result.return_value == {"sent": 1, "by_chat": 4, "failed": 0}
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["hoa@example.org"] and mail.outbox[0].body == "Nội dung nhắc lịch"


def test_task_does_not_remind_of_a_cancelled_conference(conference):
    conference_cancel(by=None, conference=conference, reason="Hoãn")
    assert send_conference_reminders.enqueue(conference.pk, "S", "B").return_value == {
        "sent": 0,
        "by_chat": 0,
        "failed": 0,
    }
    assert mail.outbox == []


def test_send_reminders_queues_and_says_how_many(tree, admin_user, client_for, conference):
    client = client_for(admin_user)
    url = reverse("meetings:remind", args=[conference.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("meetings:detail", args=[conference.pk])
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.subject == conference_subject(conference)
    assert "Hội trường Tỉnh ủy" in sent.body and "Nguyễn Thị Hoa" in sent.body
    notes = [str(m) for m in response.wsgi_request._messages]
    assert any("1" in note for note in notes) and any("4" in note for note in notes)


def test_send_reminders_needs_the_edit_gate(tree, client_for, conference):
    inspector = make_user(role="inspector", unit=tree.province, username="chi_xem")
    assert client_for(inspector).post(reverse("meetings:remind", args=[conference.pk])).status_code == 403
    outsider = make_user(role="officer", unit=tree.bloc, username="ngoai")
    assert client_for(outsider).post(reverse("meetings:remind", args=[conference.pk])).status_code == 404
    # A commune officer sees the conference (a site is theirs) but does not run it.
    commune = make_user(role="officer", unit=tree.commune_a1, username="xa_a1")
    assert client_for(commune).post(reverse("meetings:remind", args=[conference.pk])).status_code == 403
    assert mail.outbox == []


def test_no_reminder_for_a_cancelled_conference(admin_user, client_for, conference):
    conference_cancel(by=None, conference=conference, reason="Hoãn")
    response = client_for(admin_user).post(reverse("meetings:remind", args=[conference.pk]))
    assert response.status_code == 302
    assert mail.outbox == []


def test_the_message_gives_check_in_codes_only_for_sites_the_reader_records(tree, officer_a, client_for):
    from django.urls import reverse

    from lantoa.meetings.models import BridgePoint
    from lantoa.meetings.tests.factories import make_conference

    conference = make_conference(
        tree.province, sites=[tree.commune_a1, tree.commune_b1], mode=BridgePoint.Mode.PER_PERSON, held=False
    )
    text = client_for(officer_a).get(reverse("meetings:message", args=[conference.pk])).content.decode()
    assert conference.points.get(unit=tree.commune_a1).code in text
    assert conference.points.get(unit=tree.commune_b1).code not in text
