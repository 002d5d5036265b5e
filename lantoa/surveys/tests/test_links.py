"""Links e-mailed to named people: one link each from a new batch of the unit, shuffled; the
list of addresses kept apart — nothing in it, in a card or in an answer says who got which link."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from lantoa.contests.tests.test_external_views import bearer
from lantoa.core.errors import ValidationFailed
from lantoa.core.models import AuditEntry
from lantoa.surveys import services
from lantoa.surveys.models import Answer, AnswerItem, LinkRecipient, LinkSending, Token, TokenBatch
from lantoa.surveys.tests.factories import make_survey, values_for

pytestmark = pytest.mark.django_db

ADDRESSES = ["an@xa.gov.vn", "binh@xa.gov.vn", "AN@xa.gov.vn ", "chi@xa.gov.vn"]


def link_for(code: str) -> str:
    return f"https://lantoa.example/s/{code}"


def test_each_address_gets_one_link_and_nothing_pairs_them(tree):
    survey = make_survey(tree.province)
    sending = services.links_send(by=None, survey=survey, unit=tree.commune_a1, addresses=ADDRESSES, link_for=link_for)
    assert (sending.sent, sending.unreachable, sending.batch.size, sending.batch.unit) == (3, 0, 3, tree.commune_a1)
    assert sorted(LinkRecipient.objects.values_list("email", flat=True)) == [
        "an@xa.gov.vn",
        "binh@xa.gov.vn",
        "chi@xa.gov.vn",
    ]
    sent = {message.to[0]: re.search(r"/s/([A-Z0-9]+)", message.body).group(1) for message in mail.outbox}
    assert set(sent) == {"an@xa.gov.vn", "binh@xa.gov.vn", "chi@xa.gov.vn"}
    assert set(sent.values()) == set(Token.objects.filter(batch=sending.batch).values_list("code", flat=True))
    # Nothing stored beside an address names a card, and nothing in an answer names the sending.
    # The sending knows its batch (for the response rate), never a card; an address row holds
    # the address alone.
    assert {f.name for f in LinkSending._meta.concrete_fields} == {
        "id",
        "survey",
        "batch",
        "sent_on",
        "sent",
        "unreachable",
        "sent_by",
    }
    assert {f.name for f in LinkRecipient._meta.get_fields()} == {"id", "sending", "email"}
    assert not any(f.related_model in (LinkRecipient, LinkSending) for f in Answer._meta.get_fields())
    services.answer_with_token(code=sent["binh@xa.gov.vn"], values=values_for(survey))
    assert Answer.objects.get().unit == tree.commune_a1
    assert AuditEntry.objects.filter(action="lantoa.surveys.links.sent").count() == 1


def test_a_bad_address_sends_nothing_and_issues_no_card(tree):
    survey = make_survey(tree.province)
    with pytest.raises(ValidationFailed) as refused:
        services.links_send(
            by=None,
            survey=survey,
            unit=tree.commune_a1,
            addresses=["an@xa.gov.vn", "không phải thư"],
            link_for=link_for,
        )
    assert refused.value.extra["line"] == 2
    with pytest.raises(ValidationFailed):
        services.links_send(by=None, survey=survey, unit=tree.commune_a1, addresses=[" ", ""], link_for=link_for)
    assert not TokenBatch.objects.exists() and not mail.outbox and not LinkSending.objects.exists()


def test_the_page_and_the_api_send_and_list_counts_only(tree, admin_user, client_for):
    survey = make_survey(tree.province)
    client = client_for(admin_user)
    detail = reverse("surveys:detail", args=[survey.pk])
    html = client.get(detail).content.decode()
    assert 'data-testid="sending-form"' in html and html.count('id="id_unit"') == 1
    posted = client.post(
        reverse("surveys:links_send", args=[survey.pk]),
        {"links-unit": tree.commune_a1.pk, "links-emails": "an@xa.gov.vn\nbinh@xa.gov.vn, chi@xa.gov.vn"},
        follow=True,
    )
    page = posted.content.decode()
    assert "Đã gửi 3 đường dẫn, 0 đường dẫn không gửi được." in page
    assert "an@xa.gov.vn" not in page  # the list shows counts, never the addresses
    api = bearer(admin_user)
    created = api.post(
        f"/api/v1/surveys/{survey.pk}/links",
        {"unit": tree.commune_a1.code, "emails": ["dung@xa.gov.vn"]},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["addresses"] == 1 and created.json()["sent"] == 1
    listed = api.get(f"/api/v1/surveys/{survey.pk}/links").json()
    assert listed["count"] == 2 and "emails" not in listed["items"][0]
    bad = api.post(
        f"/api/v1/surveys/{survey.pk}/links",
        {"unit": tree.commune_a1.code, "emails": "x"},
        content_type="application/json",
    )
    assert bad.status_code == 422


def test_answers_are_written_by_statements_that_send_no_signal_so_nothing_may_listen():
    """The answer path inserts with :mod:`lantoa.core.rows` (no ``pre_save``/``post_save``)."""
    from django.db.models.signals import post_save, pre_save

    for model in (Answer, AnswerItem):
        assert not pre_save.has_listeners(model) and not post_save.has_listeners(model)
