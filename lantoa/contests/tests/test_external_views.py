"""Results from another platform on the contest's page and over the API: who may reach them,
every bad row listed with its row and column (nothing written), the stored rows listed at a cost
independent of their number, and the template."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from lantoa.accounts.services import api_token_create
from lantoa.accounts.tests.factories import make_user
from lantoa.contests.models import ExternalResult
from lantoa.contests.services.external import external_results_import
from lantoa.contests.tests.factories import make_contest
from lantoa.contests.tests.test_external_io import workbook

pytestmark = pytest.mark.django_db

GOOD = [["P-A-1", "Tuần 1", "09/05/2021", 120, 310], ["P-A-1-C1", "Tuần 1", "09/05/2021", "1.200", "3 100"]]
BAD = [
    ["P-A-1", "Tuần 1", "09/05/2021", 10, 20],  # good
    ["P-B-1", "Tuần 1", "09/05/2021", 10, 20],  # another district: like an unknown unit
    ["P-A-1-C1", "Tuần 1", "09/05/2021", 30, 20],  # more people than entries
    ["P-A-1-C1", "Tuần 2", "31/02/2021", "mười", 1],  # not a date, not a number
]


def bearer(user: Any) -> Client:
    _row, secret = api_token_create(by=None, user=user, name="external")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def upload(rows: list[list[Any]], name: str = "ket-qua.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, workbook(rows))


def test_the_contest_page_links_to_the_page_for_those_who_may_change_it(tree, admin_user, inspector, client_for):
    contest = make_contest(tree.district_a)
    url = reverse("contests:contest_external", args=[contest.pk])
    detail = reverse("contests:contest_detail", args=[contest.pk])
    assert url in client_for(admin_user).get(detail).content.decode()
    assert url not in client_for(inspector).get(detail).content.decode()
    assert client_for(inspector).get(url).status_code == 403


def test_the_page_stores_a_good_file_and_lists_its_rows(tree, admin_user, client_for):
    contest = make_contest(tree.district_a)
    client = client_for(admin_user)
    url = reverse("contests:contest_external", args=[contest.pk])
    empty = client.get(url).content.decode()
    assert "Kết quả cuộc thi tổ chức trên nền tảng khác" in empty
    assert "Chưa có kết quả nào từ nền tảng khác." in empty
    assert reverse("contests:contest_external_template", args=[contest.pk]) in empty and "Tải tệp mẫu (XLSX)" in empty
    done = client.post(url, {"file": upload(GOOD)}, follow=True)
    html = done.content.decode()
    assert done.status_code == 200 and "Đã lưu 2 dòng cho Tuần 1." in html
    assert html.count('data-testid="external-row"') == 2
    assert "Đợt thi" in html and "Người dự thi" in html and "Lượt dự thi" in html
    assert '<td class="text-end">3.100</td>' in html
    assert ExternalResult.objects.filter(contest=contest).count() == 2


def test_the_page_lists_every_bad_row_and_writes_nothing(tree, admin_user, client_for):
    contest = make_contest(tree.district_a)
    client = client_for(admin_user)
    url = reverse("contests:contest_external", args=[contest.pk])
    rejected = client.post(url, {"file": upload(BAD)})
    html = rejected.content.decode()
    assert rejected.status_code == 422 and 'data-testid="import-errors"' in html
    assert html.count('data-testid="import-error"') == 4
    for row, column in [(3, "Mã đơn vị"), (4, "Số người dự thi"), (5, "Đến ngày"), (5, "Số người dự thi")]:
        assert f'<td>{row}</td><td class="text-nowrap">{column}</td>' in html
    assert not ExternalResult.objects.exists()
    wrong_kind = client.post(url, {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4")})
    assert wrong_kind.status_code == 422 and "Tải lên tệp XLSX hoặc CSV." in wrong_kind.content.decode()


def test_the_template_downloads_with_the_vietnamese_headers(tree, admin_user, client_for):
    contest = make_contest(tree.district_a)
    answer = client_for(admin_user).get(reverse("contests:contest_external_template", args=[contest.pk]))
    assert answer.status_code == 200 and answer["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet is not None and [c.value for c in sheet[1]][:2] == ["Mã đơn vị", "Đợt thi"]


def test_out_of_scope_answers_like_missing_and_anonymous_is_refused(tree, client_for):
    contest = make_contest(tree.district_a)
    outsider = client_for(make_user(role="officer", unit=tree.commune_b1, username="out"))
    for name in ("contests:contest_external", "contests:contest_external_template"):
        url = reverse(name, args=[contest.pk])
        missing = reverse(name, args=[contest.pk + 1000])
        assert outsider.get(url).status_code == 404 == outsider.get(missing).status_code
        anonymous = Client().get(url)
        assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    assert (
        outsider.post(reverse("contests:contest_external", args=[contest.pk]), {"file": upload(GOOD)}).status_code
        == 404
    )
    api = bearer(make_user(role="officer", unit=tree.commune_b1, username="out-api"))
    answers = [api.get(f"/api/v1/contests/{pk}/external") for pk in (contest.pk, contest.pk + 1000)]
    assert [a.status_code for a in answers] == [404, 404] and answers[0].json()["message"] == answers[1].json()[
        "message"
    ]
    assert Client().get(f"/api/v1/contests/{contest.pk}/external").status_code == 401
    assert Client().post(f"/api/v1/contests/{contest.pk}/external", {"file": upload(GOOD)}).status_code in (401, 403)
    assert not ExternalResult.objects.exists()


def test_the_api_stores_a_good_file_lists_it_and_rejects_a_bad_one(tree, admin_user):
    contest = make_contest(tree.district_a)
    client = bearer(admin_user)
    path = f"/api/v1/contests/{contest.pk}/external"
    bad = client.post(path, {"file": upload(BAD)})
    assert bad.status_code == 422 and bad.json()["code"] == "import_rejected"
    places = {(d["row"], d["column"]) for d in bad.json()["extra"]["details"]}
    assert {(3, "Mã đơn vị"), (4, "Số người dự thi"), (5, "Đến ngày")} <= places
    assert not ExternalResult.objects.exists()
    good = client.post(path, {"file": upload(GOOD)})
    assert good.status_code == 200
    assert {k: good.json()[k] for k in ("rows", "replaced", "periods")} == {
        "rows": 2,
        "replaced": 0,
        "periods": ["Tuần 1"],
    }
    again = client.post(
        path,
        {
            "file": SimpleUploadedFile(
                "k.csv",
                "Mã đơn vị,Đợt thi,Đến ngày,Số người dự thi,Số lượt dự thi\nP-A-1,tuần 1,09/05/2021,5,7\n".encode(),
            )
        },
    )
    assert again.status_code == 200 and again.json()["replaced"] == 2
    listing = client.get(path).json()
    assert listing["count"] == 1
    assert listing["items"][0] | {"imported_at": None} == {
        "unit": "P-A-1",
        "unit_name": tree.commune_a1.name,
        "period": "tuần 1",
        "day": "2021-05-09",
        "participants": 5,
        "entries": 7,
        "imported_at": None,
    }
    template = client.get(f"{path}/template")
    assert template.status_code == 200 and template.content[:2] == b"PK"
    assert client.post(path, {}).status_code == 422


def _contest_with(tree: Any, count: int) -> Any:
    contest = make_contest(tree.district_a, title=f"Cuộc thi {count}")
    rows = [["P-A-1", f"Tuần {n}", "09/05/2021", 1, 2] for n in range(1, count + 1)]
    external_results_import(by=None, contest=contest, file=workbook(rows))
    return contest


def test_the_list_page_costs_the_same_queries_for_3_or_30_rows(tree, admin_user, client_for):
    client = client_for(admin_user)
    counts = []
    for count in (3, 30):
        url = reverse("contests:contest_external", args=[_contest_with(tree, count).pk])
        client.get(url)  # warm the caches of the first request
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.content.decode().count('data-testid="external-row"') == count
        counts.append(len(captured))
    assert counts[0] == counts[1]
