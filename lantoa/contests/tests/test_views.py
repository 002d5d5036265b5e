"""The bank pages: each answers, shows only the actions its viewer may take, and bad input
re-renders the form and changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lantoa.accounts.tests.factories import make_user
from lantoa.contests.models import Kind, Question, QuestionBank, QuestionVersion
from lantoa.contests.tests.factories import make_bank, make_question

pytestmark = pytest.mark.django_db

EXPORT = (Path(__file__).parent / "fixtures" / "moodle_lich_su_dang.xml").read_bytes()


def question_post(**changes: str | list[str]) -> dict[str, str | list[str]]:
    return {
        "kind": Kind.SINGLE,
        "stem": "Đại hội XIII của Đảng họp năm nào?",
        "option_a": "2016",
        "option_b": "2021",
        "option_c": "2026",
        "correct": ["B"],
        "scoring": "all_or_nothing",
        "difficulty": "1",
        "tags": "Chương 2; Đại hội XIII",
        "explanation": "",
        "ref": "",
        **changes,
    }


def test_every_page_answers_for_an_editor(tree, admin_user, client_for):
    bank = make_bank(tree.province)
    question = make_question(bank)
    client = client_for(admin_user)
    for name, args in [
        ("contests:bank_list", []),
        ("contests:bank_new", []),
        ("contests:bank_detail", [bank.pk]),
        ("contests:bank_edit", [bank.pk]),
        ("contests:question_new", [bank.pk]),
        ("contests:question_detail", [question.pk]),
        ("contests:question_edit", [question.pk]),
        ("contests:bank_import", [bank.pk]),
        ("contests:bank_export_xlsx", [bank.pk]),
        ("contests:bank_export_moodle", [bank.pk]),
        ("contests:import_template", []),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 200, name


def test_the_bank_page_lists_filters_and_counts_versions(tree, admin_user, client_for):
    bank = make_bank(tree.province)
    make_question(bank, 1, tags=["Chương 1"])
    second = make_question(bank, 2, stem="Nghị quyết Đại hội XIII nêu mấy đột phá chiến lược?", tags=["Chương 2"])
    from lantoa.contests.services import question_revise
    from lantoa.contests.tests.factories import question_data

    question_revise(
        by=None, question=second, data=question_data(2, stem="Có mấy đột phá chiến lược?", tags=["Chương 2"])
    )
    client = client_for(admin_user)
    page = client.get(reverse("contests:bank_detail", args=[bank.pk])).content.decode()
    assert page.count('data-testid="question-row"') == 2
    assert 'data-testid="version-count">2<' in page
    by_tag = client.get(reverse("contests:bank_detail", args=[bank.pk]), {"tag": "Chương 2"}).content.decode()
    assert by_tag.count('data-testid="question-row"') == 1 and "đột phá" in by_tag
    by_text = client.get(reverse("contests:bank_detail", args=[bank.pk]), {"q": "DOT PHA"}, HTTP_HX_REQUEST="true")
    assert by_text.content.decode().count('data-testid="question-row"') == 1
    assert "<html" not in by_text.content.decode()


def test_a_reader_sees_no_action_they_cannot_take(tree, inspector, client_for):
    bank = make_bank(tree.province)
    question = make_question(bank)
    client = client_for(inspector)
    page = client.get(reverse("contests:bank_detail", args=[bank.pk])).content.decode()
    assert reverse("contests:question_new", args=[bank.pk]) not in page
    assert reverse("contests:bank_import", args=[bank.pk]) not in page
    assert reverse("contests:bank_export_xlsx", args=[bank.pk]) in page
    detail = client.get(reverse("contests:question_detail", args=[question.pk])).content.decode()
    assert reverse("contests:question_edit", args=[question.pk]) not in detail
    assert client.get(reverse("contests:question_edit", args=[question.pk])).status_code == 403
    listing = client.get(reverse("contests:bank_list")).content.decode()
    assert reverse("contests:bank_new") not in listing


def test_out_of_scope_pages_answer_like_missing(tree, client_for):
    bank = make_bank(tree.commune_a1)
    question = make_question(bank)
    client = client_for(make_user(role="officer", unit=tree.commune_b1, username="out"))
    assert client.get(reverse("contests:bank_detail", args=[bank.pk])).status_code == 404
    assert client.get(reverse("contests:question_detail", args=[question.pk])).status_code == 404
    assert client.post(reverse("contests:question_retire", args=[question.pk])).status_code == 404
    assert bank.name not in client.get(reverse("contests:bank_list")).content.decode()


def test_a_bank_is_created_and_bad_input_changes_nothing(tree, officer_a, client_for):
    client = client_for(officer_a)
    bad = client.post(reverse("contests:bank_new"), {"unit": "P", "name": "Của tỉnh"})
    assert bad.status_code == 422 and not QuestionBank.objects.exists()
    empty = client.post(reverse("contests:bank_new"), {"unit": "P-A-1", "name": "\u200b"})
    assert empty.status_code == 422 and not QuestionBank.objects.exists()
    good = client.post(reverse("contests:bank_new"), {"unit": "P-A-1", "name": "Ngân hàng xã", "description": ""})
    bank = QuestionBank.objects.get()
    assert good["Location"] == reverse("contests:bank_detail", args=[bank.pk])


def test_a_question_is_added_revised_and_retired_through_the_pages(tree, admin_user, client_for):
    bank = make_bank(tree.province)
    client = client_for(admin_user)
    url = reverse("contests:question_new", args=[bank.pk])
    bad = client.post(url, question_post(correct=["E"], option_b=""))
    assert bad.status_code == 422 and not Question.objects.exists()
    preview = client.post(url, question_post(preview="1"))
    assert preview.status_code == 200 and not Question.objects.exists()
    assert client.post(url, question_post()).status_code == 302
    question = Question.objects.get()
    assert sorted(t.name for t in question.tags.all()) == ["Chương 2", "Đại hội XIII"]
    edit = reverse("contests:question_edit", args=[question.pk])
    assert client.post(edit, question_post(stem="Đại hội XIII họp vào năm nào?")).status_code == 302
    assert QuestionVersion.objects.filter(question=question).count() == 2
    assert client.post(edit, question_post(option_a="")).status_code == 422
    assert QuestionVersion.objects.filter(question=question).count() == 2
    history = client.get(reverse("contests:question_detail", args=[question.pk])).content.decode()
    assert history.count('data-testid="version"') == 2
    client.post(reverse("contests:question_retire", args=[question.pk]))
    question.refresh_from_db()
    assert question.retired_at is not None


def test_the_preview_shows_the_question_without_its_key_in_the_contestant_view(tree, admin_user, client_for):
    bank = make_bank(tree.province)
    answer = client_for(admin_user).post(
        reverse("contests:question_preview", args=[bank.pk]),
        question_post(kind=Kind.MULTIPLE, correct=["A", "C"]),
        HTTP_HX_REQUEST="true",
    )
    html = answer.content.decode()
    contestant = html.split('data-testid="contestant-view"')[1].split('data-testid="answer-key"')[0]
    assert "Đại hội XIII của Đảng họp năm nào?" in contestant and 'type="checkbox"' in contestant
    assert "A, C" not in contestant and "checked" not in contestant
    assert "A, C" in html.split('data-testid="answer-key"')[1]


def test_the_import_page_lists_problems_and_what_was_not_imported(tree, admin_user, client_for):
    bank = make_bank(tree.province)
    client = client_for(admin_user)
    url = reverse("contests:bank_import", args=[bank.pk])
    broken = client.post(url, {"file": SimpleUploadedFile("b.xml", b"<quiz><question></quiz>")})
    assert broken.status_code == 422 and 'data-testid="import-errors"' in broken.content.decode()
    bad_rows = "Câu hỏi,Phương án A,Phương án B,Đáp án\nMột?,a,b,E\n,a,b,A\n".encode()
    rejected = client.post(url, {"file": SimpleUploadedFile("q.csv", bad_rows)})
    assert rejected.content.decode().count("<tr><td>") >= 2 and not Question.objects.exists()
    done = client.post(url, {"file": SimpleUploadedFile("lsd.xml", EXPORT)})
    html = done.content.decode()
    assert done.status_code == 200 and 'data-testid="import-skipped"' in html and "essay" in html
    assert Question.objects.filter(bank=bank).count() == 4


def _bank_with(unit, count: int) -> QuestionBank:  # type: ignore[no-untyped-def]
    bank = make_bank(unit, name=f"Bank {count}")
    for n in range(count):
        make_question(bank, n, tags=[f"Chương {n % 3 + 1}", "Chung"])
    return bank


def test_the_bank_page_costs_the_same_queries_for_3_or_30_questions(tree, admin_user, client_for):
    client = client_for(admin_user)
    counts = []
    for count in (3, 30):
        bank = _bank_with(tree.province, count)
        url = reverse("contests:bank_detail", args=[bank.pk])
        client.get(url)  # warm the caches of the first request
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.content.decode().count('data-testid="question-row"') == count
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_a_question_cites_a_library_document_the_user_may_read(tree, admin_user, client_for):
    from lantoa.library.defaults import load_defaults
    from lantoa.library.models import DocumentKind
    from lantoa.library.tests.test_documents import make_document

    load_defaults(DocumentKind)
    document = make_document(tree)
    bank = make_bank(tree.province)
    client = client_for(admin_user)
    url = reverse("contests:question_new", args=[bank.pk])
    unknown = client.post(url, question_post(source="99-KL/TW"))
    assert unknown.status_code == 422 and not Question.objects.exists()
    assert client.post(url, question_post(source=str(document.pk))).status_code == 302
    question = Question.objects.get()
    assert question.source_document == document
    detail = client.get(reverse("contests:question_detail", args=[question.pk])).content.decode()
    assert reverse("library:document_detail", args=[document.pk]) in detail
    edit = client.get(reverse("contests:question_edit", args=[question.pk])).content.decode()
    assert f'value="{document.number or document.pk}"' in edit
