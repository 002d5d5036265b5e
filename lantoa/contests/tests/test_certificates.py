"""Certificates of a closed round's prizes: a page per individual and collective prize, in
Vietnamese, signed as the contest says; refused before the round closes and without prizes; for
those who may change the contest; audited."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from lantoa.accounts.tests.factories import make_user
from lantoa.contests.services import contest_update, round_close
from lantoa.contests.tests.results_data import entry, past_round, person
from lantoa.contests.tests.test_external_views import bearer
from lantoa.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture
def round_(tree):
    round_ = past_round(tree.province)  # two individual prizes, one collective
    entry(round_, person(round_, tree.commune_a1, name="Nguyễn Thị Hoa"), score=3)
    entry(round_, person(round_, tree.commune_b1, name="Lò Văn Páo"), score=2)
    entry(round_, person(round_, tree.commune_b1, name="Giàng A Chứ"), score=1)
    return round_


def test_a_page_per_prize_signed_as_the_contest_says(tree, round_, admin_user):
    api = bearer(admin_user)
    url = f"/api/v1/contests/rounds/{round_.pk}/certificates.pdf"
    early = api.get(url)
    assert early.status_code == 409 and early.json()["code"] == "round_open"
    round_close(by=None, round_=round_)
    contest_update(
        by=None,
        contest=round_.contest,
        changes={"signer_role": "TM. Ban Tổ chức — Trưởng ban", "signer_name": "Trần Thị Hương"},
    )
    answer = api.get(url)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    pages = _pages(answer.content)
    assert len(pages) == 3  # two individual prizes, one collective
    assert "Nguyễn Thị Hoa" in pages[0] and "hạng 1" in pages[0] and tree.commune_a1.name in pages[0]
    assert "Lò Văn Páo" in pages[1] and "Giàng A Chứ" not in "".join(pages)
    assert "Giải tập thể" in pages[2]
    for page in pages:
        for expected in (
            "GIẤY CHỨNG NHẬN",
            round_.contest.title,
            "TM. BAN TỔ CHỨC — TRƯỞNG BAN",
            "Trần Thị Hương",
            "tháng",
        ):
            assert expected in page, expected
    assert AuditEntry.objects.filter(action="lantoa.contests.certificates.printed").count() == 1


def test_without_a_signer_the_head_of_the_organising_board_signs(tree, round_, admin_user, client_for):
    round_close(by=None, round_=round_)
    client = client_for(admin_user)
    page = client.get(reverse("contests:round_results", args=[round_.pk])).content.decode()
    url = reverse("contests:round_certificates", args=[round_.pk])
    assert url in page
    pdf = client.get(url)
    assert pdf.status_code == 200 and "TRƯỞNG BAN TỔ CHỨC" in _pages(pdf.content)[0]


def test_no_prize_no_certificates_and_only_for_those_who_may_change(tree, admin_user, inspector, client_for):
    round_ = past_round(tree.province)
    round_.contest.prizes_individual = round_.contest.prizes_collective = 0
    round_.contest.save()
    round_close(by=None, round_=round_)
    answer = bearer(admin_user).get(f"/api/v1/contests/rounds/{round_.pk}/certificates.pdf")
    assert answer.status_code == 409 and answer.json()["code"] == "no_prizes"
    assert client_for(inspector).get(reverse("contests:round_certificates", args=[round_.pk])).status_code == 403
    outsider = bearer(make_user(role="officer", unit=tree.commune_b1, username="out"))
    assert outsider.get(f"/api/v1/contests/rounds/{round_.pk}/certificates.pdf").status_code == 404


def test_the_last_round_prints_the_referral_prizes_once_every_round_closed(tree, admin_user):
    from lantoa.contests.tests.factories import make_contest

    contest = make_contest(tree.province, prizes_individual=1, referral_prizes=2)
    first = past_round(tree.province, contest=contest)
    last = past_round(tree.province, contest=contest, bank=first.bank)
    hoa = person(first, tree.commune_a1, name="Nguyễn Thị Hoa")
    pao = person(first, tree.commune_b1, name="Lò Văn Páo")
    chu = person(first, tree.commune_b1, name="Giàng A Chứ")
    nobody = person(first, tree.commune_b1, name="Vàng Thị Mỷ")
    entry(first, hoa, score=3)
    for _n in range(3):  # Hoa brought three people who entered, Páo and Chứ one each (a tie at rank 2)
        entry(first, person(first, tree.commune_a1, referral_code=hoa.referral_code), score=1)
    entry(last, person(last, tree.commune_b1, referral_code=pao.referral_code), score=1)
    entry(last, person(last, tree.commune_b1, referral_code=chu.referral_code), score=1)
    person(last, tree.commune_b1, referral_code=nobody.referral_code)  # registered, never entered
    api = bearer(admin_user)
    round_close(by=None, round_=last)
    early = _pages(api.get(f"/api/v1/contests/rounds/{last.pk}/certificates.pdf").content)
    assert not any("giải lan tỏa" in page.lower() for page in early)  # the first round is still open
    round_close(by=None, round_=first)
    assert not any(
        "lan tỏa" in page for page in _pages(api.get(f"/api/v1/contests/rounds/{first.pk}/certificates.pdf").content)
    )
    pages = _pages(api.get(f"/api/v1/contests/rounds/{last.pk}/certificates.pdf").content)
    referral = [page for page in pages if "lan tỏa" in page]
    assert len(referral) == 3
    assert "Nguyễn Thị Hoa" in referral[0] and "hạng 1" in referral[0] and "3 người" in referral[0]
    assert tree.commune_a1.name in referral[0]
    assert {"Lò Văn Páo", "Giàng A Chứ"} == {
        name for name in ("Lò Văn Páo", "Giàng A Chứ") if any(name in p for p in referral[1:])
    }
    assert all("hạng 2" in page and "1 người" in page for page in referral[1:])
    assert "Vàng Thị Mỷ" not in "".join(pages)


@pytest.mark.parametrize("winners", [2, 6])
def test_referral_pages_cost_the_same_queries_for_few_or_many_winners(tree, winners):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from lantoa.contests import certificates
    from lantoa.contests.tests.factories import make_contest

    contest = make_contest(tree.province, prizes_individual=1, referral_prizes=winners)
    round_ = past_round(tree.province, contest=contest)
    for n in range(winners):
        referrer = person(round_, tree.commune_a1, name=f"Người giới thiệu {n}")
        for _brought in range(n + 1):
            entry(round_, person(round_, tree.commune_b1, referral_code=referrer.referral_code), score=1)
    round_close(by=None, round_=round_)
    round_ = type(round_).objects.select_related("contest__unit").get(pk=round_.pk)
    with CaptureQueriesContext(connection) as queries, translation.override("en"):
        pages = certificates.round_certificate_pages(round_)
    assert sum(1 for page in pages if ("prize", f"Referral prize, rank {winners}") in page) == 1
    assert sum(1 for page in pages if page[-1][1].endswith("brought to the contest")) == winners
    # the prizes, the unit ranking and its units, the contest's rounds, the referral counts, the referrers
    assert len(queries) == 6, [q["sql"] for q in queries]
