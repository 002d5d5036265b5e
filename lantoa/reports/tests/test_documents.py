"""The DOCX and PDF of a report: the Party's and the State's header, the number, the date line,
Vietnamese letters, the generated numbers as links; the DOCX opened again with python-docx and
converted by LibreOffice, the PDF's text read back with pypdf."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import shutil
import subprocess
import unicodedata
import zipfile

import pytest
from docx import Document as open_docx
from pypdf import PdfReader

from lantoa.core.charts import bar_chart
from lantoa.reports.documents.content import (
    Chart,
    Document,
    Heading,
    Letterhead,
    Paragraph,
    Signature,
    Table,
)
from lantoa.reports.documents.formats import date_line, number_line
from lantoa.reports.documents.pdf import render_pdf
from lantoa.reports.documents.word import render_docx
from lantoa.reports.narrative import Value, sentence

SUBTITLE = "Kết quả công tác tuyên truyền, học tập, quán triệt Nghị quyết Đại hội XIII của Đảng"


def party_document() -> Document:
    values = [
        Value("conferences_held", 688),
        Value("online_bridge_points", 577),
        Value("conference_attendances", 118_215, "attendances"),
    ]
    parts = sentence(
        values,
        subject="Tỉnh ủy Lào Cai",
        start=dt.date(2021, 3, 1),
        end=dt.date(2022, 7, 31),
        link=lambda code: f"https://lantoa.example/?unit=VN10&indicator={code}",
    )
    return Document(
        letterhead=Letterhead("party", "Tỉnh ủy Lào Cai", "Ban Tuyên giáo và Dân vận", "BTGDVTU", "Lào Cai"),
        number=123,
        type_code="BC",
        day=dt.date(2022, 8, 5),
        title="BÁO CÁO",
        subtitle=SUBTITLE,
        blocks=[
            Heading("I. KẾT QUẢ THỰC HIỆN"),
            Paragraph(parts),
            Table(
                "Hội nghị theo đơn vị",
                ["Đơn vị", "Hội nghị"],
                [["Huyện ủy Bát Xát", "72"], ["Thành ủy Lào Cai", "—"]],
                ["Tổng", "688"],
            ),
            Chart(bar_chart("Hội nghị theo đơn vị", [("Huyện ủy Bát Xát", 72, "72")])),
        ],
        signature=Signature("T/M BAN THƯỜNG VỤ", "PHÓ TRƯỞNG BAN", "Nguyễn Văn Hùng"),
        recipients=["Ban Tuyên giáo Trung ương (b/c),", "Lưu Văn phòng."],
    )


def state_document() -> Document:
    return dataclasses.replace(
        party_document(),
        letterhead=Letterhead("state", "", "Ủy ban nhân dân tỉnh Lào Cai", "UBND", "Lào Cai"),
        number=None,
        signature=Signature("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Trịnh Xuân Trường"),
    )


def test_date_line_and_number_follow_the_guides():  # type: ignore[no-untyped-def]
    assert date_line("Lào Cai", dt.date(2022, 8, 5)) == "Lào Cai, ngày 05 tháng 8 năm 2022"
    assert date_line("Lào Cai", dt.date(2023, 2, 14)) == "Lào Cai, ngày 14 tháng 02 năm 2023"
    assert number_line(party_document()) == "Số 123-BC/BTGDVTU"
    assert number_line(dataclasses.replace(state_document(), number=7)) == "Số: 7/BC-UBND"
    assert number_line(state_document()).startswith("Số: ") and "/BC-UBND" in number_line(state_document())


def _docx_text(data: bytes) -> str:
    doc = open_docx(io.BytesIO(data))
    texts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            texts += [cell.text for cell in row.cells]
    return "\n".join(texts)


def test_the_docx_opens_again_with_its_header_number_and_letters():  # type: ignore[no-untyped-def]
    data = render_docx(party_document())
    doc = open_docx(io.BytesIO(data))
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.left_margin.mm) == 30 and round(section.right_margin.mm) == 15
    assert doc.styles["Normal"].font.name == "Times New Roman" and doc.styles["Normal"].font.size.pt == 14
    # Page numbers from the second page: a PAGE field in the header, none on the first page.
    assert section.different_first_page_header_footer
    assert 'w:instr="PAGE"' in section.header._element.xml and not section.first_page_header.paragraphs[0].text
    header = doc.tables[0]
    left, right = header.cell(0, 0), header.cell(0, 1)
    assert [p.text for p in left.paragraphs] == [
        "TỈNH ỦY LÀO CAI",
        "BAN TUYÊN GIÁO VÀ DÂN VẬN",
        "*",
        "Số 123-BC/BTGDVTU",
    ]
    assert left.paragraphs[1].runs[0].bold
    assert right.paragraphs[0].text == "ĐẢNG CỘNG SẢN VIỆT NAM" and right.paragraphs[0].runs[0].underline
    assert right.paragraphs[-1].text == "Lào Cai, ngày 05 tháng 8 năm 2022" and right.paragraphs[-1].runs[0].italic
    text = _docx_text(data)
    assert SUBTITLE in text and "T/M BAN THƯỜNG VỤ" in text and "Nơi nhận:" in text
    # The generated numbers sit in hyperlinks to their records; their text is in the paragraph.
    assert "tổ chức 688 hội nghị, trong đó có hình thức trực tuyến với 577 điểm cầu và trên 118.000 lượt" in text
    links = {rel.target_ref for rel in doc.part.rels.values() if rel.reltype.endswith("/hyperlink")}
    assert "https://lantoa.example/?unit=VN10&indicator=conferences_held" in links
    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # the chart is a picture
        assert any(name.startswith("word/media/") for name in archive.namelist())


def test_the_state_header_has_the_national_title_and_motto():  # type: ignore[no-untyped-def]
    doc = open_docx(io.BytesIO(render_docx(state_document())))
    right = doc.tables[0].cell(0, 1)
    assert right.paragraphs[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert right.paragraphs[1].text == "Độc lập - Tự do - Hạnh phúc" and right.paragraphs[1].runs[0].underline
    assert "TM. ỦY BAN NHÂN DÂN" in _docx_text(render_docx(state_document()))


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return unicodedata.normalize("NFC", text)


@pytest.mark.parametrize("document", [party_document(), state_document()], ids=["party", "state"])
def test_the_pdf_text_has_headers_numbers_and_diacritics(document):  # type: ignore[no-untyped-def]
    data = render_pdf(document)
    assert data.startswith(b"%PDF")
    text = _pdf_text(data)
    words = " ".join(text.split())
    if document.letterhead.format == "party":
        assert "ĐẢNG CỘNG SẢN VIỆT NAM" in words and "Số 123-BC/BTGDVTU" in words and "T/M BAN THƯỜNG VỤ" in words
    else:
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in words and "Độc lập - Tự do - Hạnh phúc" in words
        assert "/BC-UBND" in words
    assert "Lào Cai, ngày 05 tháng 8 năm 2022" in words
    assert "688 hội nghị" in words and "trên 118.000 lượt cán bộ, đảng viên tham gia" in words
    assert "Huyện ủy Bát Xát" in words and document.signature.name in words
    # The font is embedded (Liberation Serif), so the letters print the same everywhere.
    assert b"LiberationSerif" in data or b"Liberation" in data


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_converts_the_docx(tmp_path):  # type: ignore[no-untyped-def]
    source = tmp_path / "report.docx"
    source.write_bytes(render_docx(party_document()))
    profile = tmp_path / "profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    words = " ".join(_pdf_text((tmp_path / "report.pdf").read_bytes()).split())
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in words and "Số 123-BC/BTGDVTU" in words
    assert "trên 118.000 lượt cán bộ, đảng viên tham gia" in words
