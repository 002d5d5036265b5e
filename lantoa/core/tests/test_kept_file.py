"""The download of a kept upload, as the library, plans and judging give their files back."""

from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.middleware.security import SecurityMiddleware
from django.test import RequestFactory

from lantoa.core.schemas import binary_response
from lantoa.core.uploads import kept_file_response


def _kept(name: str, content_type: str = "application/pdf") -> SimpleNamespace:
    return SimpleNamespace(
        file=ContentFile(b"%PDF-1.4 body", name="library/2026/ab12cd.pdf"),
        original_name=name,
        content_type=content_type,
    )


def test_a_vietnamese_name_is_kept_in_the_attachment_header():
    response = kept_file_response(_kept("Báo cáo tổng kết.pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''B%C3%A1o%20c%C3%A1o%20t%E1%BB%95ng%20k%E1%BA%BFt.pdf"
    )
    assert b"".join(response.streaming_content) == b"%PDF-1.4 body"


def test_an_ascii_name_and_the_stored_type_are_answered_as_kept():
    response = kept_file_response(_kept("minutes.docx", "application/octet-stream"))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="minutes.docx"'


def test_an_empty_name_falls_back_to_the_storage_name():
    assert kept_file_response(_kept(""))["Content-Disposition"] == 'attachment; filename="ab12cd.pdf"'


def test_the_browser_is_told_not_to_guess_the_type():
    response = SecurityMiddleware(lambda request: kept_file_response(_kept("a.pdf")))(RequestFactory().get("/"))
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_openapi_declaration_names_a_binary_body():
    assert binary_response("The paper as uploaded") == {
        "responses": {
            200: {
                "description": "The paper as uploaded",
                "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }
