"""Reminders kept as rows: one per record and unit reminded, with its channel, sender and text,
beside the audit entry; "last reminded on" on the pages with the reminder button; the history
page and API within scope, their queries not growing with the reminders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lantoa.accounts.tests.factories import make_user
from lantoa.core.models import AuditEntry
from lantoa.org.tests.factories import make_unit
from lantoa.plans import services
from lantoa.plans.models import SentReminder
from lantoa.plans.selectors import last_reminded
from lantoa.plans.tests.factories import make_document, make_programme, make_requirement, make_task

pytestmark = pytest.mark.django_db
DAY = dt.date(2022, 8, 8)


def overdue_programme(tree):  # type: ignore[no-untyped-def]
    programme = make_programme(tree.district_a, make_document(tree.province))
    late = make_task(programme, owner_unit=tree.commune_a1, due_on=dt.date(2021, 6, 30))
    by_role = make_task(programme, due_on=dt.date(2021, 7, 31))
    return programme, late, by_role


def test_each_record_reminded_is_kept_with_its_unit_channel_sender_and_text(tree, admin_user):
    programme, late, by_role = overdue_programme(tree)
    reminder = services.programme_reminder(programme, on=DAY)
    services.reminder_send(by=admin_user, reminder=reminder)
    rows = list(SentReminder.objects.order_by("task__position"))
    assert [(r.about, r.task, r.unit, r.channel, r.sent_by) for r in rows] == [
        ("task", late, tree.commune_a1, "notified", admin_user),
        ("task", by_role, tree.district_a, "notified", admin_user),
    ]
    assert rows[0].text == reminder.message and rows[0].subject == reminder.subject
    assert AuditEntry.objects.filter(action="lantoa.plans.reminder.tasks").count() == 2
    outside = services.recommendation_send(by=None, data=services.RecommendationData(
        unit=tree.province, topic="Bồi dưỡng", text="Đề nghị mở lớp.", sent_on=dt.date(2022, 1, 1),
        due_on=dt.date(2022, 3, 1), addressee_name="Ban Tuyên giáo Trung ương"))  # fmt: skip
    services.reminder_send(by=admin_user, reminder=services.recommendation_reminder(outside, on=DAY))
    kept = SentReminder.objects.get(about="recommendation")
    assert (kept.recommendation, kept.unit, kept.channel) == (outside, tree.province, "message")
    assert set(last_reminded("task", [late.pk, by_role.pk])) == {late.pk, by_role.pk}


def test_the_pages_say_when_an_item_was_last_reminded(tree, admin_user, client_for):
    programme, _late, _by_role = overdue_programme(tree)
    client = client_for(admin_user)
    assert "Nhắc lần cuối" not in client.get(f"/plans/programmes/{programme.pk}/").content.decode()
    assert client.post(f"/plans/programmes/{programme.pk}/remind/").status_code == 302
    page = client.get(f"/plans/programmes/{programme.pk}/").content.decode()
    assert page.count('data-testid="reminded"') == 2 and "Nhắc lần cuối ngày" in page
    requirement = make_requirement(tree.province, programme.document, due_on=dt.date(2021, 3, 31))
    client.post(f"/plans/requirements/{requirement.pk}/remind/")
    coverage = client.get(f"/plans/requirements/{requirement.pk}/").content.decode()
    assert coverage.count('data-testid="reminded"') == SentReminder.objects.filter(about="requirement").count() >= 1


def test_the_history_within_scope_and_its_queries_do_not_grow(tree, admin_user, client_for):
    programme, _late, _by_role = overdue_programme(tree)
    client = client_for(admin_user)
    client.post(f"/plans/programmes/{programme.pk}/remind/")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/plans/reminders/").status_code == 200
        return len(captured)

    small = count()
    for _ in range(4):
        client.post(f"/plans/programmes/{programme.pk}/remind/")
    assert count() == small
    page = client.get("/plans/reminders/?about=task").content.decode()
    assert "Nhiệm vụ quá hạn" in page and programme.decision_number in page
    commune = client_for(make_user(role="officer", unit=tree.commune_a1))  # reminded, and reads the programme
    seen = commune.get("/api/v1/plans/reminders").json()
    assert seen["count"] == 10 and tree.commune_a1.code in {item["unit"] for item in seen["items"]}
    outsider = client_for(make_user(role="manager", unit=make_unit(kind="provincial_committee", code="OTHER")))
    assert outsider.get("/api/v1/plans/reminders").json() == {"items": [], "count": 0}
    listed = client.get("/api/v1/plans/reminders?about=task&limit=3").json()
    assert listed["count"] == 10 and len(listed["items"]) == 3
    assert listed["items"][0]["channel"] == "notified" and listed["items"][0]["sent_by"] == admin_user.username
    assert client.get("/api/v1/plans/reminders?about=other").status_code == 422
