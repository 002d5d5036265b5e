"""Photos and minutes of a conference: checked by content, classified minutes refused."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lantoa.core.errors import ValidationFailed
from lantoa.core.models import AuditEntry
from lantoa.meetings.models import ConferenceAttachment
from lantoa.meetings.services import attachment_add
from lantoa.meetings.tests.factories import make_conference

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x8a\x1b\x8f\x00\x00\x00\x00IEND\xaeB`\x82"
)


def docx_bytes(*paragraphs: str) -> bytes:
    from docx import Document

    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_photo_is_kept_and_served_to_those_who_see_the_conference(tree, admin_user, officer_a, client_for):
    conference = make_conference(tree.province, sites=[tree.commune_a1])
    client = client_for(admin_user)
    response = client.post(
        reverse("meetings:attachment_add", args=[conference.pk]),
        {"file": SimpleUploadedFile("hoi-truong.png", PNG, content_type="image/png"), "kind": "photo"},
    )
    assert response.status_code == 302
    attachment = ConferenceAttachment.objects.get(conference=conference)
    assert (attachment.content_type, attachment.kind) == ("image/png", "photo")
    # A1 had a site there: its officer sees the conference and its photo.
    download = client_for(officer_a).get(reverse("meetings:attachment", args=[attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG
    other = make_conference(tree.district_b, format="in_person", level="district")
    hidden = ConferenceAttachment.objects.create(
        conference=other, file=SimpleUploadedFile("x.png", PNG), original_name="x.png", content_type="image/png", size=1
    )
    assert client_for(officer_a).get(reverse("meetings:attachment", args=[hidden.pk])).status_code == 404


def test_a_file_whose_name_lies_is_refused_and_nothing_is_kept(tree, admin_user, client_for):
    conference = make_conference(tree.province)
    response = client_for(admin_user).post(
        reverse("meetings:attachment_add", args=[conference.pk]),
        {"file": SimpleUploadedFile("bien-ban.pdf", PNG, content_type="application/pdf"), "kind": "minutes"},
    )
    assert response.status_code == 200 and "content" in response.content.decode()
    assert not ConferenceAttachment.objects.exists()


def test_classified_minutes_are_refused_and_the_refusal_audited(tree):
    conference = make_conference(tree.province)
    minutes = SimpleUploadedFile("bien-ban.docx", docx_bytes("MẬT", "Biên bản hội nghị"))
    with pytest.raises(ValidationFailed) as refused:
        attachment_add(by=None, conference=conference, upload=minutes, kind="minutes")
    assert refused.value.code == "classified_material"
    assert not ConferenceAttachment.objects.exists()
    assert AuditEntry.objects.filter(action="lantoa.library.classified_refused").exists()


def test_the_api_adds_an_attachment(tree, admin_user, client_for):
    conference = make_conference(tree.province)
    response = client_for(admin_user).post(
        f"/api/v1/meetings/conferences/{conference.pk}/attachments",
        {"file": SimpleUploadedFile("bien-ban.docx", docx_bytes("Biên bản hội nghị")), "kind": "minutes"},
    )
    assert response.status_code == 201, response.json()
    assert [a["kind"] for a in response.json()["attachments"]] == ["minutes"]
