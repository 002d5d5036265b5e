"""The province issues a programme with a task for a commune and sets the deadline for the
communes' own programmes; the commune's officer, on a phone, opens the task from "My work" and
reports progress with evidence; an inspection records a conclusion for the commune, whose officer
closes the follow-up with evidence and finds its deadline on the calendar; the minutes are uploaded
and the dossier downloaded as PDF; the coverage page shows the commune. Vietnamese pages, one
English; no console error, no sideways scrolling on the phone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import expect

from lantoa.accounts.models import User
from lantoa.accounts.tests.factories import make_user
from lantoa.org.models import Tier
from lantoa.org.selectors import today
from lantoa.plans.models import ActionProgramme, FollowUp, InspectionFile, ProgressUpdate
from lantoa.plans.tests.factories import make_document, make_programme, make_task, pdf_bytes, report
from lantoa.web.tests.browser.fixtures import DESKTOP, PHONE

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[4] / "test-artifacts"


def _context(browser: Any, live_server: Any, client_for: Any, user: User, console: list[str], **options: Any) -> Any:
    """A browser context signed in as ``user`` (the session of a test client)."""
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", **options)
    context.set_default_timeout(10_000)
    cookie = client_for(user).cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    page = context.new_page()
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    return page


def _fill(page: Any, values: dict[str, str]) -> None:
    for field_id, value in values.items():
        field = page.locator(f"#{field_id}")
        if field.evaluate("element => element.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def _no_sideways_scrolling(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def test_a_programme_reported_on_a_phone_an_inspection_followed_up_and_the_coverage(  # type: ignore[no-untyped-def]
    browser, live_server, client_for, tree
):
    SHOTS.mkdir(exist_ok=True)
    day = today()
    document = make_document(tree.province)
    # The commune issued its own programme for the resolution before the deadline set below.
    own = make_programme(tree.commune_a1, document, issued_on=dt.date(2021, 4, 10))
    report(make_task(own, owner_unit=tree.commune_a1), 100)
    province_officer = make_user(role="officer", unit=tree.province, username="tinh_uy")
    commune_officer = make_user(role="officer", unit=tree.commune_a1, username="xa_quang_kim")
    console: list[str] = []

    # 1. The province records its programme, a task for the commune, and the communes' deadline.
    office = _context(browser, live_server, client_for, province_officer, console, viewport=DESKTOP)
    office.goto("/plans/programmes/new/")
    _fill(office, {
        "id_unit": tree.province.code, "id_document": str(document.pk),
        "id_title": "Chương trình hành động thực hiện Nghị quyết Đại hội XIII",
        "id_decision_number": "Số 45-CTr/TU", "id_issued_on": "2021-04-05",
    })  # fmt: skip
    office.get_by_test_id("plans-form").locator("button[type=submit]").click()
    expect(office.get_by_test_id("task-form")).to_be_visible()
    programme = ActionProgramme.objects.get(decision_number="45-CTr/TU")
    assert (programme.unit, programme.origin_unit) == (tree.province, tree.province)
    _fill(office, {
        "id_title": "Tổ chức học tập, quán triệt Nghị quyết đến toàn thể đảng viên",
        "id_owner_unit": tree.commune_a1.code, "id_starts_on": day.isoformat(),
        "id_due_on": (day + dt.timedelta(days=7)).isoformat(),
        "id_expected_result": "100 % đảng viên được học tập",
    })  # fmt: skip
    office.get_by_test_id("task-form").locator("button[type=submit]").click()
    expect(office.get_by_test_id("task-list")).to_contain_text("Tổ chức học tập, quán triệt Nghị quyết")
    expect(office.get_by_test_id("task-list")).to_contain_text(tree.commune_a1.name)
    office.screenshot(path=str(SHOTS / "plans-programme.png"), full_page=True)
    office.goto("/plans/requirements/new/")
    _fill(office, {
        "id_unit": tree.province.code, "id_document": str(document.pk),
        "id_tier": str(Tier.objects.get(code="commune").pk), "id_due_on": "2021-04-30",
    })  # fmt: skip
    office.get_by_test_id("plans-form").locator("button[type=submit]").click()
    expect(office.get_by_test_id("coverage")).to_be_visible()
    coverage_url = office.url.split("?")[0]

    # 2. The commune's officer opens the task from "My work" on a phone and reports progress.
    phone = _context(
        browser, live_server, client_for, commune_officer, console, viewport=PHONE, is_mobile=True, has_touch=True
    )
    phone.goto("/")
    work = phone.get_by_test_id("my-work")
    expect(work).to_contain_text("1")
    _no_sideways_scrolling(phone)
    work.locator('a[href$="?due=soon"]').tap()
    phone.get_by_test_id("due-tasks").get_by_role("link", name="Tổ chức học tập, quán triệt Nghị quyết").tap()
    expect(phone.get_by_test_id("task-status")).to_have_text("Chưa triển khai")
    _no_sideways_scrolling(phone)
    _fill(phone, {
        "id_percent": "60", "id_note": "Đã tổ chức 3/5 hội nghị chi bộ",
        "id_url": "https://example.org/bien-ban-hoi-nghi.pdf",
    })  # fmt: skip
    phone.get_by_test_id("update-form").locator("button[type=submit]").tap()
    expect(phone.get_by_test_id("task-status")).to_have_text("Đang thực hiện")
    updates = phone.get_by_test_id("updates")
    expect(updates).to_contain_text("60 %")
    expect(updates).to_contain_text("Đã tổ chức 3/5 hội nghị chi bộ")
    expect(updates.locator('a[href="https://example.org/bien-ban-hoi-nghi.pdf"]')).to_have_count(1)
    _no_sideways_scrolling(phone)
    phone.screenshot(path=str(SHOTS / "plans-task-progress-phone.png"), full_page=True)
    update = ProgressUpdate.objects.get(task__programme__decision_number="45-CTr/TU")
    assert (update.percent, update.url, update.created_by) == (
        60, "https://example.org/bien-ban-hoi-nghi.pdf", commune_officer,
    )  # fmt: skip

    # 3. The province records an inspection of the commune and a conclusion asking it to act.
    office.goto("/plans/inspections/new/")
    _fill(office, {
        "id_unit": tree.province.code, "id_title": "Kiểm tra việc học tập, quán triệt Nghị quyết",
        "id_deciding_body": "Ban Thường vụ Tỉnh ủy", "id_decision_number": "12-QĐ/TU",
        "id_starts_on": (day - dt.timedelta(days=10)).isoformat(),
        "id_ends_on": (day - dt.timedelta(days=8)).isoformat(), "id_inspected": tree.commune_a1.code,
        "id_topics": "Việc tổ chức học tập, quán triệt Nghị quyết ở các chi bộ",
    })  # fmt: skip
    office.get_by_test_id("plans-form").locator("button[type=submit]").click()
    expect(office.get_by_test_id("inspected")).to_have_text(tree.commune_a1.name)
    _fill(office, {
        "id_conclusion-text": "Tổ chức học tập bổ sung cho đảng viên vắng mặt",
        "id_conclusion-owner_unit": tree.commune_a1.code,
        "id_conclusion-due_on": (day + dt.timedelta(days=30)).isoformat(),
    })  # fmt: skip
    office.get_by_test_id("conclusion-form").locator("button[type=submit]").click()
    conclusions = office.get_by_test_id("conclusions")
    expect(conclusions).to_contain_text("Tổ chức học tập bổ sung cho đảng viên vắng mặt")
    expect(conclusions.locator(".badge.text-bg-secondary")).to_have_count(1)  # open
    follow_up = FollowUp.objects.get()
    assert follow_up.owner_unit == tree.commune_a1 and follow_up.closed_on is None
    # The minutes of the working session uploaded, and the dossier downloaded as PDF.
    office.locator("#id_file").set_input_files(
        {"name": "bien-ban.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("Bien ban lam viec")}
    )
    _fill(office, {"id_kind": "minutes", "id_dated_on": (day - dt.timedelta(days=8)).isoformat(),
                   "id_title": "Biên bản buổi làm việc"})  # fmt: skip
    office.get_by_test_id("file-form").locator("button[type=submit]").click()
    expect(office.get_by_test_id("files")).to_contain_text("Biên bản buổi làm việc")
    assert InspectionFile.objects.get().kind == "minutes"
    dossier = office.request.get(office.get_by_test_id("dossier-pdf").get_attribute("href"))
    assert dossier.ok and dossier.headers["content-type"] == "application/pdf" and dossier.body()[:5] == b"%PDF-"

    # 4. The commune's officer closes the follow-up with evidence, on the phone.
    phone.goto("/plans/follow-ups/")
    card = phone.get_by_test_id("follow-up")
    expect(card).to_contain_text("Tổ chức học tập bổ sung cho đảng viên vắng mặt")
    _no_sideways_scrolling(phone)
    _fill(phone, {
        f"id_f{follow_up.pk}-evidence": "Đã học tập bổ sung cho 12 đảng viên",
        f"id_f{follow_up.pk}-url": "https://example.org/bao-cao-bo-sung.pdf",
    })  # fmt: skip
    card.locator("button[type=submit]").tap()
    expect(phone.get_by_test_id("conclusions").locator(".badge.text-bg-success")).to_have_count(1)  # closed
    expect(phone.get_by_test_id("conclusions")).to_contain_text("Đã học tập bổ sung cho 12 đảng viên")
    _no_sideways_scrolling(phone)
    phone.screenshot(path=str(SHOTS / "plans-follow-up-closed-phone.png"), full_page=True)
    follow_up.refresh_from_db()
    assert (follow_up.closed_on, follow_up.evidence_url) == (day, "https://example.org/bao-cao-bo-sung.pdf")

    # The follow-up's deadline on the commune's calendar of deadlines, on the phone.
    phone.goto(f"/plans/calendar/?month={(day + dt.timedelta(days=30)):%Y-%m}")
    expect(phone.get_by_test_id("calendar-list")).to_contain_text("Tổ chức học tập bổ sung cho đảng viên vắng mặt")
    _no_sideways_scrolling(phone)

    # 5. The coverage page shows the commune's programme, on time; the other units have none.
    office.goto(coverage_url)
    rows = office.get_by_test_id("coverage").locator("tbody tr")
    expect(rows).to_have_count(3)
    commune_row = rows.filter(has_text=tree.commune_a1.name)
    expect(commune_row).to_contain_text("Đúng hạn")
    expect(commune_row).to_contain_text("1/1 (100,0 %)")  # the Vietnamese decimal comma
    expect(rows.filter(has_text=tree.commune_b1.name)).to_contain_text("Chưa ban hành")
    expect(office.locator("html")).to_have_attribute("lang", "vi")
    office.screenshot(path=str(SHOTS / "plans-coverage.png"), full_page=True)

    # The same page in English.
    User.objects.filter(pk=province_officer.pk).update(language="en")
    english = _context(browser, live_server, client_for, province_officer, console, viewport=DESKTOP)
    english.goto(coverage_url)
    expect(english.locator("html")).to_have_attribute("lang", "en")
    english_row = english.get_by_test_id("coverage").locator("tbody tr").filter(has_text=tree.commune_a1.name)
    expect(english_row).to_contain_text("On time")
    expect(english_row).to_contain_text("1/1 (100.0 %)")
    english.screenshot(path=str(SHOTS / "plans-coverage-en.png"), full_page=True)
    for page in (office, phone, english):
        page.context.close()

    problems = [m for m in console if m.startswith(("error", "pageerror")) or "Content Security Policy" in m]
    assert not problems, problems
