"""The shared one-time codes: six digits, a token, a keyed digest that depends on the module's
namespace, the token and the code, and codes typed with spaces or dashes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lantoa.core import onetime
from lantoa.core.errors import ValidationFailed


def test_an_issued_code_is_six_digits_kept_only_as_a_digest():
    now = timezone.now()
    issued = onetime.issue("lantoa.tests", now)
    assert issued.code.isdigit() and len(issued.code) == onetime.CODE_DIGITS
    assert len(issued.token) >= 32 and issued.code not in issued.code_digest
    assert issued.expires_at == now + dt.timedelta(seconds=onetime.CODE_SECONDS)
    assert issued.code_digest == onetime.code_digest("lantoa.tests", issued.token, issued.code)
    assert issued.code_digest != onetime.code_digest("lantoa.other", issued.token, issued.code)


@pytest.mark.parametrize("typed", ["123 456", "123-456", " 123456 "])
def test_a_code_is_read_without_spaces_or_dashes(typed):
    assert onetime.clean_code(typed) == "123456"


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "12a456", None])
def test_anything_but_six_digits_is_refused(typed):
    with pytest.raises(ValidationFailed) as caught:
        onetime.clean_code(typed)
    assert caught.value.extra["field"] == "code"
