"""Checking uploads by content, refusing classified material, and reading text out of files.

Interim interface (being completed): see the functions' docstrings.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile


@dataclass(frozen=True)
class InspectedUpload:
    content_type: str
    role: str
    size: int
    sha256: str
    extractable: bool
    sample_text: str


def inspect_upload(upload: UploadedFile, *, declared_role: str | None = None) -> InspectedUpload:
    data = upload.read()
    upload.seek(0)
    return InspectedUpload(
        "application/octet-stream",
        declared_role or "attachment",
        len(data),
        hashlib.sha256(data).hexdigest(),
        False,
        "",
    )


def refuse_if_classified(*, by: Any, text: str, where: str) -> None:
    return None


def enqueue_extraction(file_id: int) -> None:
    return None
