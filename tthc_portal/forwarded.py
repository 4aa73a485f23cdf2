"""The client's address when requests come through the load balancer.

Behind docker-compose's nginx (and the TLS proxy in front of it) every request
reaches gunicorn from the proxy's address, so the per-address limits (sign-in
lockout, status look-ups, queue tickets, API throttles) would count the whole
province as one client. This middleware puts the client's address in
``REMOTE_ADDR`` — the one place the portal reads it — but only when the
request came from a proxy the operator trusts (``TTHC_TRUSTED_PROXIES``,
comma-separated networks): ``X-Forwarded-For`` is read from the right, each
trusted hop skipped, and the first address no trusted proxy vouches for is the
client. A client's own X-Forwarded-For entries sit to the left of what the
proxies appended, so they are never reached. Without the setting, nothing
changes (a server reached directly keeps its peer address).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_networks(value: str) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item.strip()) for item in value.split(",") if item.strip())


def _trusted(address: str, networks: Iterable[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(remote_addr: str, forwarded_for: str, networks: tuple[Network, ...]) -> str:
    """The client's address: the peer, unless the peer is a trusted proxy."""
    if not _trusted(remote_addr, networks):
        return remote_addr
    client = remote_addr
    for hop in reversed([part.strip() for part in forwarded_for.split(",") if part.strip()]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            # A trusted proxy passed on something that is no address: stop at
            # the last hop it vouched for rather than guess.
            return client
        client = hop
        if not _trusted(hop, networks):
            return hop
    return client


class ForwardedForMiddleware:
    """First in MIDDLEWARE, so every later reader sees the client's address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.networks = trusted_networks(getattr(settings, "TTHC_TRUSTED_PROXIES", ""))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.networks:
            request.META["REMOTE_ADDR"] = client_address(
                request.META.get("REMOTE_ADDR", ""),
                request.META.get("HTTP_X_FORWARDED_FOR", ""),
                self.networks,
            )
        return self.get_response(request)
