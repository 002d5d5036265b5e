"""Checking uploads by their content.

:func:`inspect_upload` decides a file's type from its bytes (magic numbers and container
structure), never from its name or the browser's claim, and refuses what is not kept, what claims
to be something else, what is empty and what is too large.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import zipfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantoa.core.errors import ValidationFailed
from lantoa.core.uploads.text import DOCX, MB, ODT, PDF, TEXT_TYPES, read_text

logger = logging.getLogger(__name__)

# Limits in MB by role, unless settings.LANTOA_LIBRARY_MAX_UPLOAD_MB says otherwise (a number for
# every role, or a mapping role → MB with an optional "default").
DEFAULT_MAX_UPLOAD_MB: dict[str, int] = {"audio": 200, "video": 200, "default": 50}

ROLE_TEXT, ROLE_IMAGE, ROLE_AUDIO, ROLE_VIDEO, ROLE_ATTACHMENT = "text", "image", "audio", "video", "attachment"
ROLES = (ROLE_TEXT, ROLE_IMAGE, ROLE_AUDIO, ROLE_VIDEO, ROLE_ATTACHMENT)
ROLE_LABELS = {
    ROLE_TEXT: gettext_lazy("Text of the document"),
    ROLE_AUDIO: gettext_lazy("Audio (for loudspeakers)"),
    ROLE_VIDEO: gettext_lazy("Video"),
    ROLE_IMAGE: gettext_lazy("Image"),
    ROLE_ATTACHMENT: gettext_lazy("Attachment"),
}


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
    return str(ROLE_LABELS[role])
