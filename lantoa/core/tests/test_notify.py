"""Notification channels: which channel reaches whom, falling through, and who is left over."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass, field

import pytest
from django.core import mail

from lantoa.core import notify
from lantoa.core.notify import EmailChannel, Recipient


@dataclass
class FakeSms:
    """A stand-in SMS adapter: reaches anyone with a phone number, records what it sent."""

    name: str = "sms"
    works: bool = True
    sent: list[tuple[str, str]] = field(default_factory=list)

    def can_reach(self, recipient: Recipient) -> bool:
        return bool(recipient.phone)

    def send(self, recipient: Recipient, subject: str, body: str) -> bool:
        if self.works:
            self.sent.append((recipient.phone, body))
        return self.works


MAI = Recipient(name="Lò Thị Mai", email="mai@example.org")
SU = Recipient(name="Vàng A Sử", phone="0912345678")
BOTH = Recipient(name="Giàng Seo Phử", email="phu@example.org", phone="0987654321")
NOBODY = Recipient(name="Hầu A Lềnh")


def test_email_is_the_default_channel_and_others_are_reported():
    result = notify.notify([MAI, SU, NOBODY], "Nhắc lịch hội nghị", "Nội dung")
    assert [(r.name, channel) for r, channel in result.sent] == [("Lò Thị Mai", "email")]
    assert result.unreachable == [SU, NOBODY]
    assert result.not_reached == [SU, NOBODY]
    assert result.counts() == {"sent": 1, "unreachable": 2, "failed": 0}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["mai@example.org"] and message.subject == "Nhắc lịch hội nghị"
    from django.conf import settings

    assert message.from_email == settings.DEFAULT_FROM_EMAIL


def test_the_first_channel_able_to_reach_each_recipient_is_chosen():
    sms = FakeSms()
    result = notify.notify([MAI, SU, BOTH], "S", "B", available=[sms, EmailChannel()])
    assert [(r.name, channel) for r, channel in result.sent] == [
        ("Lò Thị Mai", "email"),
        ("Vàng A Sử", "sms"),
        ("Giàng Seo Phử", "sms"),
    ]
    assert [phone for phone, _body in sms.sent] == ["0912345678", "0987654321"]
    assert len(mail.outbox) == 1
    assert notify.channel_for(BOTH, [EmailChannel(), sms]).name == "email"
    assert notify.channel_for(NOBODY, [EmailChannel(), sms]) is None


def test_a_failed_send_falls_through_to_the_next_channel():
    broken = FakeSms(works=False)
    result = notify.notify([BOTH, SU], "S", "B", available=[broken, EmailChannel()])
    assert [(r.name, channel) for r, channel in result.sent] == [("Giàng Seo Phử", "email")]
    assert result.failed == [SU]
    assert result.unreachable == []


def test_email_failures_are_reported_not_raised(monkeypatch):
    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr(notify, "send_mail", refuse)
    result = notify.notify([MAI], "S", "B")
    assert result.failed == [MAI] and result.sent == []


def test_line_breaks_never_reach_the_subject_header():
    notify.notify([MAI], "Nhắc lịch\nhội nghị", "B")
    assert mail.outbox[0].subject == "Nhắc lịch hội nghị"


def test_each_address_or_number_gets_one_message():
    twice = [
        MAI,
        Recipient(name="Mai (báo cáo viên)", email="MAI@example.org "),
        SU,
        Recipient(name="Sử", phone="0912 345 678"),
    ]
    assert notify.unique(twice) == [MAI, SU]
    notify.notify(twice, "S", "B")
    assert len(mail.outbox) == 1


def test_registering_a_channel_puts_it_in_the_order():
    sms = FakeSms()
    assert [c.name for c in notify.channels()] == ["email"]
    try:
        notify.register_channel(sms, first=True)
        assert [c.name for c in notify.channels()] == ["sms", "email"]
        notify.register_channel(FakeSms(), first=False)  # same name: replaces
        assert [c.name for c in notify.channels()] == ["email", "sms"]
        result = notify.notify([SU], "S", "B")
        assert result.sent and result.sent[0][1] == "sms"
    finally:
        notify.unregister_channel("sms")
    assert [c.name for c in notify.channels()] == ["email"]
    assert isinstance(EmailChannel(), notify.Channel)


@pytest.mark.parametrize("address", ["", "   ", "not-an-address"])
def test_email_needs_an_address(address):  # type: ignore[no-untyped-def]
    assert not EmailChannel().can_reach(Recipient(name="X", email=address))
