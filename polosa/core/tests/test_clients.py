"""The client address behind proxies: only what the trusted proxies wrote counts, never the client's."""

import pytest
from django.test import RequestFactory

from polosa.core.clients import client_address

SPOOFED = "6.6.6.6, 10.0.0.5"


def request_with(**meta):
    return RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", **meta)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.POLOSA_TRUSTED_PROXIES = 0
    settings.POLOSA_CLIENT_IP_HEADER = ""
    assert client_address(request_with(HTTP_X_FORWARDED_FOR=SPOOFED)) == "192.0.2.1"


def test_one_trusted_proxy_takes_the_entry_it_appended_not_the_spoofed_first(settings):
    settings.POLOSA_TRUSTED_PROXIES = 1
    settings.POLOSA_CLIENT_IP_HEADER = ""
    assert client_address(request_with(HTTP_X_FORWARDED_FOR=SPOOFED)) == "10.0.0.5"


def test_two_trusted_proxies_take_the_second_entry_from_the_right(settings):
    settings.POLOSA_TRUSTED_PROXIES = 2
    settings.POLOSA_CLIENT_IP_HEADER = ""
    header = "6.6.6.6, 203.0.113.9 ,10.0.0.5"
    assert client_address(request_with(HTTP_X_FORWARDED_FOR=header)) == "203.0.113.9"


@pytest.mark.parametrize("header", [None, "", "10.0.0.5", " , "])
def test_fewer_entries_than_trusted_proxies_fall_back_to_the_connection(settings, header):
    # The request did not pass every proxy, so no entry can be trusted.
    settings.POLOSA_TRUSTED_PROXIES = 2
    settings.POLOSA_CLIENT_IP_HEADER = ""
    meta = {} if header is None else {"HTTP_X_FORWARDED_FOR": header}
    assert client_address(request_with(**meta)) == "192.0.2.1"


def test_a_single_value_header_is_used_when_configured(settings):
    settings.POLOSA_TRUSTED_PROXIES = 0
    settings.POLOSA_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    request = request_with(HTTP_X_REAL_IP=" 203.0.113.7 ", HTTP_X_FORWARDED_FOR=SPOOFED)
    assert client_address(request) == "203.0.113.7"
    assert client_address(request_with()) == "192.0.2.1"


def test_a_configured_header_holding_a_list_takes_the_nearest_proxys_entry(settings):
    settings.POLOSA_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    first = client_address(request_with(HTTP_X_FORWARDED_FOR=SPOOFED))
    rotated = client_address(request_with(HTTP_X_FORWARDED_FOR="7.7.7.7, 10.0.0.5"))
    assert first == rotated == "10.0.0.5"
