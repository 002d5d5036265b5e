"""Reminders: the units without a programme, overdue tasks (a role's task goes to the programme's
unit), overdue follow-ups and recommendations unanswered past their deadline — the text to copy,
the audit, the messages through the notification channels, the page and the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from lantoa.accounts.tests.factories import make_user
from lantoa.core.models import AuditEntry
from lantoa.plans import services
from lantoa.plans.tests.factories import make_document, make_programme, make_requirement, make_task, report

pytestmark = pytest.mark.django_db
DAY = dt.date(2022, 8, 8)


def officer(unit, email):  # type: ignore[no-untyped-def]
    user = make_user(role="officer", unit=unit)
    user.email = email
    user.save(update_fields=["email"])
    return user


def sent_to() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_the_units_without_a_programme_are_reminded_and_only_they(tree, django_capture_on_commit_callbacks):
    officer(tree.district_a, "a@example.org")
    officer(tree.district_b, "b@example.org")
    document = make_document(tree.province)
    requirement = make_requirement(tree.province, document, due_on=dt.date(2021, 3, 31))
    make_programme(tree.district_a, document)
    reminder = services.requirement_reminder(requirement, on=DAY)
    assert reminder is not None
    missing = [unit.code for unit in reminder.units]
    assert "P-A" not in missing and "P-B" in missing
    assert "31/03/2021" in reminder.message.splitlines()[0]
    early = services.requirement_reminder(requirement, on=dt.date(2021, 3, 15))
    assert early is not None and early.message.splitlines()[0] != reminder.message.splitlines()[0]  # "is due"
    assert f"1. {reminder.units[0].name}" in reminder.message
    with django_capture_on_commit_callbacks(execute=True):
        result = services.reminder_send(by=None, reminder=reminder)
    assert sent_to() == ["b@example.org"] and result.recipients == 1
    assert mail.outbox[0].body == reminder.message
    entries = AuditEntry.objects.filter(action="lantoa.plans.reminder.requirement")
    assert sorted(entry.unit.code for entry in entries) == sorted(missing)


def test_overdue_tasks_go_to_their_owner_and_a_roles_task_to_the_programmes_unit(
    tree, django_capture_on_commit_callbacks
):
    officer(tree.commune_a1, "a1@example.org")
    officer(tree.district_a, "a@example.org")
    officer(tree.commune_b1, "b1@example.org")
    programme = make_programme(tree.district_a, make_document(tree.province))
    late = make_task(programme, owner_unit=tree.commune_a1, due_on=dt.date(2021, 6, 30))
    by_role = make_task(programme, due_on=dt.date(2021, 7, 31))
    done = make_task(programme, owner_unit=tree.commune_b1, due_on=dt.date(2021, 6, 30))
    report(done, 100)
    make_task(programme, owner_unit=tree.commune_b1, due_on=dt.date(2030, 1, 1))  # not due yet
    reminder = services.programme_reminder(programme, on=DAY)
    assert reminder is not None
    assert [target.pk for target, _unit in reminder.targets] == [late.pk, by_role.pk]
    assert [unit.code for unit in reminder.units] == ["P-A-1", "P-A"]
    assert late.title in reminder.message and by_role.owner_role in reminder.message
    assert done.title not in reminder.message
    with django_capture_on_commit_callbacks(execute=True):
        services.reminder_send(by=None, reminder=reminder)
    assert sent_to() == ["a1@example.org", "a@example.org"]
    assert AuditEntry.objects.filter(action="lantoa.plans.reminder.tasks").count() == 2
    report(late, 100)
    report(by_role, 100)
    assert services.programme_reminder(programme, on=DAY) is None


def test_overdue_follow_ups_are_reminded_closed_ones_not(tree):
    inspection = services.inspection_create(
        by=None,
        data=services.InspectionData(
            unit=tree.province, title="Kiểm tra việc học tập Nghị quyết", deciding_body="Ban Thường vụ Tỉnh ủy",
            decision_number="", decided_on=None, starts_on=DAY, ends_on=DAY, topics="Việc quán triệt.",
            inspected=(tree.district_a, tree.district_b),
        ),
    )  # fmt: skip
    services.conclusion_add(by=None, inspection=inspection, text="Ghi nhận kết quả.")
    open_one = services.conclusion_add(by=None, inspection=inspection, text="Bổ sung kế hoạch.",
                                       owner_unit=tree.district_a, due_on=dt.date(2022, 10, 1))  # fmt: skip
    closed = services.conclusion_add(by=None, inspection=inspection, text="Tổ chức sơ kết.",
                                     owner_unit=tree.district_b, due_on=dt.date(2022, 10, 1))  # fmt: skip
    services.follow_up_close(by=None, follow_up=closed.follow_up, closed_on=dt.date(2022, 9, 1), evidence="Đã làm")
    assert services.inspection_reminder(inspection, on=dt.date(2022, 10, 1)) is None  # due that day, not past
    reminder = services.inspection_reminder(inspection, on=dt.date(2022, 10, 2))
    assert reminder is not None
    assert [unit.code for unit in reminder.units] == ["P-A"]
    assert reminder.message.splitlines()[1].startswith("1. ") and "01/10/2022" in reminder.message.splitlines()[1]
    assert open_one.text in reminder.message and closed.text not in reminder.message


def test_a_recommendation_past_its_deadline_goes_to_its_addressee_an_outside_bodys_only_to_copy(
    tree, django_capture_on_commit_callbacks
):
    officer(tree.province, "p@example.org")
    officer(tree.district_a, "a@example.org")

    def send(**addressee):  # type: ignore[no-untyped-def]
        return services.recommendation_send(
            by=None,
            data=services.RecommendationData(unit=tree.district_a, topic="Đào tạo", text="Đề nghị mở lớp.",
                                             sent_on=DAY, due_on=DAY + dt.timedelta(days=30), **addressee),
        )  # fmt: skip

    upward = send(addressee_unit=tree.province)
    outside = send(addressee_name="Ban Tuyên giáo và Dân vận Trung ương")
    assert services.recommendation_reminder(upward, on=DAY + dt.timedelta(days=30)) is None
    later = DAY + dt.timedelta(days=31)
    reminder = services.recommendation_reminder(upward, on=later)
    assert reminder is not None and [unit.code for unit in reminder.units] == ["P"]
    outside_reminder = services.recommendation_reminder(outside, on=later)
    assert outside_reminder is not None and outside_reminder.units == []
    assert "Ban Tuyên giáo và Dân vận Trung ương" in outside_reminder.message
    with django_capture_on_commit_callbacks(execute=True):
        services.reminder_send(by=None, reminder=reminder)
        services.reminder_send(by=None, reminder=outside_reminder)
    assert sent_to() == ["p@example.org"]
    entries = AuditEntry.objects.filter(action="lantoa.plans.reminder.recommendation").order_by("pk")
    assert [entry.unit.code for entry in entries] == ["P", "P-A"]  # the outside body's: the sender's record
    answered = services.recommendation_advance(by=None, recommendation=upward, status="answered", on=later,
                                               answer="Đã tổ chức.")  # fmt: skip
    assert services.recommendation_reminder(answered, on=later) is None


def test_the_page_shows_the_text_to_copy_to_the_keepers_and_sends(tree, admin_user, client_for):
    programme = make_programme(tree.district_a, make_document(tree.province))
    task = make_task(programme, owner_unit=tree.commune_a1, due_on=dt.date(2021, 6, 30))
    keeper = client_for(admin_user)
    page = keeper.get(f"/plans/programmes/{programme.pk}/").content.decode()
    assert 'data-testid="copy-message"' in page and task.title in page.split('data-testid="copy-message"')[1]
    answer = keeper.post(f"/plans/programmes/{programme.pk}/remind/")
    assert answer.status_code == 302 and answer["Location"].endswith(f"/plans/programmes/{programme.pk}/#copy-message")
    assert AuditEntry.objects.filter(action="lantoa.plans.reminder.tasks").count() == 1
    commune = client_for(make_user(role="officer", unit=tree.commune_a1))  # reads the programme through its task
    assert 'data-testid="copy-message"' not in commune.get(f"/plans/programmes/{programme.pk}/").content.decode()
    assert commune.post(f"/plans/programmes/{programme.pk}/remind/").status_code == 403
    assert AuditEntry.objects.filter(action="lantoa.plans.reminder.tasks").count() == 1


def test_the_api_previews_without_writing_and_sends(tree, admin_user, client_for):
    document = make_document(tree.province)
    requirement = make_requirement(tree.province, document, due_on=dt.date(2021, 3, 31))
    client = client_for(admin_user)
    preview = client.get(f"/api/v1/plans/requirements/{requirement.pk}/reminder").json()
    assert preview["sent"] is False and "P-A" in preview["units"] and preview["message"]
    assert not AuditEntry.objects.filter(action="lantoa.plans.reminder.requirement").exists()
    sent = client.post(f"/api/v1/plans/requirements/{requirement.pk}/remind").json()
    assert sent["sent"] is True and sent["reminded"] == len(sent["units"]) and sent["message"] == preview["message"]
    assert AuditEntry.objects.filter(action="lantoa.plans.reminder.requirement").count() == sent["reminded"]
    programme = make_programme(tree.district_a, document)
    nothing = client.post(f"/api/v1/plans/programmes/{programme.pk}/remind").json()
    assert (nothing["sent"], nothing["units"], nothing["message"]) == (False, [], "")
