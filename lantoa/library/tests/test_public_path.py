"""The lean public path: no session, CSRF or other cookie on anonymous public requests; the
short links and reader pages come from the cache and follow every change of their document."""

from __future__ import annotations

import dataclasses

import pytest
from django.test import Client
from django.urls import reverse

from lantoa.library.models import Document
from lantoa.library.services import DocumentData, document_update
from lantoa.library.tests.test_qr_public import add_version, make_document, make_run

pytestmark = pytest.mark.django_db


def test_anonymous_public_responses_set_no_cookie(tree):  # type: ignore[no-untyped-def]
    document = make_document(tree)
    add_version(document)
    run = make_run(tree, document)
    client = Client()
    responses = [
        client.get(f"/q/{run.code}"),
        client.get(f"/d/{document.slug}/", {"from": run.code}),
        client.get("/q/nosuchcode"),
        client.get("/c/AAAAAAAA"),
        client.get("/checkin/"),
        client.post("/api/v1/meetings/checkin", {"code": "AAAAAAAA"}, content_type="application/json"),
    ]
    assert [r.status_code for r in responses] == [302, 200, 404, 404, 200, 422]
    for response in responses:
        assert not response.cookies, response.cookies
        assert "Set-Cookie" not in response.headers
        assert not hasattr(response.wsgi_request, "session")  # the session middleware was skipped
    # Elsewhere the signed-in middleware runs as before: the sign-in form sets its CSRF cookie.
    assert "csrftoken" in client.get(reverse("accounts:login")).cookies


def test_a_signed_in_visitor_keeps_the_session_on_public_paths(tree, admin_user, client_for):  # type: ignore[no-untyped-def]
    internal = make_document(tree, visibility=Document.Visibility.INTERNAL)
    add_version(internal)
    run = make_run(tree, internal)
    staff = client_for(admin_user)
    response = staff.get(f"/q/{run.code}")
    assert response.status_code == 302
    assert response["Location"] == reverse("library:document_detail", args=[internal.pk])


def test_short_links_and_reader_follow_changes_of_their_document(tree):  # type: ignore[no-untyped-def]
    document = make_document(tree)
    add_version(document)
    run = make_run(tree, document)
    client = Client()
    assert client.get(f"/q/{run.code}").status_code == 302
    assert "Kết luận về tiếp tục" in client.get(f"/d/{document.slug}/").content.decode()

    data = DocumentData(
        kind=document.kind,
        title="Tiêu đề mới của kết luận",
        owner_unit=document.owner_unit,
        number=document.number,
        issuer=document.issuer,
        issued_on=document.issued_on,
        summary=document.summary,
        visibility=Document.Visibility.INTERNAL,
    )
    document_update(by=None, document=document, data=data)
    scan = client.get(f"/q/{run.code}")
    assert scan.status_code == 200 and "Location" not in scan.headers  # a notice, not the reader
    assert client.get(f"/d/{document.slug}/").status_code == 404

    document_update(by=None, document=document, data=dataclasses.replace(data, visibility=Document.Visibility.PUBLIC))
    page = client.get(f"/d/{document.slug}/").content.decode()
    assert "Tiêu đề mới của kết luận" in page
    assert client.get(f"/q/{run.code}").status_code == 302
