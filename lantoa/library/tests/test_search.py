"""Full-text search of the library: folding, numbers, ranking, snippets, filters, scope."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from django.urls import reverse

from lantoa.library.models import Document, DocumentFile, DocumentKind, DocumentVersion
from lantoa.library.search import folded_number, index_document, parse_query, search_documents, search_tokens
from lantoa.library.services import DocumentData, document_create, document_supersede, document_update

pytestmark = pytest.mark.django_db


def make(tree, title: str, **fields) -> Document:  # type: ignore[no-untyped-def]
    kind = DocumentKind.objects.get(code=fields.pop("kind", "resolution"))
    fields.setdefault("owner_unit", tree.province)
    return document_create(by=None, data=DocumentData(kind=kind, title=title, **fields))


def with_text(document: Document, *texts: str, version: int = 1) -> Document:
    """A version whose files carry already extracted text (as the extraction task leaves them)."""
    row = DocumentVersion.objects.create(document=document, number=version)
    for n, text in enumerate(texts):
        DocumentFile.objects.create(
            version=row,
            file=f"test/{document.pk}-{version}-{n}.pdf",
            original_name=f"{n}.pdf",
            content_type="application/pdf",
            size=1,
            sha256="0" * 64,
            extraction=DocumentFile.Extraction.DONE,
            extracted_text=text,
        )
    index_document(document)
    return document


def titles(by, q: str = "", **filters) -> list[str]:  # type: ignore[no-untyped-def]
    return [hit.document.title for hit in search_documents(by, q=q, **filters).items]


# --- Folding -----------------------------------------------------------------------------------


def test_tokens_fold_diacritics_and_d():
    assert search_tokens("Nghị quyết của Đảng, ĐẢNG đoàn") == ["nghi", "quyet", "cua", "dang", "dang", "doan"]
    assert folded_number("01-KL/TW") == "1 kl tw"
    assert folded_number("1373/QĐ-UBND") == "1373 qd ubnd"


def test_query_without_diacritics_finds_the_document(tree, admin_user):
    make(tree, "Nghị quyết về công tác xây dựng Đảng")
    make(tree, "Kế hoạch tuyên truyền")
    assert titles(admin_user, "nghi quyet") == ["Nghị quyết về công tác xây dựng Đảng"]
    assert titles(admin_user, "dang") == ["Nghị quyết về công tác xây dựng Đảng"]
    assert titles(admin_user, "ĐẢNG") == ["Nghị quyết về công tác xây dựng Đảng"]
    assert titles(admin_user, "xây dựng đảng") == ["Nghị quyết về công tác xây dựng Đảng"]


def test_composed_and_decomposed_input_alike(tree, admin_user):
    make(tree, unicodedata.normalize("NFD", "Chỉ thị về học tập"), kind="directive")
    for query in ("chỉ thị", unicodedata.normalize("NFD", "chỉ thị"), unicodedata.normalize("NFC", "Chỉ Thị")):
        assert titles(admin_user, query) == [unicodedata.normalize("NFD", "Chỉ thị về học tập")]


def test_last_word_matches_longer_words(tree, admin_user):
    make(tree, "Nghị quyết Đại hội")
    assert titles(admin_user, "nghi quy") == ["Nghị quyết Đại hội"]
    assert titles(admin_user, "quy nghi") == []  # only the last word is a prefix


def test_quoted_phrase_needs_adjacent_words(tree, admin_user):
    make(tree, "Học tập và làm theo tư tưởng")
    make(tree, "Tư tưởng học tập")
    assert titles(admin_user, '"học tập và"') == ["Học tập và làm theo tư tưởng"]
    assert parse_query('"hoc tap" dang').tokens == ["hoc", "tap", "dang"]


def test_query_without_words_lists_everything(tree, admin_user):
    make(tree, "Một")
    make(tree, "Hai")
    assert search_documents(admin_user, q=" ?!- ").count == 2


# --- Numbers and symbols -----------------------------------------------------------------------


@pytest.mark.parametrize("query", ["01-KL/TW", "01 KL TW", "KL 01", "kl/tw 01", "1-kl-tw", "KL/TW"])
def test_number_forms(tree, admin_user, query):
    make(tree, "Kết luận của Bộ Chính trị", number="01-KL/TW", kind="conclusion")
    make(tree, "Kết luận khác", number="02-KL/TW", kind="conclusion")
    found = titles(admin_user, query)
    if query == "KL/TW":
        assert sorted(found) == ["Kết luận của Bộ Chính trị", "Kết luận khác"]
    else:
        assert found == ["Kết luận của Bộ Chính trị"]


def test_number_with_d(tree, admin_user):
    make(tree, "Quyết định thành lập", number="1373/QĐ-UBND", kind="decision")
    assert titles(admin_user, "1373 qd ubnd") == ["Quyết định thành lập"]
    assert titles(admin_user, "1373/QĐ-UBND") == ["Quyết định thành lập"]


# --- Ranking -----------------------------------------------------------------------------------


def test_number_then_title_then_text(tree, admin_user):
    body = make(tree, "Báo cáo tổng kết", summary="Thực hiện nghị quyết 36 về biển", issued_on=dt.date(2024, 1, 1))
    titled = make(tree, "Nghị quyết về biển", issued_on=dt.date(2020, 1, 1))
    numbered = make(tree, "Về chiến lược", number="36-NQ/TW", issued_on=dt.date(2018, 10, 22))
    page = search_documents(admin_user, q="36 nq")
    assert [hit.document.pk for hit in page.items] == [numbered.pk]
    page = search_documents(admin_user, q="nghị quyết")
    assert [hit.document.pk for hit in page.items] == [titled.pk, body.pk]
    assert [hit.rank for hit in page.items] == [1, 0]
    page = search_documents(admin_user, q="36")
    assert [hit.document.pk for hit in page.items] == [numbered.pk, body.pk]
    assert page.items[0].rank == 2


def test_text_of_the_current_version_only(tree, admin_user):
    document = make(tree, "Tài liệu học tập")
    with_text(document, "Nội dung cũ về rừng", version=1)
    assert titles(admin_user, "rung") == ["Tài liệu học tập"]
    with_text(document, "Nội dung mới về biển đảo", "Phụ lục: hải đăng", version=2)
    assert titles(admin_user, "rung") == []
    assert titles(admin_user, "bien dao") == ["Tài liệu học tập"]
    assert titles(admin_user, "hai dang") == ["Tài liệu học tập"]


# --- Snippets ----------------------------------------------------------------------------------


def test_snippet_is_escaped_and_marked(tree, admin_user):
    document = make(tree, "Hướng dẫn", kind="guidance", summary="Mở đầu")
    with_text(
        document, "Phần một. " * 40 + "Về <script>alert(1)</script> công tác Đảng viên & quần chúng. " + "Kết. " * 60
    )
    hit = search_documents(admin_user, q="dang vien").items[0]
    snippet = str(hit.snippet)
    assert "<mark>Đảng</mark> <mark>viên</mark>" in snippet
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in snippet
    assert "<script>" not in snippet
    assert "&amp; quần chúng" in snippet
    assert snippet.startswith("… ") and snippet.endswith(" …")


def test_snippet_without_a_text_match_shows_the_summary(tree, admin_user):
    make(tree, "Nghị quyết", summary="Tóm tắt <b>ngắn</b>")
    assert str(search_documents(admin_user, q="nghi quyet").items[0].snippet) == "Tóm tắt &lt;b&gt;ngắn&lt;/b&gt;"


def test_snippet_marks_numbers_with_leading_zeros(tree, admin_user):
    make(tree, "Kết luận", kind="conclusion", summary="Theo Kết luận số 01-KL/TW")
    snippet = str(search_documents(admin_user, q="kl 1").items[0].snippet)
    assert "<mark>Kết</mark>" not in snippet
    assert "<mark>01</mark>-<mark>KL</mark>/TW" in snippet


# --- Filters and scope -------------------------------------------------------------------------


def test_filters(tree, admin_user):
    make(tree, "Nghị quyết A", issuer="Tỉnh ủy Lào Cai", issued_on=dt.date(2023, 5, 1))
    make(tree, "Nghị quyết B", issuer="Huyện ủy Bát Xát", issued_on=dt.date(2024, 5, 1), language="hmn")
    conclusion = make(tree, "Kết luận C", kind="conclusion", issuer="Ban Bí thư", issued_on=dt.date(2024, 1, 1))
    document_supersede(by=None, document=conclusion, by_document=None, expired=True)
    assert titles(admin_user, kind="conclusion") == ["Kết luận C"]
    assert titles(admin_user, issuer="lao cai") == ["Nghị quyết A"]
    assert titles(admin_user, issuer="TỈNH ỦY") == ["Nghị quyết A"]
    assert titles(admin_user, year=2024) == ["Nghị quyết B", "Kết luận C"]
    assert titles(admin_user, status="expired") == ["Kết luận C"]
    assert titles(admin_user, language="hmn") == ["Nghị quyết B"]
    assert titles(admin_user, "nghi quyet", year=2023) == ["Nghị quyết A"]
    assert search_documents(admin_user, q="nghi quyet", limit=1).count == 2


def test_subtree_document_invisible_outside_the_subtree(tree, officer_a, admin_user):
    make(
        tree,
        "Nghị quyết của huyện B",
        owner_unit=tree.district_b,
        visibility=Document.Visibility.SUBTREE,
        visibility_unit=tree.district_b,
    )
    make(
        tree,
        "Nghị quyết của xã A1",
        owner_unit=tree.district_a,
        visibility=Document.Visibility.SUBTREE,
        visibility_unit=tree.commune_a1,
    )
    make(tree, "Nghị quyết chung")
    assert titles(officer_a, "nghi quyet") == ["Nghị quyết chung", "Nghị quyết của xã A1"]
    assert search_documents(officer_a, q="huyen b").count == 0
    assert len(titles(admin_user, "nghi quyet")) == 3


def test_edit_reindexes(tree, admin_user):
    document = make(tree, "Kế hoạch tuyên truyền biển đảo", kind="plan")
    document_update(
        by=None,
        document=document,
        data=DocumentData(kind=document.kind, title="Kế hoạch học tập", owner_unit=tree.province),
    )
    assert titles(admin_user, "bien dao") == []
    assert titles(admin_user, "hoc tap") == ["Kế hoạch học tập"]


# --- The page ----------------------------------------------------------------------------------


def test_list_page_full_and_fragment(tree, officer_a, client_for):
    make(tree, "Nghị quyết về biển", number="36-NQ/TW", summary="Chiến lược biển <i>bền vững</i>")
    superseded = make(tree, "Nghị quyết cũ về biển")
    document_supersede(by=None, document=superseded, by_document=None)
    client = client_for(officer_a)
    response = client.get(reverse("library:list"), {"q": "bien"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html and 'hx-get="/library/"' in html
    assert reverse("library:document_detail", args=[superseded.pk]) in html
    assert "<mark>biển</mark> &lt;i&gt;" in html
    assert reverse("library:document_new") in html  # officers keep records
    response = client.get(reverse("library:list"), {"q": "36-NQ/TW"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert "36-NQ/TW" in html and "Nghị quyết cũ" not in html


def test_list_page_paginates_and_hides_new_without_edit_rights(tree, inspector, client_for):
    for n in range(23):
        make(tree, f"Tài liệu số {n}", issued_on=dt.date(2020, 1, 1) + dt.timedelta(days=n))
    client = client_for(inspector)
    html = client.get(reverse("library:list")).content.decode()
    assert "Tài liệu số 22" in html and "Tài liệu số 2<" not in html
    assert reverse("library:document_new") not in html
    html = client.get(reverse("library:list"), {"page": "2"}).content.decode()
    assert "Tài liệu số 2<" in html and "Tài liệu số 22" not in html
    assert client.get(reverse("library:list"), {"page": "x", "year": "abc"}).status_code == 200


# --- Several common words ------------------------------------------------------------------------


def test_every_word_must_match_and_short_words_are_not_prefixes(tree, admin_user):
    make(tree, "Không có gì quý hơn độc lập tự do")
    make(tree, "Không có giáo viên dự hội nghị")  # "gi" is only the start of "giáo"
    make(tree, "Có gì mới trong công tác giáo dục")  # no "không"
    assert titles(admin_user, "khong co gi") == ["Không có gì quý hơn độc lập tự do"]
    assert parse_query("khong co gi").terms[-1].prefix is False
    assert parse_query("khong co gia").terms[-1].prefix is True
    assert titles(admin_user, "khong co gia") == ["Không có giáo viên dự hội nghị"]


def test_any_word_when_the_reader_asks_for_it(tree, admin_user):
    make(tree, "Không có gì quý hơn độc lập tự do")
    make(tree, "Kế hoạch tuyên truyền")
    make(tree, "Chương trình hành động")
    found = titles(admin_user, "tuyen truyen doc lap", any_word=True)
    assert set(found) == {"Kế hoạch tuyên truyền", "Không có gì quý hơn độc lập tự do"}
    assert titles(admin_user, "tuyen truyen doc lap") == []


def test_the_page_and_the_api_offer_any_word(tree, admin_user, client_for):
    make(tree, "Kế hoạch tuyên truyền")
    make(tree, "Chương trình hành động")
    client = client_for(admin_user)
    page = client.get(reverse("library:list"), {"q": "tuyen hanh", "words": "any"})
    assert "Kế hoạch tuyên truyền" in page.content.decode() and "Chương trình hành động" in page.content.decode()
    assert "Chương trình hành động" not in client.get(reverse("library:list"), {"q": "tuyen hanh"}).content.decode()
    answer = client.get("/api/v1/library/documents", {"q": "tuyen hanh", "words": "any"})
    assert answer.status_code == 200 and answer.json()["count"] == 2
    assert client.get("/api/v1/library/documents", {"q": "tuyen hanh"}).json()["count"] == 0
