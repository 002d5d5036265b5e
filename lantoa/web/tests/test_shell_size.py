"""The home page and what it loads must stay light for weak mountain connections.

Production serves static files compressed (whitenoise, gzip or brotli); the budget is the
home page plus every stylesheet and script it references, gzip-compressed, on first load."""

from __future__ import annotations

import gzip
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

BUDGET_BYTES = 150 * 1024

pytestmark = pytest.mark.django_db


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "link" and values.get("href") and "stylesheet" in (values.get("rel") or "").split():
            self.urls.append(values["href"] or "")
        elif tag == "script" and values.get("src"):
            self.urls.append(values["src"] or "")


def _gzipped_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9))


def test_home_page_with_its_css_and_js_is_under_150_kb_compressed(client_for, officer_a):
    response = client_for(officer_a).get(reverse("web:home"))
    assert response.status_code == 200
    parser = _Assets()
    parser.feed(response.content.decode())

    assert parser.urls, "the page references no stylesheet or script"
    sizes = {"(page)": _gzipped_size(response.content)}
    for url in parser.urls:
        assert url.startswith(settings.STATIC_URL), f"{url} is not served from our static files"
        path = finders.find(url.removeprefix(settings.STATIC_URL))
        assert path, f"{url} is missing: run scripts/vendor_assets.sh (make setup)"
        with open(path, "rb") as handle:
            sizes[url] = _gzipped_size(handle.read())

    total = sum(sizes.values())
    detail = ", ".join(f"{name}: {size / 1024:.1f} KB" for name, size in sizes.items())
    assert total < BUDGET_BYTES, f"{total / 1024:.1f} KB compressed ({detail})"
    assert any("bootstrap" in url for url in parser.urls) and any("htmx" in url for url in parser.urls)
