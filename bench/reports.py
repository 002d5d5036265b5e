"""An official report as DOCX and PDF: the time to draw a report of about 20 A4 pages.

Builds (in memory, no database) a report in the Party format with 24 sections — a heading, two
paragraphs of the officer's text and a generated sentence each, a table of 30 units by 4
indicators in every other section and a bar chart of 15 units in every fourth — then times
``render_docx`` and ``render_pdf`` (median of ``--repeat`` runs after a warm-up). The pages are
counted from the PDF and from LibreOffice's conversion of the DOCX when ``soffice`` is there.

Floor: python-docx saving a document with the same paragraphs and table cells, unformatted.

    .venv/bin/python bench/reports.py --repeat 5
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

TEXT = (
    "Các cấp ủy, tổ chức đảng đã chủ động xây dựng kế hoạch, tổ chức hội nghị học tập, quán triệt nghị quyết "
    "bằng hình thức trực tiếp kết hợp trực tuyến, bảo đảm nghiêm túc, đúng thời gian quy định; đội ngũ báo cáo "
    "viên được bồi dưỡng, cập nhật thông tin kịp thời, nội dung truyền đạt sát với tình hình thực tiễn địa phương."
)


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    result = fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def build_document(sections: int = 24, units: int = 30):  # type: ignore[no-untyped-def]
    from lantoa.core.charts import bar_chart
    from lantoa.reports.documents.content import Chart, Document, Heading, Letterhead, Paragraph, Signature, Table
    from lantoa.reports.narrative import Value, sentence

    blocks: list[Any] = []
    names = [f"Đảng bộ xã Bản Xèo {n}" for n in range(units)]
    for n in range(sections):
        values = [
            Value("conferences_held", 600 + n),
            Value("online_bridge_points", 500 + n),
            Value("conference_attendances", 118_000 + 37 * n, "attendances"),
        ]
        blocks += [
            Heading(f"{n + 1}. Kết quả thực hiện ở lĩnh vực thứ {n + 1}"),
            Paragraph([TEXT]),
            Paragraph(
                sentence(
                    values,
                    subject="Tỉnh ủy Lào Cai",
                    start=dt.date(2021, 3, 1),
                    end=dt.date(2022, 7, 31),
                    link=lambda code: f"https://lantoa.example/?indicator={code}",
                )
            ),
            Paragraph([TEXT]),
        ]
        if n % 2 == 0:
            rows = [
                [name, str(10 + i), str(8 + i), f"{1_000 + 37 * i:,}".replace(",", "."), "91,5%"]
                for i, name in enumerate(names)
            ]
            blocks.append(
                Table(
                    "Kết quả theo đơn vị",
                    ["Đơn vị", "Hội nghị", "Điểm cầu", "Lượt người", "Tỷ lệ"],
                    rows,
                    ["Tổng", "1", "2", "3", "4"],
                )
            )
        if n % 4 == 0:
            items = [(name, float(15 - i), str(15 - i)) for i, name in enumerate(names[:15])]
            blocks.append(Chart(bar_chart("Số hội nghị theo đơn vị", items)))
    return Document(
        letterhead=Letterhead("party", "Tỉnh ủy Lào Cai", "Ban Tuyên giáo", "BTGTU", "Lào Cai"),
        number=123,
        type_code="BC",
        day=dt.date(2022, 8, 5),
        title="BÁO CÁO",
        subtitle="Kết quả công tác tuyên truyền, học tập, quán triệt Nghị quyết Đại hội XIII của Đảng",
        blocks=blocks,
        signature=Signature("K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "Nguyễn Văn Minh"),
        recipients=["Ban Tuyên giáo Trung ương (b/c),", "Lưu Văn phòng Ban."],
    )


def floor(document) -> bytes:  # type: ignore[no-untyped-def]
    from docx import Document as new_document

    from lantoa.reports.documents.content import Paragraph, Table
    from lantoa.reports.narrative import plain

    doc = new_document()
    for block in document.blocks:
        if isinstance(block, Paragraph):
            doc.add_paragraph(plain(block.parts))
        elif isinstance(block, Table):
            table = doc.add_table(rows=len(block.rows) + 1, cols=len(block.header))
            for row, values in zip(table.rows, [block.header, *block.rows], strict=True):
                for cell, value in zip(row.cells, values, strict=True):
                    cell.text = value
    output = io.BytesIO()
    doc.save(output)
    return output.getvalue()


def pdf_pages(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def docx_pages(data: bytes) -> int | None:
    if shutil.which("soffice") is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "report.docx"
        source.write_bytes(data)
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{folder}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                folder,
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        return pdf_pages((Path(folder) / "report.pdf").read_bytes())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sections", type=int, default=24)
    args = parser.parse_args()
    import django

    django.setup()
    from lantoa.reports.documents.pdf import render_pdf
    from lantoa.reports.documents.word import render_docx

    document = build_document(args.sections)
    docx_ms, docx = timed(lambda: render_docx(document), args.repeat)
    pdf_ms, pdf = timed(lambda: render_pdf(document), args.repeat)
    floor_ms, _ = timed(lambda: floor(document), args.repeat)
    pages = docx_pages(docx)  # type: ignore[arg-type]
    print(f"report of {args.sections} sections: DOCX {len(docx) // 1024} KiB, {pages or '?'} pages in LibreOffice")  # type: ignore[arg-type]
    print(f"                              PDF {len(pdf) // 1024} KiB, {pdf_pages(pdf)} pages")  # type: ignore[arg-type]
    print(f"render_docx median {docx_ms:8.1f} ms   (budget 5000 ms)")
    print(f"render_pdf  median {pdf_ms:8.1f} ms")
    print(f"floor: plain python-docx, same text and cells {floor_ms:8.1f} ms")


if __name__ == "__main__":
    main()
