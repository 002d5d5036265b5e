"""A fragment answers an htmx request; a history restore and a plain request get the whole page."""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django_htmx.middleware import HtmxMiddleware

from lantoa.core.htmx import wants_fragment


def _asked(headers: dict[str, str]) -> HttpRequest:
    request = RequestFactory().get("/", headers=headers)
    HtmxMiddleware(lambda _request: HttpResponse())(request)
    return request


@pytest.mark.parametrize(
    ("headers", "fragment"),
    [
        ({}, False),
        ({"HX-Request": "true"}, True),
        ({"HX-Request": "true", "HX-History-Restore-Request": "true"}, False),
    ],
)
def test_only_an_htmx_request_that_restores_no_history_wants_a_fragment(headers, fragment):
    assert wants_fragment(_asked(headers)) is fragment


def test_a_request_the_middleware_never_saw_wants_the_whole_page():
    assert wants_fragment(RequestFactory().get("/", headers={"HX-Request": "true"})) is False
