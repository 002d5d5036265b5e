"""A conference's photos and minutes."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lantoa.core import uploads
from lantoa.core.audit import actor_or_none, audit_record
from lantoa.core.errors import ValidationFailed
from lantoa.meetings.models import Conference, ConferenceAttachment


@uploads.records_classified_refusals
@transaction.atomic
def attachment_add(*, by: Any, conference: Conference, upload: Any, kind: str = "photo") -> ConferenceAttachment:
    """Keep a photo or the minutes of a conference. The file is checked by its content (the
    library's rules: PDF, DOCX, ODT, images…, size limits), and minutes that carry a secrecy
    stamp are refused like any classified document."""
    if kind not in ConferenceAttachment.Kind.values:
        raise ValidationFailed(_("Choose what the file is."), extra={"field": "kind"})
    seen = uploads.inspect_upload(upload)
    if seen.role in ("audio", "video"):
        raise ValidationFailed(
            _("Keep recordings in the library; a conference keeps photos and documents."), extra={"field": "file"}
        )
    uploads.refuse_if_classified(by=by, text=seen.sample_text, where=upload.name or "")
    upload.seek(0)
    attachment = ConferenceAttachment.objects.create(
        conference=conference,
        kind=kind,
        file=upload,
        original_name=(upload.name or "")[:255],
        content_type=seen.content_type,
        size=seen.size,
        uploaded_by=actor_or_none(by),
    )
    audit_record(
        action="lantoa.meetings.attachment.added",
        by=by,
        target=conference,
        unit=conference.organiser,
        changed=["attachments"],
    )
    return attachment
