import re

import pytest

pytestmark = pytest.mark.django_db


def test_api_docs_are_served_from_our_own_static_files(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui-bundle.js" in html
    # No CDN at run time, and nothing the Content-Security-Policy would block.
    assert not re.search(r"(src|href)=\"https?://", html)
    assert "<script>" not in html
