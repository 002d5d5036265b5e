from django.test import RequestFactory, override_settings

from lantoa.core.clients import client_address


def request(**meta: str):  # type: ignore[no-untyped-def]
    made = RequestFactory().get("/")
    made.META.update(meta)
    return made


def test_without_a_proxy_the_connection_address_counts():
    assert client_address(request(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4")) == "10.0.0.5"


@override_settings(LANTOA_TRUSTED_PROXIES=1)
def test_behind_one_proxy_its_last_entry_counts_and_forged_ones_do_not():
    forged = request(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert client_address(forged) == "203.0.113.9"
    assert client_address(request(REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"
