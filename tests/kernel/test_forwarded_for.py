"""Behind the load balancer, per-address limits see the client's address, and
a client cannot choose it by sending its own X-Forwarded-For."""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from tthc_portal.forwarded import ForwardedForMiddleware, client_address, trusted_networks

PROXIES = trusted_networks("172.16.0.0/12, 10.0.0.5/32")
LB = "172.18.0.4"  # docker-compose's nginx
TLS_PROXY = "10.0.0.5"


@pytest.mark.parametrize(
    ("remote", "forwarded", "client"),
    [
        # Through the TLS proxy and the load balancer.
        (LB, f"203.0.113.7, {TLS_PROXY}", "203.0.113.7"),
        # Through the load balancer only.
        (LB, "203.0.113.7", "203.0.113.7"),
        # A forged header: the proxies appended the real peer to its right.
        (LB, f"198.51.100.1, 203.0.113.7, {TLS_PROXY}", "203.0.113.7"),
        (LB, "198.51.100.1, 203.0.113.7", "203.0.113.7"),
        # Reached directly (not from a proxy): the header is ignored.
        ("203.0.113.9", "198.51.100.1", "203.0.113.9"),
        # From a proxy with no header (Prometheus scraping a replica).
        (LB, "", LB),
        # Garbage from the left: the last address a trusted hop vouched for.
        (LB, f"not-an-ip, {TLS_PROXY}", TLS_PROXY),
        ("2001:db8::1", "203.0.113.7", "2001:db8::1"),
    ],
)
def test_the_client_is_the_first_untrusted_hop_from_the_right(
    remote: str, forwarded: str, client: str
) -> None:
    assert client_address(remote, forwarded, PROXIES) == client


def _seen(**meta: str) -> str:
    seen: list[str] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(request.META["REMOTE_ADDR"])
        return HttpResponse()

    ForwardedForMiddleware(view)(RequestFactory().get("/", **meta))
    return seen[0]


def test_the_middleware_rewrites_remote_addr_only_when_configured(settings) -> None:
    meta = {"REMOTE_ADDR": LB, "HTTP_X_FORWARDED_FOR": "198.51.100.1, 203.0.113.7"}
    settings.TTHC_TRUSTED_PROXIES = ""
    assert _seen(**meta) == LB
    settings.TTHC_TRUSTED_PROXIES = "172.16.0.0/12"
    assert _seen(**meta) == "203.0.113.7"
