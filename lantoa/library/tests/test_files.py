"""Uploads checked by content, secrecy stamps refused, and text read in the background."""

from __future__ import annotations

import io
import struct
import unicodedata
import wave
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings

from lantoa.core import uploads
from lantoa.core.errors import ValidationFailed
from lantoa.core.models import AuditEntry
from lantoa.core.uploads import sniffing
from lantoa.library import files, services, tasks
from lantoa.library.models import Document, DocumentFile, DocumentKind, DocumentVersion

pytestmark = pytest.mark.django_db

FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
]


# --- Sample files, built here -------------------------------------------------------------------


def pdf_bytes(pages: list[list[str]]) -> bytes:
    """A real PDF with one page per list of lines (a Unicode font, so Vietnamese text survives)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    font = next((path for path in FONT_CANDIDATES if Path(path).exists()), None)
    if font is None:  # pragma: no cover - the setup installs fonts-liberation
        pytest.skip("no TrueType font with Vietnamese letters installed")
    if "TestSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("TestSans", font))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=True)
    for lines in pages:
        pdf.setFont("TestSans", 11)
        y = 800
        for line in lines:
            pdf.drawString(60, y, line)
            y -= 16
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def docx_bytes(paragraphs: list[str], *, table: list[list[str]] | None = None, header: str = "") -> bytes:
    from docx import Document as Docx

    document = Docx()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    if header:
        document.sections[0].header.paragraphs[0].text = header
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def odt_bytes(headings: list[str], paragraphs: list[str]) -> bytes:
    from xml.sax.saxutils import escape

    body = "".join(f'<text:h text:outline-level="1">{escape(h)}</text:h>' for h in headings) + "".join(
        f"<text:p>{escape(p).replace('  ', ' <text:s/>')}</text:p>" for p in paragraphs
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
        f"<office:body><office:text>{body}</office:text></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.3"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def image_bytes(kind: str) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, format=kind)
    return buffer.getvalue()


def wav_bytes() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x00" * 800)
    return buffer.getvalue()


MP3_FRAME = b"\xff\xfb\x90\x64" + b"\x00" * 413  # MPEG-1 layer III, 128 kbit/s, 44.1 kHz
MP3_ID3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + MP3_FRAME * 3
OGG_OPUS = b"OggS\x00\x02" + b"\x00" * 20 + b"\x01\x13" + b"OpusHead\x01\x01\x38\x01\x80\xbb\x00\x00\x00\x00\x00"
OGG_THEORA = b"OggS\x00\x02" + b"\x00" * 20 + b"\x01\x2a" + b"\x80theora" + b"\x00" * 34


def box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", 8 + len(body)) + kind + body


def ftyp(major: bytes, *compatible: bytes) -> bytes:
    return box(b"ftyp", major + b"\x00\x00\x02\x00" + b"".join(compatible))


def moov(handler: bytes) -> bytes:
    hdlr = box(b"hdlr", b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00" + handler + b"\x00" * 12 + b"\x00")
    return box(b"moov", box(b"trak", box(b"mdia", hdlr)))


MP4_VIDEO = ftyp(b"isom", b"isom", b"iso2", b"avc1", b"mp41") + box(b"mdat", b"\x00" * 64)
M4A_AUDIO = ftyp(b"M4A ", b"M4A ", b"mp42", b"isom") + box(b"mdat", b"\x00" * 64)
MP4_SOUND_TRACK = ftyp(b"isom", b"isom", b"mp42") + box(b"mdat", b"\x00" * 64) + moov(b"soun")
MP4_VIDEO_TRACK = ftyp(b"M4A ", b"isom") + moov(b"vide")
HEIC = ftyp(b"heic", b"mif1", b"heic") + box(b"meta", b"\x00" * 16)


def ebml(element: bytes, body: bytes) -> bytes:
    assert len(body) < 127
    return element + bytes([0x80 | len(body)]) + body


def webm(track_type: int | None, doc_type: bytes = b"webm") -> bytes:
    header = ebml(b"\x1a\x45\xdf\xa3", ebml(b"\x42\x86", b"\x01") + ebml(b"\x42\x82", doc_type))
    tracks = b""
    if track_type is not None:
        tracks = ebml(b"\x16\x54\xae\x6b", ebml(b"\xae", ebml(b"\xd7", b"\x01") + ebml(b"\x83", bytes([track_type]))))
    segment = b"\x18\x53\x80\x67" + b"\x01\xff\xff\xff\xff\xff\xff\xff" + tracks
    return header + segment + b"\x1f\x43\xb6\x75\x81\x00"


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


# --- Integration helpers ------------------------------------------------------------------------


def make_document(tree, title: str = "Nghị quyết về công tác tuyên giáo") -> Document:  # type: ignore[no-untyped-def]
    data = services.DocumentData(
        kind=DocumentKind.objects.get(code="resolution"), title=title, owner_unit=tree.commune_a1, number="12-NQ/ĐU"
    )
    return services.document_create(by=None, data=data)


def add_version(document: Document, name: str, data: bytes, *, by=None, capture) -> DocumentFile:  # type: ignore[no-untyped-def]
    with capture(execute=True):
        version = services.version_create(
            by=by, document=document, uploads=[services.FileUpload(SimpleUploadedFile(name, data))]
        )
    return DocumentFile.objects.get(version=version)


# --- Sniffing -----------------------------------------------------------------------------------

TEXT_PAGE = ["Nghị quyết về công tác tuyên giáo năm 2025", "Đảng bộ xã thống nhất các nội dung sau."]


@pytest.mark.parametrize(
    ("name", "build", "content_type", "role"),
    [
        ("nghi-quyet.pdf", lambda: pdf_bytes([TEXT_PAGE]), "application/pdf", "text"),
        ("van-ban.docx", lambda: docx_bytes(["Nội dung"]), uploads.DOCX, "text"),
        ("van-ban.odt", lambda: odt_bytes(["Tiêu đề"], ["Nội dung"]), uploads.ODT, "text"),
        ("anh.png", lambda: image_bytes("PNG"), "image/png", "image"),
        ("anh.jpg", lambda: image_bytes("JPEG"), "image/jpeg", "image"),
        ("anh.gif", lambda: image_bytes("GIF"), "image/gif", "image"),
        ("anh.webp", lambda: image_bytes("WEBP"), "image/webp", "image"),
        ("loa.mp3", lambda: MP3_ID3, "audio/mpeg", "audio"),
        ("loa-khong-id3.mp3", lambda: MP3_FRAME * 3, "audio/mpeg", "audio"),
        ("loa.ogg", lambda: OGG_OPUS, "audio/ogg", "audio"),
        ("loa.opus", lambda: OGG_OPUS, "audio/ogg", "audio"),
        ("phim.ogv", lambda: OGG_THEORA, "video/ogg", "video"),
        ("loa.wav", wav_bytes, "audio/wav", "audio"),
        ("loa.m4a", lambda: M4A_AUDIO, "audio/mp4", "audio"),
        ("loa-isom.m4a", lambda: MP4_SOUND_TRACK, "audio/mp4", "audio"),
        ("phim.mp4", lambda: MP4_VIDEO, "video/mp4", "video"),
        ("phim-m4a-brand.mp4", lambda: MP4_VIDEO_TRACK, "video/mp4", "video"),
        ("phim.webm", lambda: webm(1), "video/webm", "video"),
        ("tieng.webm", lambda: webm(2), "audio/webm", "audio"),
        ("phim.mkv", lambda: webm(None, b"matroska"), "video/x-matroska", "video"),
        ("khong-duoi", lambda: image_bytes("PNG"), "image/png", "image"),
    ],
)
def test_every_kind_is_recognised_by_content(name, build, content_type, role):
    data = build()
    item = upload(name, data)
    seen = uploads.inspect_upload(item)
    assert (seen.content_type, seen.role) == (content_type, role)
    assert seen.size == len(data)
    assert seen.extractable is (role == "text")
    assert item.tell() == 0


def test_the_checksum_is_of_the_content():
    import hashlib

    data = image_bytes("PNG")
    assert uploads.inspect_upload(upload("a.png", data)).sha256 == hashlib.sha256(data).hexdigest()


def test_a_png_named_pdf_is_refused_naming_both_types():
    with pytest.raises(ValidationFailed) as refused:
        uploads.inspect_upload(upload("nghi-quyet.pdf", image_bytes("PNG")))
    assert refused.value.code == "file_type_mismatch"
    assert "PDF" in refused.value.message and "PNG" in refused.value.message


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("bai-hat.mp3", lambda: OGG_OPUS),
        ("van-ban.docx", lambda: odt_bytes([], ["x"])),
        ("van-ban.odt", lambda: docx_bytes(["x"])),
        ("phim.mp4", lambda: webm(1)),
    ],
)
def test_other_lying_extensions_are_refused(name, build):
    with pytest.raises(ValidationFailed) as refused:
        uploads.inspect_upload(upload(name, build()))
    assert refused.value.code == "file_type_mismatch"


def test_a_declared_role_must_fit_the_content():
    with pytest.raises(ValidationFailed) as refused:
        uploads.inspect_upload(upload("loa.pdf", pdf_bytes([TEXT_PAGE])), declared_role="audio")
    assert refused.value.code == "file_type_mismatch"
    with pytest.raises(ValidationFailed) as refused:
        uploads.inspect_upload(upload("phim.mp4", MP4_VIDEO_TRACK), declared_role="audio")
    assert refused.value.code == "file_type_mismatch"
    # Fitting declarations are kept: an attachment may be anything, a bare MP4 may be sound only.
    attached = uploads.inspect_upload(upload("anh.png", image_bytes("PNG")), declared_role="attachment")
    assert attached.role == "attachment"
    assert uploads.inspect_upload(upload("loa.mp4", MP4_VIDEO), declared_role="audio").role == "audio"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("chuong-trinh.exe", b"MZ\x90\x00\x03" + b"\x00" * 60),
        ("ghi-chu.txt", "Chỉ là văn bản thường".encode()),
        ("utf16.txt", "\ufeffTrang văn bản".encode("utf-16-le")),  # FF FE looks like a frame sync
        ("trang.html", b"<!doctype html><html><script>alert(1)</script></html>"),
        ("nen.zip", b""),  # replaced below by a real zip without a document
        ("anh.heic", HEIC),
        ("cu.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100),
    ],
)
def test_other_kinds_are_not_allowed(name, data):
    if name == "nen.zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("a.txt", "x")
        data = buffer.getvalue()
    with pytest.raises(ValidationFailed) as refused:
        uploads.inspect_upload(upload(name, data))
    assert refused.value.code == "file_type_not_allowed"


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationFailed) as refused:
        uploads.inspect_upload(upload("rong.pdf", b""))
    assert refused.value.code == "file_empty"


def test_size_limits_depend_on_the_kind():
    image = image_bytes("PNG")
    with override_settings(LANTOA_LIBRARY_MAX_UPLOAD_MB={"default": len(image) / uploads.MB / 2}):
        with pytest.raises(ValidationFailed) as refused:
            uploads.inspect_upload(upload("anh.png", image))
        assert refused.value.code == "file_too_large"
        assert uploads.inspect_upload(upload("loa.wav", wav_bytes())).role == "audio"  # audio keeps 200 MB
    one_limit = len(image) / uploads.MB / 2  # one number: the same limit for every kind
    with override_settings(LANTOA_LIBRARY_MAX_UPLOAD_MB=one_limit), pytest.raises(ValidationFailed):
        uploads.inspect_upload(upload("loa.mp3", MP3_ID3 * 10))
    assert sniffing._limit_mb("video") == 200 and sniffing._limit_mb("text") == 50


def test_samples_of_text_documents_are_read():
    pdf = uploads.inspect_upload(upload("a.pdf", pdf_bytes([TEXT_PAGE])))
    assert "Đảng bộ xã thống nhất" in unicodedata.normalize("NFC", pdf.sample_text)
    docx = uploads.inspect_upload(upload("a.docx", docx_bytes(["Đoạn một"], table=[["Ô một", "Ô hai"]])))
    assert "Đoạn một" in docx.sample_text and "Ô hai" in docx.sample_text
    odt = uploads.inspect_upload(upload("a.odt", odt_bytes(["Tiêu đề"], ["Đoạn  văn"])))
    assert "Tiêu đề" in odt.sample_text and "Đoạn  văn" in odt.sample_text


def test_a_pdf_whose_sample_cannot_be_read_is_not_refused():
    seen = uploads.inspect_upload(upload("hong.pdf", b"%PDF-1.4\n" + b"\x00garbage\xff" * 50))
    assert (seen.content_type, seen.extractable, seen.sample_text) == ("application/pdf", True, "")


# --- Secrecy stamps -----------------------------------------------------------------------------

STAMPED = [
    ("MẬT", "MẬT"),
    ("TỐI MẬT", "TỐI MẬT"),
    ("TUYỆT MẬT", "TUYỆT MẬT"),
    ("   [MẬT]   ", "MẬT"),
    ("Số 12-QĐ/TU (TỐI MẬT)", "TỐI MẬT"),
    ("[ TUYỆT MẬT ]", "TUYỆT MẬT"),
    ("│ MẬT │", "MẬT"),
    ("*** TỐI MẬT ***", "TỐI MẬT"),
    ("ĐỘ MẬT: MẬT", "MẬT"),
    ("Độ mật: Tối mật", "TỐI MẬT"),
    ("M Ậ T", "MẬT"),
    ("T U Y Ệ T   M Ậ T", "TUYỆT MẬT"),
    (unicodedata.normalize("NFD", "TỐI MẬT"), "TỐI MẬT"),
    ("［ＭẬＴ］", "MẬT"),  # full-width forms
    ("M\u200bẬT", "MẬT"),  # a zero-width space inside
    ("MẬT\t\tHà Nội, ngày 01 tháng 02 năm 2025", "MẬT"),
    ("Số: 15-KH/TU        TỐI MẬT", "TỐI MẬT"),
]

NOT_STAMPED = [
    "Đổi mật khẩu sau khi đăng nhập lần đầu.",
    "Giữ bí mật thông tin cá nhân của đảng viên.",
    "Mật ong rừng là đặc sản của xã.",
    "Mật độ dân số của huyện tăng.",
    "Quan hệ thân mật giữa các chi bộ.",
    "Luật Bảo vệ bí mật nhà nước quy định 3 độ mật: Tuyệt mật, Tối mật, Mật.",
    "Dấu chỉ độ mật gồm “MẬT”, “TỐI MẬT”, “TUYỆT MẬT”.",
    "HỘI NGHỊ QUÁN TRIỆT LUẬT BẢO VỆ BÍ MẬT NHÀ NƯỚC",
    "DANH MỤC BÍ MẬT NHÀ NƯỚC ĐỘ TỐI MẬT CỦA TỈNH",
    "QUY CHẾ BẢO VỆ BÍ\nMẬT NHÀ NƯỚC",
    "DANH MỤC BÍ MẬT NHÀ NƯỚC ĐỘ\nTỐI MẬT",
    "VỀ BẢO VỆ BÍ\nMẬT",
    "ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM",
    "MẶT TRẬN",
    "MẤT",
    "Tài liệu MẬT phải được giữ cẩn thận.",
    "Độ mật: Thường",
    "mật",
    "Mật",
    "Các độ mật:\nTUYỆT MẬT\nTỐI MẬT\nMẬT",
]


@pytest.mark.parametrize(("text", "level"), STAMPED)
def test_stamps_are_found(text, level):
    body = f"ĐẢNG BỘ TỈNH THỬ NGHIỆM\n{text}\nKẾ HOẠCH\nTriển khai công tác năm 2025."
    assert uploads.find_secrecy_stamp(body) == level


@pytest.mark.parametrize("text", NOT_STAMPED)
def test_ordinary_words_are_not_stamps(text):
    assert uploads.find_secrecy_stamp(f"Kế hoạch\n{text}\nTriển khai công tác năm 2025.") is None


LOOK_ALIKES = [
    ("\u041c\u1eac\u0422", "MẬT"),  # Cyrillic М and Т around a Latin Ậ
    ("\u041c\u0410\u0302\u0323\u0422", "MẬT"),  # Cyrillic А with the marks typed apart
    ("[ \u0422\u1ed0I \u041c\u1eac\u0422 ]", "TỐI MẬT"),
    ("\u03a4UY\u1ec6\u03a4 \u039c\u1eac\u03a4", "TUYỆT MẬT"),  # Greek Τ and Μ
    ("\uff2d\u1eac\uff34", "MẬT"),  # full-width Latin
]


@pytest.mark.parametrize(("text", "level"), LOOK_ALIKES)
def test_stamps_typed_with_look_alike_letters_are_found(text, level):
    body = f"ĐẢNG BỘ TỈNH THỬ NGHIỆM\n{text}\nKẾ HOẠCH\nTriển khai công tác năm 2025."
    assert uploads.find_secrecy_stamp(body) == level


def test_look_alike_letters_do_not_make_ordinary_words_stamps():
    assert uploads.find_secrecy_stamp("Kế hoạch\n\u041c\u1eb6\u0422 TRẬN\nTriển khai.") is None  # МẶТ TRẬN


def test_a_stamped_text_is_refused_with_the_reason(admin_user):
    with pytest.raises(ValidationFailed) as refused:
        uploads.refuse_if_classified(by=admin_user, text="Số 12\nTỐI MẬT\nKế hoạch", where="ke-hoach.pdf")
    assert refused.value.code == "classified_material"
    assert "29/2018/QH14" in refused.value.message and "ke-hoach.pdf" in refused.value.message
    uploads.refuse_if_classified(by=admin_user, text="Đổi mật khẩu định kỳ.", where="x")  # no error


def test_the_refusal_is_audited_even_though_the_service_rolls_back(
    tree, admin_user, django_capture_on_commit_callbacks
):
    document = make_document(tree)
    stamped = pdf_bytes([["ĐẢNG BỘ TỈNH", "MẬT", "KẾ HOẠCH TRIỂN KHAI"]])
    guarded = uploads.records_classified_refusals(services.version_create)
    before = AuditEntry.objects.filter(action="lantoa.library.classified_refused").count()
    with transaction.atomic():  # the caller's own transaction stays open around the refusal
        with pytest.raises(ValidationFailed) as refused:
            guarded(by=admin_user, document=document, uploads=[services.FileUpload(upload("kh.pdf", stamped))])
        assert refused.value.code == "classified_material"
        # The service's writes were rolled back, the audit entry written after that is kept.
        assert not DocumentVersion.objects.filter(document=document).exists()
        entry = AuditEntry.objects.filter(action="lantoa.library.classified_refused").latest("pk")
    assert AuditEntry.objects.filter(action="lantoa.library.classified_refused").count() == before + 1
    assert entry.actor == admin_user and entry.changed_fields == [] and entry.target_repr == ""
    # Guarding twice (the service guarded, and its caller too) still writes one entry.
    twice = uploads.records_classified_refusals(guarded)
    with pytest.raises(ValidationFailed):
        twice(by=admin_user, document=document, uploads=[services.FileUpload(upload("kh.pdf", stamped))])
    assert AuditEntry.objects.filter(action="lantoa.library.classified_refused").count() == before + 2


def test_a_stamped_title_is_refused(tree, admin_user):
    guarded = uploads.records_classified_refusals(services.document_create)
    data = services.DocumentData(
        kind=DocumentKind.objects.get(code="plan"), title="Kế hoạch [TUYỆT MẬT]", owner_unit=tree.commune_a1
    )
    with pytest.raises(ValidationFailed) as refused:
        guarded(by=admin_user, data=data)
    assert refused.value.code == "classified_material"
    assert not Document.objects.filter(title__contains="Kế hoạch").exists()
    assert AuditEntry.objects.filter(action="lantoa.library.classified_refused", actor=admin_user).exists()


def test_a_stamp_in_a_word_header_is_refused_at_upload(admin_user):
    data = docx_bytes(["Nội dung kế hoạch"], header="TỐI MẬT")
    seen = uploads.inspect_upload(upload("kh.docx", data))
    with pytest.raises(ValidationFailed) as refused:
        uploads.refuse_if_classified(by=admin_user, text=seen.sample_text, where="kh.docx")
    assert refused.value.code == "classified_material"


# --- Extraction ---------------------------------------------------------------------------------


def test_a_pdf_is_read_page_by_page_to_done(tree, django_capture_on_commit_callbacks, monkeypatch):
    marks = []
    real_mark = tasks._mark
    monkeypatch.setattr(tasks, "_mark", lambda file_id, **values: (marks.append(values), real_mark(file_id, **values)))
    pages = [[f"Trang {n}: nội dung nghị quyết số {n}", "Chi bộ thảo luận và thống nhất."] for n in range(1, 41)]
    document = make_document(tree)
    stored = add_version(document, "nghi-quyet.pdf", pdf_bytes(pages), capture=django_capture_on_commit_callbacks)
    stored.refresh_from_db()
    assert stored.extraction == DocumentFile.Extraction.DONE
    assert stored.extraction_progress == 100 and stored.extraction_error == ""
    text = unicodedata.normalize("NFC", stored.extracted_text)
    assert "Trang 1: nội dung nghị quyết số 1" in text and "Trang 40: nội dung nghị quyết số 40" in text
    progress = [m["extraction_progress"] for m in marks if "extraction_progress" in m]
    assert marks[0]["extraction"] == DocumentFile.Extraction.RUNNING
    assert progress[0] == 0 and progress[-1] == 100 and len(progress) > 5
    assert progress == sorted(progress)


def test_word_and_opendocument_text_is_read(tree, django_capture_on_commit_callbacks):
    document = make_document(tree)
    docx = add_version(
        document,
        "van-ban.docx",
        docx_bytes(["Đoạn thứ nhất.", "Đoạn thứ hai."], table=[["Họ tên", "Chức vụ"], ["Nguyễn Văn A", "Bí thư"]]),
        capture=django_capture_on_commit_callbacks,
    )
    odt = add_version(
        document,
        "van-ban.odt",
        odt_bytes(["Chương I"], ["Điều 1. Phạm vi"]),
        capture=django_capture_on_commit_callbacks,
    )
    docx.refresh_from_db()
    odt.refresh_from_db()
    assert docx.extraction == odt.extraction == DocumentFile.Extraction.DONE
    assert "Đoạn thứ hai." in docx.extracted_text and "Nguyễn Văn A" in docx.extracted_text
    assert "Chương I" in odt.extracted_text and "Điều 1. Phạm vi" in odt.extracted_text


def test_a_corrupt_pdf_is_kept_and_flagged(tree, django_capture_on_commit_callbacks):
    data = b"%PDF-1.4\n" + b"\x00garbage\xff" * 50
    document = make_document(tree)
    stored = add_version(document, "hong.pdf", data, capture=django_capture_on_commit_callbacks)
    stored.refresh_from_db()
    assert stored.extraction == DocumentFile.Extraction.FAILED
    assert stored.extraction_error and len(stored.extraction_error) <= 500
    assert stored.extracted_text == ""
    with stored.file.open("rb") as kept:
        assert kept.read() == data


def test_a_stamp_found_by_extraction_removes_the_content(tree, django_capture_on_commit_callbacks):
    # The stamp is on page 8: beyond the sample read at upload, found by the full reading.
    pages = [[f"Trang {n}: nội dung thường"] for n in range(1, 8)] + [["TỐI MẬT", "Phụ lục"]]
    document = make_document(tree)
    with django_capture_on_commit_callbacks() as callbacks:
        version = services.version_create(
            by=None, document=document, uploads=[services.FileUpload(upload("ke-hoach.pdf", pdf_bytes(pages)))]
        )
    stored = DocumentFile.objects.get(version=version)
    name, storage = stored.file.name, stored.file.storage
    assert storage.exists(name)  # accepted at upload …
    for callback in callbacks:
        callback()
    stored.refresh_from_db()  # … then kept as a flagged row, without its content or text
    assert stored.extraction == DocumentFile.Extraction.FAILED
    assert "TỐI MẬT" in stored.extraction_error and stored.extracted_text == ""
    assert not stored.file and not storage.exists(name)
    entry = AuditEntry.objects.get(action="lantoa.library.classified_found")
    assert entry.target_id == str(stored.pk) and entry.unit == tree.commune_a1


def test_the_task_ignores_missing_files_and_other_kinds(tree, django_capture_on_commit_callbacks):
    tasks.extract_file_text.call(999_999)  # no such file: nothing happens
    document = make_document(tree)
    image = add_version(document, "anh.png", image_bytes("PNG"), capture=django_capture_on_commit_callbacks)
    tasks.extract_file_text.call(image.pk)
    image.refresh_from_db()
    assert image.extraction == DocumentFile.Extraction.NOT_APPLICABLE


# --- Paragraphs for the reader ------------------------------------------------------------------


def test_extracted_text_becomes_paragraphs():
    text = (
        "NGHỊ QUYẾT\n"
        "Về công tác tuyên giáo năm 2025\n"
        "Đảng bộ xã đã triển khai thực hiện nghiêm túc các chủ trương của cấp trên, tăng cường công\n"
        "tác giáo dục chính trị tư tưởng cho cán bộ, đảng viên và nhân dân trên địa bàn toàn xã trong\n"
        "năm qua với nhiều kết quả.\n"
        "- 2 -\n"
        "Các chi bộ cần phát huy vai trò lãnh đạo, tiếp tục đổi mới phương thức tuyên truyền đến từng\n"
        "thôn, bản, chú trọng ứng dụng công nghệ thông tin và chuyển đổi số trong hoạt động của hệ\n"
        "thống chính trị cơ sở.\n"
        "\n"
        "12\n"
        "Điều 1. Phạm vi điều chỉnh của quy định này bao gồm các hoạt động tuyên truyền, phổ biến,\n"
        "giáo dục pháp luật và công tác thông tin đối ngoại trên địa bàn xã.\n"
        "1. Các tổ chức cơ sở đảng báo cáo định kỳ.\n"
        "Trang 3\n"
        "Mạng lưới công nghệ thông tin của xã được hiện đại hóa trong giai đoạn chuyển đổi, đáp ứng yêu\n"
        "cầu multi-\n"
        "media trong công tác tuyên truyền.\n"
    )
    paragraphs = files.text_to_paragraphs(text)
    assert paragraphs[0] == "NGHỊ QUYẾT"
    assert paragraphs[1] == "Về công tác tuyên giáo năm 2025"
    assert paragraphs[2].startswith("Đảng bộ xã") and paragraphs[2].endswith("với nhiều kết quả.")
    assert "tăng cường công tác giáo dục" in paragraphs[2]
    assert paragraphs[3].startswith("Các chi bộ") and paragraphs[3].endswith("chính trị cơ sở.")
    assert paragraphs[4].startswith("Điều 1.") and paragraphs[4].endswith("trên địa bàn xã.")
    assert paragraphs[5].startswith("1. Các tổ chức")
    assert "multimedia trong" in paragraphs[6]
    assert not any(p in {"- 2 -", "12", "Trang 3"} for p in paragraphs)
    assert files.text_to_paragraphs("") == []


def test_the_roles_the_checker_names_are_the_roles_of_library_files():
    assert {role.value: str(role.label) for role in DocumentFile.Role} == {
        role: str(label) for role, label in uploads.ROLE_LABELS.items()
    }
