"""Giving back a kept upload: the one answer every app sends for a private file's download."""

from __future__ import annotations

from typing import Protocol

from django.db.models.fields.files import FieldFile
from django.http import FileResponse


class KeptFile(Protocol):
    """A row that keeps an upload: the stored file, the name and the type it came with."""

    @property
    def file(self) -> FieldFile: ...

    @property
    def original_name(self) -> str: ...

    @property
    def content_type(self) -> str: ...


def kept_file_response(kept: KeptFile) -> FileResponse:
    """The kept file, streamed as an attachment under the name it was uploaded with.

    Django writes a name that is not ASCII (Vietnamese) as ``filename*=utf-8''…`` in
    Content-Disposition, and the security middleware adds ``X-Content-Type-Options: nosniff``, so
    the type stored at upload (decided from the bytes) is the one the browser uses. A row whose
    name is empty is answered under its storage name.
    """
    return FileResponse(
        kept.file.open("rb"), as_attachment=True, filename=kept.original_name, content_type=kept.content_type
    )
