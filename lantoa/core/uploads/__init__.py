"""Content-checked uploads, for every app that takes files.

* :mod:`~lantoa.core.uploads.sniffing` — :func:`inspect_upload` decides a file's type from its
  bytes, never from its name or the browser's claim, and refuses what is not kept, what claims to
  be something else, what is empty and what is too large.
* :mod:`~lantoa.core.uploads.secrecy` — :func:`refuse_if_classified` refuses text that carries a
  secrecy stamp (:func:`find_secrecy_stamp`) and audits the refusal, with
  :func:`records_classified_refusals` around the services that may refuse.
* :mod:`~lantoa.core.uploads.text` — :func:`read_text` reads the text of a PDF, DOCX or ODT file.
* :mod:`~lantoa.core.uploads.download` — :func:`kept_file_response` gives a kept file back as a
  download under the name it came with.
"""

from lantoa.core.uploads.download import KeptFile, kept_file_response
from lantoa.core.uploads.secrecy import (
    LEVELS,
    ClassifiedMaterial,
    find_secrecy_stamp,
    normalise,
    records_classified_refusals,
    refuse_if_classified,
)
from lantoa.core.uploads.sniffing import (
    DEFAULT_MAX_UPLOAD_MB,
    EXTENSION_FAMILY,
    FAMILY_LABELS,
    HEAD_BYTES,
    ROLE_ATTACHMENT,
    ROLE_AUDIO,
    ROLE_IMAGE,
    ROLE_LABELS,
    ROLE_TEXT,
    ROLE_VIDEO,
    ROLES,
    InspectedUpload,
    inspect_upload,
)
from lantoa.core.uploads.text import (
    DOCX,
    MAX_UNZIPPED_BYTES,
    MB,
    ODT,
    PDF,
    SAMPLE_CHARS,
    SAMPLE_PAGES,
    TEXT_TYPES,
    ReadText,
    read_text,
)

__all__ = [
    "DEFAULT_MAX_UPLOAD_MB",
    "DOCX",
    "EXTENSION_FAMILY",
    "FAMILY_LABELS",
    "HEAD_BYTES",
    "LEVELS",
    "MAX_UNZIPPED_BYTES",
    "MB",
    "ODT",
    "PDF",
    "ROLES",
    "ROLE_ATTACHMENT",
    "ROLE_AUDIO",
    "ROLE_IMAGE",
    "ROLE_LABELS",
    "ROLE_TEXT",
    "ROLE_VIDEO",
    "SAMPLE_CHARS",
    "SAMPLE_PAGES",
    "TEXT_TYPES",
    "ClassifiedMaterial",
    "InspectedUpload",
    "KeptFile",
    "ReadText",
    "find_secrecy_stamp",
    "inspect_upload",
    "kept_file_response",
    "normalise",
    "read_text",
    "records_classified_refusals",
    "refuse_if_classified",
]
