"""Checking uploads by content, refusing classified material, and reading text out of files.

* :func:`inspect_upload` decides a file's type from its bytes (magic numbers and container
  structure), never from its name or the browser's claim, and refuses what the library does not
  keep, what claims to be something else, what is empty and what is too large.
* :func:`refuse_if_classified` refuses text that carries a secrecy stamp (see
  :func:`find_secrecy_stamp` for the rule) and audits the refusal; services wrap themselves in
  :func:`records_classified_refusals` so that the audit entry outlives their rolled-back
  transaction.
* :func:`read_text` reads the whole text of a PDF, DOCX or ODT file (used by the extraction task
  in :mod:`lantoa.library.tasks`), :func:`text_to_paragraphs` turns it into readable paragraphs.
"""

from __future__ import annotations

import functools
import hashlib
import io
import logging
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any, TypeVar

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from lantoa.core.audit import audit_record
from lantoa.core.errors import ValidationFailed
from lantoa.core.text import fold_confusables

logger = logging.getLogger(__name__)

MB = 1024 * 1024
SAMPLE_CHARS = 5_000
SAMPLE_PAGES = 5
# Limits in MB by role, unless settings.LANTOA_LIBRARY_MAX_UPLOAD_MB says otherwise (a number for
# every role, or a mapping role → MB with an optional "default").
DEFAULT_MAX_UPLOAD_MB: dict[str, int] = {"audio": 200, "video": 200, "default": 50}
# Uncompressed size above which a DOCX/ODT is not opened for its text (a "zip bomb" guard).
MAX_UNZIPPED_BYTES = 300 * MB

ROLE_TEXT, ROLE_IMAGE, ROLE_AUDIO, ROLE_VIDEO, ROLE_ATTACHMENT = "text", "image", "audio", "video", "attachment"
ROLES = (ROLE_TEXT, ROLE_IMAGE, ROLE_AUDIO, ROLE_VIDEO, ROLE_ATTACHMENT)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
PDF = "application/pdf"
TEXT_TYPES = frozenset({PDF, DOCX, ODT})


@dataclass(frozen=True)
class InspectedUpload:
    content_type: str
    role: str
    size: int
    sha256: str
    extractable: bool
    sample_text: str


# --- Sniffing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Sniffed:
    content_type: str
    family: str  # the container: what a file name's extension is compared with
    role: str
    # Roles the content may also be declared as (audio-only video containers, for instance).
    also: frozenset[str] = frozenset()


FAMILY_LABELS = {
    "pdf": "PDF",
    "docx": "Word (DOCX)",
    "odt": "OpenDocument (ODT)",
    "png": "PNG",
    "jpeg": "JPEG",
    "gif": "GIF",
    "webp": "WebP",
    "mp3": "MP3",
    "ogg": "Ogg/Opus",
    "wav": "WAV",
    "mp4": "MP4/M4A",
    "matroska": "WebM/Matroska",
}
EXTENSION_FAMILY = {
    "pdf": "pdf",
    "docx": "docx",
    "odt": "odt",
    "png": "png",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "jpe": "jpeg",
    "jfif": "jpeg",
    "gif": "gif",
    "webp": "webp",
    "mp3": "mp3",
    "ogg": "ogg",
    "oga": "ogg",
    "ogv": "ogg",
    "opus": "ogg",
    "wav": "wav",
    "m4a": "mp4",
    "m4b": "mp4",
    "mp4": "mp4",
    "m4v": "mp4",
    "mov": "mp4",
    "webm": "matroska",
    "weba": "matroska",
    "mkv": "matroska",
    "mka": "matroska",
}
# ISO base media (MP4) brands.
_AUDIO_BRANDS = {b"M4A ", b"M4B ", b"M4P ", b"F4A ", b"F4B "}
_STILL_IMAGE_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis"}
HEAD_BYTES = 64 * 1024


_MP3_BITRATES = {
    3: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),  # MPEG-1 layer III
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),  # MPEG-2 layer III
    0: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),  # MPEG-2.5 layer III
}
_MP3_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


def _mp3_frame_length(head: bytes, at: int) -> int:
    """Length of the MPEG layer III frame starting at ``at``, 0 if there is none."""
    if len(head) < at + 4 or head[at] != 0xFF or head[at + 1] & 0xE0 != 0xE0:
        return 0
    version, layer = (head[at + 1] >> 3) & 3, (head[at + 1] >> 1) & 3
    bitrate_index, rate_index = head[at + 2] >> 4, (head[at + 2] >> 2) & 3
    if version == 1 or layer != 1 or bitrate_index in (0, 0xF) or rate_index == 3:
        return 0
    bitrate, rate = _MP3_BITRATES[version][bitrate_index] * 1000, _MP3_RATES[version][rate_index]
    padding = (head[at + 2] >> 1) & 1
    return (144 if version == 3 else 72) * bitrate // rate + padding


def _mp3_frame(head: bytes) -> bool:
    """An MP3 without ID3 tag: two layer III frames in a row (one alone if the file is that short)."""
    length = _mp3_frame_length(head, 0)
    if not length:
        return False
    return len(head) < length + 4 or bool(_mp3_frame_length(head, length))


def _iso_handlers(stream: IO[bytes], total: int) -> set[bytes]:
    """Handler types ('vide', 'soun') of the tracks in an MP4's moov box (top level boxes walked)."""
    position = 0
    for _box in range(256):
        stream.seek(position)
        header = stream.read(16)
        if len(header) < 8:
            break
        size, kind, header_size = int.from_bytes(header[:4], "big"), header[4:8], 8
        if size == 1 and len(header) == 16:
            size, header_size = int.from_bytes(header[8:16], "big"), 16
        elif size == 0:
            size = total - position
        if size < header_size:
            break
        if kind == b"moov":
            stream.seek(position + header_size)
            body = stream.read(min(size - header_size, 32 * MB))
            handlers = set()
            for match in re.finditer(b"hdlr", body):
                handlers.add(body[match.start() + 12 : match.start() + 16])
            return handlers
        position += size
    return set()


def _sniff_iso(head: bytes, stream: IO[bytes], total: int) -> _Sniffed | None:
    box_size = int.from_bytes(head[:4], "big")
    major = head[8:12]
    brands = {major} | {head[i : i + 4] for i in range(16, min(box_size, len(head), 256) - 3, 4)}
    if major in _STILL_IMAGE_BRANDS:
        return None
    handlers = _iso_handlers(stream, total)
    if b"vide" in handlers:
        audio = False
    elif b"soun" in handlers:
        audio = True
    else:
        audio = major in _AUDIO_BRANDS or (bool(brands & _AUDIO_BRANDS) and not handlers and major != b"qt  ")
    if audio:
        return _Sniffed("audio/mp4", "mp4", ROLE_AUDIO)
    content_type = "video/quicktime" if major == b"qt  " else "video/mp4"
    # Without track information the container may still hold sound only.
    return _Sniffed(content_type, "mp4", ROLE_VIDEO, frozenset() if handlers else frozenset({ROLE_AUDIO}))


def _ebml_vint(data: bytes, at: int, *, keep_marker: bool) -> tuple[int, int]:
    """(value, length) of the EBML variable-length integer at ``at``; length 0 when invalid."""
    if at >= len(data):
        return 0, 0
    first = data[at]
    length = 1
    while length <= 8 and not first & (0x80 >> (length - 1)):
        length += 1
    if length > 8 or at + length > len(data):
        return 0, 0
    value = first if keep_marker else first & (0xFF >> length)
    for byte in data[at + 1 : at + length]:
        value = (value << 8) | byte
    return value, length


_EBML_CONTAINERS = {0x1A45DFA3, 0x18538067, 0x1654AE6B, 0xAE}  # EBML, Segment, Tracks, TrackEntry


def _ebml_walk(data: bytes, start: int, end: int, found: dict[int, list[bytes]], depth: int = 0) -> None:
    at = start
    while at < end and depth < 6:
        element, id_length = _ebml_vint(data, at, keep_marker=True)
        size, size_length = _ebml_vint(data, at + id_length, keep_marker=False)
        if not id_length or not size_length:
            return
        body = at + id_length + size_length
        unknown = size == (1 << (7 * size_length)) - 1
        stop = len(data) if unknown else min(body + size, len(data))
        if element in _EBML_CONTAINERS:
            _ebml_walk(data, body, stop, found, depth + 1)
        elif element in (0x4282, 0x83):  # DocType, TrackType
            found.setdefault(element, []).append(data[body:stop])
        if unknown or element == 0x1F43B675:  # a Cluster: the media data starts, no more headers
            return
        at = stop


def _sniff_matroska(head: bytes) -> _Sniffed:
    found: dict[int, list[bytes]] = {}
    _ebml_walk(head, 0, len(head), found)
    doc_type = (found.get(0x4282) or [b""])[0]
    content = "webm" if doc_type == b"webm" else "x-matroska"
    track_types = {int.from_bytes(value, "big") for value in found.get(0x83, [])}
    if 1 in track_types:
        return _Sniffed(f"video/{content}", "matroska", ROLE_VIDEO)
    if 2 in track_types:
        return _Sniffed(f"audio/{content}", "matroska", ROLE_AUDIO)
    return _Sniffed(f"video/{content}", "matroska", ROLE_VIDEO, frozenset({ROLE_AUDIO}))


def _sniff_zip(stream: IO[bytes]) -> _Sniffed | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as member:
                    mimetype = member.read(100).strip()
                if mimetype == ODT.encode():
                    return _Sniffed(ODT, "odt", ROLE_TEXT)
                return None
            if "word/document.xml" in names and "[Content_Types].xml" in names:
                return _Sniffed(DOCX, "docx", ROLE_TEXT)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError):
        return None
    return None


def _sniff(head: bytes, stream: IO[bytes], total: int) -> _Sniffed | None:
    if head.startswith(b"%PDF-"):
        return _Sniffed(PDF, "pdf", ROLE_TEXT)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return _Sniffed("image/png", "png", ROLE_IMAGE)
    if head.startswith(b"\xff\xd8\xff"):
        return _Sniffed("image/jpeg", "jpeg", ROLE_IMAGE)
    if head.startswith((b"GIF87a", b"GIF89a")):
        return _Sniffed("image/gif", "gif", ROLE_IMAGE)
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return _Sniffed("image/webp", "webp", ROLE_IMAGE)
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return _Sniffed("audio/wav", "wav", ROLE_AUDIO)
    if (head.startswith(b"ID3") and head[3:4] in (b"\x02", b"\x03", b"\x04")) or _mp3_frame(head):
        return _Sniffed("audio/mpeg", "mp3", ROLE_AUDIO)
    if head.startswith(b"OggS"):
        page = head[:4096]
        if b"\x80theora" in page:
            return _Sniffed("video/ogg", "ogg", ROLE_VIDEO)
        return _Sniffed("audio/ogg", "ogg", ROLE_AUDIO)
    if head[4:8] == b"ftyp":
        return _sniff_iso(head, stream, total)
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return _sniff_matroska(head)
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(stream)
    # A PDF may carry a few bytes before its header; readers accept it within the first 1 KB.
    if b"%PDF-" in head[:1024] and not head.startswith(b"PK"):
        return _Sniffed(PDF, "pdf", ROLE_TEXT)
    return None


def _limit_mb(role: str) -> float:
    configured = getattr(settings, "LANTOA_LIBRARY_MAX_UPLOAD_MB", None)
    if isinstance(configured, int | float):
        return float(configured)
    limits = {**DEFAULT_MAX_UPLOAD_MB, **(configured or {})}
    return float(limits.get(role, limits["default"]))


def _size_text(size: float) -> str:
    return f"{size:.1f}".rstrip("0").rstrip(".")


def inspect_upload(upload: UploadedFile, *, declared_role: str | None = None) -> InspectedUpload:
    """Check an upload by its content and describe it; raise ``ValidationFailed`` to refuse it.

    Codes: ``file_empty``; ``file_type_not_allowed`` (content is none of PDF, DOCX, ODT, PNG,
    JPEG, GIF, WebP, MP3, Ogg/Opus, WAV, MP4/M4A, WebM/Matroska); ``file_type_mismatch`` (the
    file name's extension, or ``declared_role``, says something else than the content);
    ``file_too_large`` (beyond ``settings.LANTOA_LIBRARY_MAX_UPLOAD_MB``: 200 MB for audio and
    video, 50 MB for others by default). ``sample_text`` holds the first ~5,000 characters of a
    text document (empty when it cannot be read: such a file is kept and flagged by extraction).
    The upload is left at position 0.
    """
    name = upload.name or ""
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0, io.SEEK_END)
    total = upload.tell()
    upload.seek(0)
    if not head or not total:
        raise ValidationFailed(_("“%(name)s” is empty.") % {"name": name}, code="file_empty", extra={"field": "file"})
    sniffed = _sniff(head, upload, total)
    upload.seek(0)
    if sniffed is None:
        raise ValidationFailed(
            _(
                "“%(name)s” is not a kind of file the library keeps. It keeps PDF, Word (DOCX) and "
                "OpenDocument (ODT) documents, PNG, JPEG, GIF and WebP images, MP3, Ogg, WAV and M4A "
                "audio, and MP4 and WebM video."
            )
            % {"name": name},
            code="file_type_not_allowed",
            extra={"field": "file"},
        )
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    claimed = EXTENSION_FAMILY.get(extension)
    if claimed is not None and claimed != sniffed.family:
        raise ValidationFailed(
            _("“%(name)s” is named as a %(claimed)s file, but its content is %(actual)s.")
            % {"name": name, "claimed": FAMILY_LABELS[claimed], "actual": FAMILY_LABELS[sniffed.family]},
            code="file_type_mismatch",
            extra={"field": "file", "claimed": claimed, "actual": sniffed.content_type},
        )
    role = sniffed.role
    if declared_role:
        if declared_role not in ROLES:
            raise ValidationFailed(_("Unknown file role."), extra={"field": "role"})
        if declared_role != role and declared_role != ROLE_ATTACHMENT and declared_role not in sniffed.also:
            raise ValidationFailed(
                _("“%(name)s” was given as %(declared)s, but its content is %(actual)s.")
                % {"name": name, "declared": _role_label(declared_role), "actual": FAMILY_LABELS[sniffed.family]},
                code="file_type_mismatch",
                extra={"field": "role", "declared": declared_role, "actual": sniffed.content_type},
            )
        role = declared_role
    limit = _limit_mb(sniffed.role)
    if total > limit * MB:
        raise ValidationFailed(
            _("“%(name)s” is %(size)s MB; the library keeps such files up to %(limit)s MB.")
            % {"name": name, "size": _size_text(total / MB), "limit": _size_text(limit)},
            code="file_too_large",
            extra={"field": "file", "limit_mb": limit},
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    extractable = sniffed.content_type in TEXT_TYPES
    sample = ""
    if extractable:
        try:
            sample = read_text(upload, sniffed.content_type, sample=True).checked
        except Exception:  # an unreadable sample is flagged by extraction, not refused here
            logger.info("Could not read a sample of %s", name, exc_info=True)
            sample = ""
        upload.seek(0)
    return InspectedUpload(sniffed.content_type, role, total, digest.hexdigest(), extractable, sample)


def _role_label(role: str) -> str:
    from lantoa.library.models import DocumentFile

    return str(DocumentFile.Role(role).label)


# --- Secrecy stamps ------------------------------------------------------------------------------

LEVELS = ("TUYỆT MẬT", "TỐI MẬT", "MẬT")
_LEVEL_BY_KEY = {level.replace(" ", ""): level for level in LEVELS}
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# What may surround a stamp on its own line: a frame drawn with brackets, bars, box-drawing
# characters, stars, dashes or dots, and spaces. Quotation marks are not a frame: texts about the
# law quote the stamps ("MẬT", "TỐI MẬT") without being classified.
_FRAME = re.compile(r"[\s\[\](){}【】〔〕|│┃║┌┐└┘├┤─━═╔╗╚╝*_=~\-–—<>«».•·]+")
_SPACED = r"\s*".join
_LEVEL_PATTERN = "|".join(_SPACED(level.replace(" ", "")) for level in LEVELS)
_BOXED = re.compile(rf"[\[(]\s*({_LEVEL_PATTERN})\s*[\])]")
_LABELLED = re.compile(rf"^\W*Đ\s*Ộ\s+M\s*Ậ\s*T\s*:\s*({_LEVEL_PATTERN})\W*$", re.IGNORECASE)
_LEVEL_WORDS = r"(TUYỆT\s+MẬT|TỐI\s+MẬT|MẬT)"
_AT_START = re.compile(rf"^\W*{_LEVEL_WORDS}(?:\s*\t\s*|\s{{3,}})\S")
_AT_END = re.compile(rf"(\S+)(?:\s*\t\s*|\s{{3,}}){_LEVEL_WORDS}\W*$")
# A line ending in BÍ or ĐỘ followed by a line "MẬT" / "TỐI MẬT" is a heading wrapped in the
# middle of "BÍ MẬT" or "ĐỘ TỐI MẬT", not a stamp.
_WRAPPED_BEFORE = re.compile(r"(?:^|\W)(BÍ|ĐỘ)\W*$", re.IGNORECASE)


def _normalise(text: str) -> str:
    # Look-alike letters of other scripts are folded to Latin, so "МẬТ" typed with a Cyrillic М
    # and Т is the stamp it imitates; Vietnamese marks are kept, and compared exactly below.
    return fold_confusables(unicodedata.normalize("NFKC", text).translate(_INVISIBLE))


def _standalone_level(line: str) -> str | None:
    return _LEVEL_BY_KEY.get(_FRAME.sub("", line))


def find_secrecy_stamp(text: str) -> str | None:
    """The secrecy level ("MẬT", "TỐI MẬT" or "TUYỆT MẬT") stamped on ``text``, or None.

    The rule (text first normalised with NFKC, so decomposed and full-width input compares
    equal; zero-width characters and soft hyphens removed; look-alike letters of other scripts
    folded to the Latin letters they imitate, "МẬТ" with Cyrillic М, Т → "MẬT"). A stamp is
    found when:

    1. a line holds nothing but an upper-case level, possibly framed by brackets, bars,
       box-drawing characters, stars, dashes or dots, and possibly with its letters spaced out
       ("MẬT", "[ TỐI MẬT ]", "M Ậ T", "│TUYỆT MẬT│") — unless the previous line ends with "BÍ"
       or "ĐỘ" (a heading wrapped inside "BÍ MẬT" / "ĐỘ TỐI MẬT"), or the next or previous line
       is another level on its own (a list of the three levels, as in texts explaining the law);
    2. an upper-case level stands inside square brackets or parentheses anywhere:
       "[MẬT]", "(TỐI MẬT)", "(M Ậ T)";
    3. a line is the label "Độ mật:" followed by a level and nothing else, in any case
       ("ĐỘ MẬT: MẬT", "Độ mật: Tối mật") — "3 độ mật: Tuyệt mật, Tối mật, Mật" is not;
    4. an upper-case level starts or ends a line and is set apart from the rest of the line by a
       tab or three or more spaces (a stamp laid out beside the number or the date).

    Not stamps: the syllable "mật" inside running text in any case ("mật khẩu", "bí mật nhà
    nước", "mật ong", "mật độ", "thân mật"), an upper-case "MẬT" inside a sentence or heading
    ("BẢO VỆ BÍ MẬT NHÀ NƯỚC", "DANH MỤC BÍ MẬT NHÀ NƯỚC ĐỘ TỐI MẬT"), quoted levels
    ("dấu “MẬT”"), and words whose marks differ (MẶT as in MẶT TRẬN, MẤT, MÁT): the marks are
    compared exactly, never folded. A stamp that exists only as a picture (a scanned page) has no
    text and cannot be found here.
    """
    if not text:
        return None
    text = _normalise(text)
    lines = [line.strip() for line in text.splitlines()]
    filled = [i for i, line in enumerate(lines) if line]
    for position, index in enumerate(filled):
        line = lines[index]
        level = _standalone_level(line)
        if level is not None:
            before = lines[filled[position - 1]] if position > 0 else ""
            after = lines[filled[position + 1]] if position + 1 < len(filled) else ""
            neighbours = {_standalone_level(before), _standalone_level(after)} - {None}
            if not _WRAPPED_BEFORE.search(before) and not (neighbours - {level}):
                return level
        boxed = _BOXED.search(line)
        if boxed:
            return _LEVEL_BY_KEY[re.sub(r"\s+", "", boxed.group(1))]
        labelled = _LABELLED.match(line)
        if labelled:
            return _LEVEL_BY_KEY.get(re.sub(r"\s+", "", labelled.group(1)).upper())
        start = _AT_START.match(line)
        if start:
            return _LEVEL_BY_KEY[re.sub(r"\s+", "", start.group(1))]
        end = _AT_END.search(line)
        if end and end.group(1).upper() not in ("BÍ", "ĐỘ"):
            return _LEVEL_BY_KEY[re.sub(r"\s+", "", end.group(2))]
    return None


class ClassifiedMaterial(ValidationFailed):
    """Refusal of text or a file carrying a secrecy stamp. ``audited`` once its entry is written."""

    code = "classified_material"

    def __init__(self, message: str, *, by: Any, extra: dict[str, Any] | None = None):
        super().__init__(message, extra=extra)
        self.by = by
        self.audited = False

    def record_audit(self) -> None:
        """Write the audit entry (once). Call it outside the transaction that is rolled back."""
        if not self.audited:
            audit_record(action="lantoa.library.classified_refused", by=self.by, changed=[])
            self.audited = True


def refuse_if_classified(*, by: Any, text: str, where: str) -> None:
    """Raise ``ValidationFailed`` (code ``classified_material``) if ``text`` carries a secrecy
    stamp (rule: :func:`find_secrecy_stamp`); ``where`` names the file or document for the message.

    The refusal is audited as ``lantoa.library.classified_refused`` (no text, no name stored).
    Outside a transaction the entry is written at once. Inside one it cannot be, because the
    error rolls that transaction back: the entry is then written by
    :func:`records_classified_refusals`, which services put around their transaction.
    """
    level = find_secrecy_stamp(text)
    if level is None:
        return
    error = ClassifiedMaterial(
        _(
            "“%(where)s” carries the secrecy stamp “%(level)s”, so it cannot be kept here. "
            "The Law on Protection of State Secrets (No. 29/2018/QH14) requires classified "
            "documents to be drafted, stored and handled only on computers and networks that are "
            "not connected to the Internet; this library is on the Internet. Keep the document "
            "by the rules for classified material, and upload only documents that may be public or "
            "internal."
        )
        % {"where": where, "level": level},
        by=by,
        extra={"level": level},
    )
    if not transaction.get_connection().in_atomic_block:
        error.record_audit()
    raise error


F = TypeVar("F", bound=Callable[..., Any])


def records_classified_refusals(function: F) -> F:
    """Decorate a service, *outside* its ``transaction.atomic``, so that a classified refusal
    raised inside is audited after the service's writes were rolled back::

        @files.records_classified_refusals
        @transaction.atomic
        def version_create(...): ...

    The entry is written in the caller's context: it is kept unless the caller itself rolls back.
    """

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except ClassifiedMaterial as error:
            error.record_audit()
            raise

    return wrapper  # type: ignore[return-value]


# --- Reading text --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadText:
    text: str  # the document's text, for search and the reader
    checked: str  # all text that is checked for a secrecy stamp (the text plus headers, footers)


def read_text(
    stream: IO[bytes], content_type: str, *, sample: bool = False, progress: Callable[[int], None] | None = None
) -> ReadText:
    """Read the text of a PDF (page by page), DOCX (paragraphs and tables, text boxes, headers
    and footers) or ODT (headings and paragraphs). ``sample``: the first pages / ~5,000 characters
    only. ``progress`` is called with 0–100 as PDF pages are read. Raises on a file it cannot
    parse. Recoverable warnings of the parsers are silenced: a readable file is read."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if content_type == PDF:
            return _read_pdf(stream, sample=sample, progress=progress)
        if content_type == DOCX:
            result = _read_docx(stream)
        elif content_type == ODT:
            result = _read_odt(stream)
        else:
            raise ValueError(content_type)
    if sample:
        return ReadText(result.text[:SAMPLE_CHARS], result.checked[: SAMPLE_CHARS * 2])
    return result


def _read_pdf(stream: IO[bytes], *, sample: bool, progress: Callable[[int], None] | None) -> ReadText:
    from pypdf import PdfReader

    reader = PdfReader(stream)
    if reader.is_encrypted:
        reader.decrypt("")
    pages = reader.pages
    count = len(pages)
    step = max(1, count // 20)
    parts: list[str] = []
    length = 0
    for number, page in enumerate(pages, start=1):
        part = page.extract_text() or ""
        parts.append(part)
        length += len(part)
        if sample and (length >= SAMPLE_CHARS or number >= SAMPLE_PAGES):
            break
        if progress is not None and number % step == 0 and number < count:
            progress(number * 100 // count)
    text = "\n".join(parts).strip()
    return ReadText(text, text)


def _zip_guard(stream: IO[bytes]) -> None:
    with zipfile.ZipFile(stream) as archive:
        if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED_BYTES:
            raise ValueError("archive too large when unpacked")
    stream.seek(0)


def _docx_paragraph_text(paragraph: Any, qn: Callable[[str], str]) -> str:
    """Text of one w:p, without the text of paragraphs nested in it (text boxes)."""
    p_tag, t_tag, tab_tag, br_tag = qn("w:p"), qn("w:t"), qn("w:tab"), qn("w:br")
    fallback = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
    pieces = []
    for element in paragraph.iter(t_tag, tab_tag, br_tag):
        owner = next(element.iterancestors(p_tag, fallback), None)
        if owner is not paragraph:
            continue
        pieces.append(element.text or "" if element.tag == t_tag else ("\t" if element.tag == tab_tag else "\n"))
    return "".join(pieces)


def _docx_blocks(root: Any, qn: Callable[[str], str], *, skip_cells: bool = False) -> list[str]:
    """Text of every w:p under ``root`` (itself included), one block each."""
    fallback = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
    blocks = []
    for paragraph in root.iter(qn("w:p")):
        if next(paragraph.iterancestors(fallback), None) is not None:
            continue  # the same text box again, for old readers
        if skip_cells and next(paragraph.iterancestors(qn("w:tc")), None) is not None:
            continue
        text = _docx_paragraph_text(paragraph, qn).strip()
        if text:
            blocks.append(text)
    return blocks


def _read_docx(stream: IO[bytes]) -> ReadText:
    import docx
    from docx.oxml.ns import qn

    _zip_guard(stream)
    document = docx.Document(stream)  # type: ignore[arg-type]
    body = document.element.body
    blocks: list[str] = []
    for child in body.iterchildren():
        if child.tag == qn("w:tbl"):
            for row in child.iter(qn("w:tr")):
                cells = []
                for cell in row.iterchildren(qn("w:tc")):
                    lines = [_docx_paragraph_text(p, qn).strip() for p in cell.iterchildren(qn("w:p"))]
                    cells.append("\n".join(line for line in lines if line))
                cells = [cell for cell in cells if cell]
                if cells:
                    blocks.append("\n".join(cells))
        else:
            blocks.extend(_docx_blocks(child, qn, skip_cells=child.tag == qn("w:p")))
    margins: list[str] = []
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header, section.even_page_header):
            if not part.is_linked_to_previous:
                margins.extend(_docx_blocks(part._element, qn))
    text = "\n\n".join(blocks)
    return ReadText(text, "\n\n".join([*margins, text]))


_ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_ODF_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"


def _odf_tag(name: str) -> str:
    return f"{{{_ODF_TEXT}}}{name}"


def _odf_inline(element: Any, out: list[str]) -> None:
    if element.text:
        out.append(element.text)
    for child in element:
        tag = child.tag
        if tag in (_odf_tag("p"), _odf_tag("h"), _odf_tag("note")):
            pass  # nested paragraphs (notes) are blocks of their own
        elif tag == _odf_tag("s"):
            out.append(" " * int(child.get(_odf_tag("c"), "1") or 1))
        elif tag == _odf_tag("tab"):
            out.append("\t")
        elif tag == _odf_tag("line-break"):
            out.append("\n")
        else:
            _odf_inline(child, out)
        if child.tail:
            out.append(child.tail)


def _odf_blocks(root: Any) -> list[str]:
    blocks = []
    for element in root.iter(_odf_tag("p"), _odf_tag("h")):
        out: list[str] = []
        _odf_inline(element, out)
        text = "".join(out).strip()
        if text:
            blocks.append(text)
    return blocks


def _read_odt(stream: IO[bytes]) -> ReadText:
    from lxml import etree

    _zip_guard(stream)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    with zipfile.ZipFile(stream) as archive:
        content = etree.fromstring(archive.read("content.xml"), parser)
        try:
            styles = etree.fromstring(archive.read("styles.xml"), parser)
        except KeyError:
            styles = None
    text = "\n\n".join(_odf_blocks(content))
    margins: list[str] = []
    if styles is not None:
        for tag in ("header", "footer", "header-first", "footer-first", "header-left", "footer-left"):
            for part in styles.iter(f"{{{_ODF_STYLE}}}{tag}"):
                margins.extend(_odf_blocks(part))
    return ReadText(text, "\n\n".join([*margins, text]))


# --- Extraction in the background ----------------------------------------------------------------


def enqueue_extraction(file_id: int) -> None:
    """Queue :func:`lantoa.library.tasks.extract_file_text` for the file."""
    from lantoa.library.tasks import extract_file_text

    extract_file_text.enqueue(file_id)


# --- Paragraphs for the reader -------------------------------------------------------------------

_PAGE_NUMBER = re.compile(
    r"^[-–—\s]*(?:(?:trang|page)\s*)?\d{1,4}(?:\s*(?:/|trên|of)\s*\d{1,4})?[-–—\s]*$", re.IGNORECASE
)
_LIST_START = re.compile(
    r"^(?:[-–•+*▪●○]\s|\d{1,3}[.)]\s|[a-zđ][)]\s|[IVXLC]{1,6}[.)]\s|"
    r"(?:Điều|Chương|Mục|Phần|Article|Chapter)\s+[\dIVXLC]+\b)"
)
_SENTENCE_END = re.compile(r"[.!?:;…”\")]$")


def _is_heading(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(line) <= 120 and len(letters) >= 3 and all(c.isupper() for c in letters)


def text_to_paragraphs(text: str) -> list[str]:
    """Readable paragraphs from extracted text.

    Lines that hold only a page number ("12", "- 12 -", "Trang 3", "3/12") are dropped; a word
    hyphenated at a line end is joined when the next line goes on in lower case; wrapped lines are
    merged into one paragraph. A paragraph ends at a blank line, before a list item, article or
    chapter ("- ", "1. ", "a) ", "II. ", "Điều 5"), around upper-case headings, and after a line
    clearly shorter than the text's usual line (the last line of a paragraph, or a title) when it
    ends a sentence or the next line does not go on in lower case.
    """
    lines = [" ".join(line.split()) for line in _normalise(text or "").replace("\r", "\n").split("\n")]
    lines = [line for line in lines if not (line and _PAGE_NUMBER.match(line))]
    widths = sorted(len(line) for line in lines if line)
    usual = widths[int(len(widths) * 0.8)] if widths else 0
    paragraphs: list[str] = []
    current = ""
    previous = ""
    for line in lines:
        if not line:
            if current:
                paragraphs.append(current)
            current, previous = "", ""
            continue
        starts_new = (
            not current
            or _LIST_START.match(line) is not None
            or _is_heading(line) != _is_heading(previous)
            or (len(previous) < 0.8 * usual and (_SENTENCE_END.search(previous) is not None or not line[:1].islower()))
        )
        if starts_new:
            if current:
                paragraphs.append(current)
            current = line
        elif re.search(r"\w-$", current) and line[:1].islower():
            current = current[:-1] + line
        else:
            current = f"{current} {line}"
        previous = line
    if current:
        paragraphs.append(current)
    return paragraphs
