"""Restricted contests: the list of eligible people (imported by the organiser, every bad row
reported, nothing written on a problem), registration with the code the list gives (once, the
name and unit taken from the list), taking someone off, the page and the API, and scope."""

from __future__ import annotations

import io
import threading
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from lantoa.accounts.tests.factories import make_user
from lantoa.contests.models import Audience, Contestant, ContestantGroup, EligiblePerson
from lantoa.contests.services import Registration, contestant_register
from lantoa.contests.services.eligible import clean_invitation, eligible_import, eligible_remove
from lantoa.contests.tests.factories import make_contest
from lantoa.contests.tests.test_external_io import workbook
from lantoa.contests.tests.test_external_views import bearer
from lantoa.core.errors import Conflict, ImportRejected, ValidationFailed
from lantoa.core.models import AuditEntry
from lantoa.core.tests.concurrency import skip_unless_shared_database

pytestmark = pytest.mark.django_db

HEADER = ["Họ và tên", "Mã đơn vị", "Chức vụ"]
GOOD = [["Nguyễn Thị Hoa", "P-A-1", "Phó Bí thư Đảng ủy"], ["Lò Văn Páo", "P-A-1-C1", ""]]


def sheet(rows: list[list[Any]]) -> bytes:
    return workbook(rows, header=HEADER)


def restricted(tree: Any) -> Any:
    return make_contest(tree.district_a, audience=Audience.RESTRICTED)


def code_of(name: str) -> str:
    return EligiblePerson.objects.get(name=name).invitation


def register(contest: Any, invitation: str, **changes: Any) -> Any:
    values: dict[str, Any] = {"name": "", "consent": True, "invitation": invitation, **changes}
    return contestant_register(contest=contest, data=Registration(**values))


def test_a_good_file_puts_everyone_on_the_list_with_a_code_of_their_own(tree, admin_user):
    contest = restricted(tree)
    result = eligible_import(by=admin_user, contest=contest, file=sheet(GOOD))
    assert result.rows == 2 and result.summary() == "Đã thêm 2 người vào danh sách."
    people = list(EligiblePerson.objects.filter(contest=contest).order_by("name"))
    assert [(p.name, p.unit.code, p.position) for p in people] == [
        ("Lò Văn Páo", "P-A-1-C1", ""),
        ("Nguyễn Thị Hoa", "P-A-1", "Phó Bí thư Đảng ủy"),
    ]
    codes = {p.invitation for p in people}
    assert len(codes) == 2 and all(len(c) == 8 and not set(c) & set("01OIL") for c in codes)
    assert AuditEntry.objects.filter(action="lantoa.contests.eligible.imported").count() == 1


def test_every_bad_row_is_reported_and_nobody_is_added(tree, admin_user):
    contest = restricted(tree)
    eligible_import(by=admin_user, contest=contest, file=sheet([["Nguyễn Thị Hoa", "P-A-1", ""]]))
    rows = [
        ["Lò Văn Páo", "P-A-1-C1", ""],  # good
        ["nguyen thi hoa", "P-A-1", ""],  # already on the list (folded)
        ["Giàng A Chứ", "P-B-1", ""],  # another district: like an unknown unit
        ["Giàng A Chứ", "KHONG-CO", ""],  # unknown unit
        ["", "P-A-1", ""],  # no name
        ["Lò Văn Páo", "P-A-1-C1", ""],  # the same person twice in the file
    ]
    with pytest.raises(ImportRejected) as caught:
        eligible_import(by=admin_user, contest=contest, file=sheet(rows))
    assert sorted({d["row"] for d in caught.value.extra["details"]}) == [3, 4, 5, 6, 7]
    messages = " | ".join(caught.value.extra["errors"])
    assert "đã có trong danh sách" in messages and "cùng một người ở dòng 2" in messages
    assert messages.count('không có đơn vị mã "') == 2
    assert EligiblePerson.objects.filter(contest=contest).count() == 1


def test_registration_takes_the_code_once_and_the_name_and_unit_from_the_list(tree, admin_user):
    contest = restricted(tree)
    eligible_import(by=admin_user, contest=contest, file=sheet(GOOD))
    code = code_of("Nguyễn Thị Hoa")
    with pytest.raises(ValidationFailed) as missing:
        register(contest, "")
    assert missing.value.extra["field"] == "invitation"
    with pytest.raises(Conflict) as unknown:
        register(contest, "ABCD-EFGH")
    assert unknown.value.code == "invitation_unknown"
    typed = f"{code[:4].lower()} - {code[4:].lower()}"
    registered = contestant_register(
        contest=contest,
        data=Registration(name="Tên khác", consent=True, invitation=typed, unit=tree.commune_b1),
    )
    contestant = registered.contestant
    assert (contestant.name, contestant.unit, contestant.group) == ("Nguyễn Thị Hoa", tree.commune_a1, "cadre")
    assert EligiblePerson.objects.get(invitation=code).contestant == contestant
    with pytest.raises(Conflict) as used:
        register(contest, code)
    assert used.value.message == unknown.value.message  # a used code reads like an unknown one
    with pytest.raises(ValidationFailed):
        register(contest, code_of("Lò Văn Páo"), consent=False)
    assert Contestant.objects.filter(contest=contest).count() == 1


def test_a_public_contest_ignores_codes(tree):
    contest = make_contest(tree.district_a)
    registered = contestant_register(
        contest=contest,
        data=Registration(
            name="Nguyễn Văn An",
            consent=True,
            unit=tree.commune_a1,
            group=ContestantGroup.STUDENT,
            invitation="ABCD-EFGH",
        ),
    )
    assert registered.contestant.group == ContestantGroup.STUDENT


@pytest.mark.django_db(transaction=True)
def test_one_code_registers_one_contestant_when_many_try_at_once(tree, admin_user):
    skip_unless_shared_database()
    contest = restricted(tree)
    eligible_import(by=admin_user, contest=contest, file=sheet(GOOD))
    code = code_of("Lò Văn Páo")
    gate = threading.Barrier(20)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt() -> None:
        try:
            gate.wait(timeout=30)
            register(contest, code)
            outcome = "registered"
        except Conflict as refusal:
            outcome = refusal.code
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(set(outcomes)) == ["invitation_unknown", "registered"] and outcomes.count("registered") == 1
    assert Contestant.objects.filter(contest=contest).count() == 1


def test_only_someone_who_has_not_registered_can_be_taken_off(tree, admin_user):
    contest = restricted(tree)
    eligible_import(by=admin_user, contest=contest, file=sheet(GOOD))
    register(contest, code_of("Nguyễn Thị Hoa"))
    with pytest.raises(Conflict) as refused:
        eligible_remove(by=admin_user, person=EligiblePerson.objects.get(name="Nguyễn Thị Hoa"))
    assert refused.value.code == "eligible_registered"
    eligible_remove(by=admin_user, person=EligiblePerson.objects.get(name="Lò Văn Páo"))
    assert list(EligiblePerson.objects.values_list("name", flat=True)) == ["Nguyễn Thị Hoa"]
    assert AuditEntry.objects.filter(action="lantoa.contests.eligible.removed").count() == 1


def test_the_page_adds_lists_exports_and_takes_off(tree, admin_user, client_for):
    contest = restricted(tree)
    client = client_for(admin_user)
    url = reverse("contests:contest_eligible", args=[contest.pk])
    assert url in client.get(reverse("contests:contest_detail", args=[contest.pk])).content.decode()
    empty = client.get(url).content.decode()
    assert "Danh sách người được dự thi" in empty and "Chưa có ai trong danh sách." in empty
    bad = client.post(url, {"file": SimpleUploadedFile("ds.xlsx", sheet([["Giàng A Chứ", "P-B-1", ""]]))})
    assert bad.status_code == 422 and 'data-testid="import-errors"' in bad.content.decode()
    done = client.post(url, {"file": SimpleUploadedFile("ds.xlsx", sheet(GOOD))}, follow=True)
    html = done.content.decode()
    assert "Đã thêm 2 người vào danh sách." in html and html.count('data-testid="eligible-row"') == 2
    code = code_of("Lò Văn Páo")
    assert f"{code[:4]}-{code[4:]}" in html
    assert "2 người trong danh sách, 0 người đã đăng ký bằng mã của mình." in html
    found = client.get(url, {"q": "P-A-1-C1"}).content.decode()
    assert found.count('data-testid="eligible-row"') == 1
    export = client.get(reverse("contests:contest_eligible_export", args=[contest.pk]))
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("Họ và tên", "Mã đơn vị", "Đơn vị", "Chức vụ", "Mã đăng ký", "Đã đăng ký")
    assert ("Lò Văn Páo", "P-A-1-C1", tree.cell_a1.name, None, f"{code[:4]}-{code[4:]}", "chưa") in rows
    person = EligiblePerson.objects.get(name="Lò Văn Páo")
    client.post(reverse("contests:contest_eligible_remove", args=[contest.pk, person.pk]))
    assert not EligiblePerson.objects.filter(pk=person.pk).exists()
    template = client.get(reverse("contests:contest_eligible_template", args=[contest.pk]))
    assert [c.value for c in load_workbook(io.BytesIO(template.content)).active[1]] == HEADER


def test_the_public_page_asks_a_restricted_contest_for_the_code_only(tree, admin_user):
    contest = restricted(tree)
    eligible_import(by=admin_user, contest=contest, file=sheet(GOOD))
    client = Client()
    url = reverse("contests:play_register", args=[contest.pk])
    page = client.get(url).content.decode()
    assert 'name="invitation"' in page and 'name="name"' not in page and 'name="unit"' not in page
    wrong = client.post(url, {"invitation": "ABCD-EFGH", "consent": "on"})
    assert wrong.status_code == 422 and "Mã đăng ký này không có trong danh sách" in wrong.content.decode()
    right = client.post(url, {"invitation": code_of("Lò Văn Páo"), "consent": "on"})
    assert right.status_code == 302
    assert Contestant.objects.get(contest=contest).name == "Lò Văn Páo"


def test_the_api_lists_adds_takes_off_and_registers(tree, admin_user):
    contest = restricted(tree)
    api = bearer(admin_user)
    base = f"/api/v1/contests/{contest.pk}/eligible"
    added = api.post(base, {"file": SimpleUploadedFile("ds.xlsx", sheet(GOOD))})
    assert added.status_code == 200 and added.json()["rows"] == 2
    listed = api.get(base).json()
    assert listed["count"] == 2 and listed["registered"] == 0
    hoa = next(item for item in listed["items"] if item["name"] == "Nguyễn Thị Hoa")
    assert hoa["unit"] == "P-A-1" and len(hoa["invitation"]) == 9 and not hoa["registered"]
    public = Client().post(
        f"/api/v1/contests/{contest.pk}/contestants",
        {"invitation": hoa["invitation"], "consent": True},
        content_type="application/json",
    )
    assert public.status_code == 201 and public.json()["name"] == "Nguyễn Thị Hoa"
    assert api.delete(f"{base}/{hoa['id']}").json()["code"] == "eligible_registered"
    pao = next(item for item in listed["items"] if item["name"] == "Lò Văn Páo")
    assert api.delete(f"{base}/{pao['id']}").status_code == 204
    rejected = api.post(base, {"file": SimpleUploadedFile("ds.xlsx", sheet([["", "P-A-1", ""]]))})
    assert rejected.status_code == 422 and rejected.json()["code"] == "import_rejected"


def test_outside_the_organiser_the_list_answers_like_a_missing_contest(tree, admin_user, client_for):
    contest = restricted(tree)
    eligible_import(by=admin_user, contest=contest, file=sheet(GOOD))
    person = EligiblePerson.objects.first()
    outsider = make_user(role="officer", unit=tree.commune_b1, username="out")
    page = client_for(outsider).get(reverse("contests:contest_eligible", args=[contest.pk]))
    missing = client_for(outsider).get(reverse("contests:contest_eligible", args=[contest.pk + 1000]))
    assert page.status_code == missing.status_code == 404
    api = bearer(make_user(role="officer", unit=tree.commune_b1, username="out-api"))
    seen = api.get(f"/api/v1/contests/{contest.pk}/eligible")
    gone = api.get(f"/api/v1/contests/{contest.pk + 1000}/eligible")
    assert seen.status_code == gone.status_code == 404 and seen.json()["extra"].keys() == gone.json()["extra"].keys()
    assert api.delete(f"/api/v1/contests/{contest.pk}/eligible/{person.pk}").status_code == 404
    assert EligiblePerson.objects.filter(pk=person.pk).exists()


def test_codes_are_typed_loosely():
    assert clean_invitation(" abcd-efgh ") == "ABCDEFGH" and clean_invitation("AB CD.EF GH") == "ABCDEFGH"
