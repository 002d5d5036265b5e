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


def test_a_new_request_replaces_the_owners_earlier_one_and_clears_the_expired(tree):
    from lantoa.contests.models import ContactChallenge
    from lantoa.contests.tests.factories import make_contest, make_contestant

    contest = make_contest(tree.province, ask_phone=True, ask_email=True)
    an, _key = make_contestant(contest, tree.commune_a1, phone="0912 345 678", email="an@example.vn")
    binh, _key = make_contestant(contest, tree.commune_a1, name="Trần Thị Bình", phone="0987 654 321")
    now = timezone.now()
    requests = ContactChallenge.objects.all()
    earlier = onetime.replace(requests, onetime.issue("t", now), now=now, contestant=an, medium="phone")
    email = onetime.replace(requests, onetime.issue("t", now), now=now, contestant=an, medium="email")
    expired = onetime.replace(
        requests, onetime.issue("t", now - dt.timedelta(minutes=6)), now=now, contestant=binh, medium="phone"
    )
    later = now + dt.timedelta(minutes=1)
    issued = onetime.issue("t", later)
    kept = onetime.replace(requests, issued, now=later, contestant=an, medium="phone")
    assert (kept.pk, kept.code_digest, kept.expires_at, kept.tries) == (
        issued.token,
        issued.code_digest,
        issued.expires_at,
        0,
    )
    assert set(requests.values_list("pk", flat=True)) == {kept.pk, email.pk}
    assert earlier.pk != kept.pk and expired.pk not in {kept.pk, email.pk}
