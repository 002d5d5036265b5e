"""The demo library: the 2021 study handbook on the XIII Congress resolution with its 5,000-copy
print run and allocations, and a few real public documents as samples.

The titles, numbers, issuers and dates of the real documents are facts; every body text is
written for the demo (a short summary in our own words, not the document's text), and says so.
The files are generated here (DOCX, and a short WAV tone standing in for a loudspeaker
recording), so the demo needs nothing from the Internet. See docs/demo.md, "The library".
"""

from __future__ import annotations

import datetime as dt
import io
import math
import random
import struct
import wave
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from lantoa.library import services
from lantoa.library.defaults import load_defaults
from lantoa.library.models import Document, DocumentKind, PrintRun, QrRead
from lantoa.org.models import Unit

HANDBOOK_COPIES = 5_000
HANDBOOK_PRINTED_ON = dt.date(2021, 4, 15)
DEMO_NOTE = (
    "Văn bản mẫu của bản trình diễn Lantoa: số, ký hiệu, tên và ngày ban hành là của văn bản thật; "
    "nội dung dưới đây là phần tóm tắt do bản trình diễn tự viết, không phải toàn văn."
)


@dataclass(frozen=True)
class Sample:
    kind: str
    number: str
    title: str
    issuer: str
    issued_on: dt.date
    summary: str
    tags: tuple[str, ...]
    paragraphs: tuple[str, ...]


SAMPLES = [
    Sample(
        "resolution",
        "35-NQ/TW",
        "Nghị quyết về tăng cường bảo vệ nền tảng tư tưởng của Đảng, đấu tranh phản bác các quan điểm sai trái, "
        "thù địch trong tình hình mới",
        "Bộ Chính trị",
        dt.date(2018, 10, 22),
        "Nghị quyết của Bộ Chính trị về bảo vệ nền tảng tư tưởng của Đảng và đấu tranh phản bác các quan điểm "
        "sai trái, thù địch.",
        ("nền tảng tư tưởng", "tuyên truyền"),
        (
            "Bảo vệ nền tảng tư tưởng của Đảng là nhiệm vụ của cả hệ thống chính trị, trong đó các cơ quan "
            "tuyên giáo giữ vai trò nòng cốt.",
            "Ở cơ sở, đội ngũ báo cáo viên, tuyên truyền viên và cộng tác viên dư luận xã hội nắm tình hình, "
            "thông tin kịp thời, chính xác tới Nhân dân.",
        ),
    ),
    Sample(
        "directive",
        "05-CT/TW",
        "Chỉ thị về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        "Bộ Chính trị",
        dt.date(2016, 5, 15),
        "Chỉ thị của Bộ Chính trị về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.",
        ("học tập và làm theo Bác",),
        (
            "Việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh được đưa vào sinh hoạt thường "
            "xuyên của chi bộ, gắn với nhiệm vụ chính trị của từng cơ quan, đơn vị.",
        ),
    ),
    Sample(
        "conclusion",
        "01-KL/TW",
        "Kết luận về tiếp tục thực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị về đẩy mạnh học tập và làm theo "
        "tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        "Bộ Chính trị",
        dt.date(2021, 5, 18),
        "Kết luận của Bộ Chính trị về tiếp tục thực hiện Chỉ thị 05-CT/TW.",
        ("học tập và làm theo Bác",),
        (
            "Tiếp tục đưa việc học tập và làm theo Bác đi vào chiều sâu, thiết thực, hiệu quả, gắn với xây "
            "dựng, chỉnh đốn Đảng và hệ thống chính trị.",
        ),
    ),
]

HANDBOOK = Sample(
    "handbook",
    "",
    "Sổ tay học tập Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII của Đảng",
    "Ban Tuyên giáo Tỉnh ủy Lào Cai",
    dt.date(2021, 4, 1),
    "Sổ tay dành cho cán bộ, đảng viên và báo cáo viên cơ sở: những điểm mới, cốt lõi của Nghị quyết Đại hội "
    "XIII và việc cụ thể hóa ở Lào Cai. (Bản trình diễn: nội dung do bản trình diễn tự viết.)",
    ("Đại hội XIII", "học tập nghị quyết", "sổ tay"),
    (
        "Phần thứ nhất. Những điểm mới, cốt lõi của Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII của Đảng.",
        "Phần thứ hai. Cụ thể hóa Nghị quyết trong chương trình hành động của Tỉnh ủy Lào Cai.",
        "Phần thứ ba. Gợi ý tổ chức học tập, quán triệt ở chi bộ thôn, tổ dân phố và cách viết bài thu hoạch.",
    ),
)


def _docx(sample: Sample, *, version_note: str = "") -> SimpleUploadedFile:
    from docx import Document as Docx

    doc = Docx()
    doc.add_heading(f"{sample.number} {sample.title}".strip(), level=1)
    doc.add_paragraph(f"{sample.issuer}, ngày {sample.issued_on:%d/%m/%Y}")
    doc.add_paragraph(DEMO_NOTE)
    if version_note:
        doc.add_paragraph(version_note)
    for paragraph in sample.paragraphs:
        doc.add_paragraph(paragraph)
    buffer = io.BytesIO()
    doc.save(buffer)
    name = (sample.number or "so-tay-dai-hoi-xiii").replace("/", "-") + ".docx"
    return SimpleUploadedFile(
        name, buffer.getvalue(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )


def _tone_wav(seconds: float = 2.0, rate: int = 8000) -> SimpleUploadedFile:
    """A short tone standing in for a loudspeaker recording (the demo has no real recording)."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        frames = (int(8000 * math.sin(2 * math.pi * 440 * i / rate)) for i in range(int(seconds * rate)))
        out.writeframes(b"".join(struct.pack("<h", f) for f in frames))
    return SimpleUploadedFile("so-tay-tieng-mong.wav", buffer.getvalue(), "audio/wav")


def _document(sample: Sample, *, owner: Unit, issuing: Unit | None, visibility: str) -> Document:
    return services.document_create(
        by=None,
        data=services.DocumentData(
            kind=DocumentKind.objects.get(code=sample.kind),
            title=sample.title,
            owner_unit=owner,
            number=sample.number,
            issuer=sample.issuer,
            issuing_unit=issuing,
            issued_on=sample.issued_on,
            effective_on=sample.issued_on,
            summary=sample.summary,
            tags=sample.tags,
            visibility=visibility,
        ),
    )


def build_library(province: Unit, commission: Unit, recipients: list[Unit]) -> PrintRun:
    """The sample documents and the handbook with its print run (5,000 copies, allocated to the
    district-tier and functional committees, Bát Xát's with a QR code of its own)."""
    load_defaults(DocumentKind)
    for sample in SAMPLES:
        document = _document(sample, owner=commission, issuing=None, visibility=Document.Visibility.PUBLIC)
        services.version_create(by=None, document=document, uploads=[services.FileUpload(_docx(sample))])
    handbook = _document(HANDBOOK, owner=commission, issuing=commission, visibility=Document.Visibility.PUBLIC)
    services.version_create(
        by=None,
        document=handbook,
        uploads=[
            services.FileUpload(_docx(HANDBOOK), "text"),
            services.FileUpload(_tone_wav(), "audio", "hmn"),
        ],
        note="Bản in năm 2021",
    )
    rng = random.Random("lantoa-demo:handbook")
    shares = [rng.randint(8, 14) for _unit in recipients]
    copies = [HANDBOOK_COPIES * share // sum(shares) for share in shares]
    copies[0] += HANDBOOK_COPIES - sum(copies) - 200  # 200 copies stay with the commission
    run = services.print_run_create(
        by=None,
        document=handbook,
        unit=commission,
        printed_on=HANDBOOK_PRINTED_ON,
        copies=HANDBOOK_COPIES,
        printer="Công ty in (bản trình diễn)",
        allocations=[
            services.AllocationData(
                unit=unit,
                copies=n,
                allocated_on=HANDBOOK_PRINTED_ON + dt.timedelta(days=7),
                with_code=unit.code == "VN10-082",
            )
            for unit, n in zip(recipients, copies, strict=True)
        ],
    )
    # A corrected second edition in 2022: the 2021 copies' QR codes now say they are not the latest.
    services.version_create(
        by=None,
        document=handbook,
        uploads=[services.FileUpload(_docx(HANDBOOK, version_note="Tái bản có chỉnh sửa năm 2022."), "text")],
        note="Tái bản có chỉnh sửa năm 2022",
    )
    return run


def record_demo_reads(run: PrintRun, *, today: dt.date, days: int = 21) -> int:
    """Generated daily read counts for the last weeks (the demo has no real readers): counters only."""
    rng = random.Random("lantoa-demo:reads")
    rows = [
        QrRead(
            print_run=run,
            allocation=None,
            slot=0,
            unit=run.unit,
            day=today - dt.timedelta(days=n),
            count=rng.randint(3, 40),
        )
        for n in range(days, 0, -1)
    ]
    QrRead.objects.bulk_create(rows)
    return sum(row.count for row in rows)
