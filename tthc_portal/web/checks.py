"""The portal's own deployment checks: no demo part serves the public by accident.

The defaults in settings/base.py make `make run` work with nothing to install:
a stand-in bank where a citizen marks a fee paid with one click, a signing CA
whose root nobody trusts, SMS written to the log. A production instance that
forgets one setting must not quietly keep them, so every demo part is refused
unless the operator says otherwise with ``TTHC_DEMO_PARTS=true`` (a public
trial). production.py raises at import with these findings (nothing runs
``check --deploy`` when gunicorn or Celery start); the same findings are
``check --deploy`` Errors for any other settings module that switches the
flag off.

Production also needs Redis (tthc.E007, ``check --deploy``): the embedded
filesystem broker and file cache of ``make run`` are not shared between servers.

The receipt provider's address is also a database row (its ``integrations.Target``):
``receipts.checks`` refuses a local one there with ``--database``.

The findings are computed from plain values, without ``django.conf.settings``,
because production.py needs them before settings exist. Messages are for the
operator, in English like Django's own checks.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

DEMO_FLAG = "TTHC_DEMO_PARTS"

SIMULATED_PAYMENT_GATEWAY = "dossiers.services.payments.SimulatedGateway"
DEMO_SIGNING_BACKEND = "tthc_portal.signing.backends.DemoCABackend"
LOGGING_SMS_GATEWAY = "tthc_portal.notifications.gateways.LoggingSMSGateway"


@dataclass(frozen=True)
class DemoPart:
    """One demo part found in the configuration."""

    id: str
    msg: str
    hint: str


def demo_parts_allowed() -> bool:
    """Whether demo parts (the simulated bank's pages, …) may run in this process.

    production.py sets ``DEMO_PARTS`` from TTHC_DEMO_PARTS (off by default);
    the dev and test settings do not set it and run the demo."""
    return bool(getattr(settings, "DEMO_PARTS", True))


def is_loopback_url(url: str) -> bool:
    """Whether ``url`` points at this machine (a local simulator)."""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    if not host:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _hint(variable: str, what: str) -> str:
    return f"Set {variable} to {what}, or set {DEMO_FLAG}=true on a demonstration instance."


def demo_parts_configured(
    *, tthc: Mapping[str, Any], sms_gateway: str, identity: Mapping[str, Any]
) -> list[DemoPart]:
    """The demo parts these settings values would run (empty: none)."""
    found: list[DemoPart] = []
    if tthc.get("PAYMENT_GATEWAY") == SIMULATED_PAYMENT_GATEWAY:
        found.append(
            DemoPart(
                id="tthc.E001",
                msg=f"The payment gateway is the simulated bank ({SIMULATED_PAYMENT_GATEWAY}): "
                "citizens could mark their fees paid without paying.",
                hint=_hint(
                    "TTHC_PAYMENT_GATEWAY",
                    "a real gateway, e.g. integrations.paygov.gateway.PayGovGateway",
                ),
            )
        )
    if (tthc.get("SIGNING") or {}).get("BACKEND") == DEMO_SIGNING_BACKEND:
        found.append(
            DemoPart(
                id="tthc.E002",
                msg="Results are signed by the demo certificate authority "
                f"({DEMO_SIGNING_BACKEND}), which no relying party trusts.",
                hint=_hint(
                    "TTHC_SIGNING_BACKEND",
                    "tthc_portal.signing.backends.PKCS12Backend (with TTHC_SIGNING_PKCS12_DIR, "
                    "TTHC_SIGNING_PKCS12_PASSPHRASE and TTHC_SIGNING_TRUST_ROOTS)",
                ),
            )
        )
    if sms_gateway == LOGGING_SMS_GATEWAY:
        found.append(
            DemoPart(
                id="tthc.E003",
                msg=f"The SMS gateway only writes messages to the log ({LOGGING_SMS_GATEWAY}): "
                "citizens receive no SMS.",
                hint=_hint(
                    "SMS_GATEWAY",
                    "tthc_portal.notifications.gateways.HttpJsonSMSGateway (with "
                    "SMS_GATEWAY_URL and SMS_GATEWAY_TOKEN)",
                ),
            )
        )
    hub_url = str(tthc.get("NATIONAL_HUB_URL") or "")
    if is_loopback_url(hub_url):
        found.append(
            DemoPart(
                id="tthc.E004",
                msg=f"The national hub is this machine ({hub_url}): the local simulator, "
                "not the national public service portal.",
                hint=_hint("TTHC_NATIONAL_HUB_URL", "the address issued by the national operator"),
            )
        )
    discovery_url = str(identity.get("OIDC_DISCOVERY_URL") or "")
    if is_loopback_url(discovery_url):
        found.append(
            DemoPart(
                id="tthc.E005",
                msg=f"The identity provider is this machine ({discovery_url}): the demo "
                "provider, which signs anyone in as any citizen.",
                hint=_hint(
                    "OIDC_DISCOVERY_URL", "the national single sign-on's https:// discovery URL"
                ),
            )
        )
    receipt_url = str(tthc.get("RECEIPT_PROVIDER_URL") or "")
    if is_loopback_url(receipt_url):
        found.append(
            DemoPart(
                id="tthc.E006",
                msg=f"The e-receipt provider is this machine ({receipt_url}): the local "
                "receipt simulator, whose receipts never reach the tax authority.",
                hint=_hint(
                    "TTHC_RECEIPT_PROVIDER_URL",
                    "the VNPT or Viettel e-receipt service address in the provider contract",
                ),
            )
        )
    return found


def demo_parts_refusal(found: list[DemoPart]) -> str:
    """The ImproperlyConfigured text production.py raises with."""
    lines = [f"Demo parts are configured and {DEMO_FLAG} is not set:"]
    lines += [f"  {part.id}: {part.msg} HINT: {part.hint}" for part in found]
    return "\n".join(lines)


@checks.register(checks.Tags.security, deploy=True)
def demo_parts_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if demo_parts_allowed():
        return []
    found = demo_parts_configured(
        tthc=settings.TTHC, sms_gateway=settings.SMS_GATEWAY, identity=settings.IDENTITY
    )
    return [checks.Error(part.msg, hint=part.hint, id=part.id) for part in found]


# --- Redis: the broker and cache every server shares ---------------------------

# The embedded defaults of settings/base.py: they live on one machine's disk or in
# one process, so with several servers (web replicas, one worker per queue, beat)
# jobs queued by the web never reach a worker and caches, throttles and the beat
# lock are not shared.
EMBEDDED_BROKERS = ("filesystem", "memory")
EMBEDDED_CACHES = (
    "django.core.cache.backends.filebased.FileBasedCache",
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


def redis_required() -> bool:
    """production.py sets ``REDIS_REQUIRED``; dev, test and ``make run`` run embedded."""
    return bool(getattr(settings, "REDIS_REQUIRED", False))


def embedded_services_configured(
    *, redis_url: str, broker_url: str, result_backend: str, cache_backend: str
) -> list[str]:
    """What would run on the embedded broker or cache (empty: all on Redis)."""
    found = []
    if not redis_url:
        found.append("REDIS_URL is not set")
    broker = urlsplit(broker_url).scheme
    if broker in EMBEDDED_BROKERS:
        found.append(f"the Celery broker is the embedded {broker}:// transport")
    results = urlsplit(result_backend).scheme
    if results in ("file", "cache+memory"):
        found.append(f"Celery results go to the embedded {results}:// backend")
    if cache_backend in EMBEDDED_CACHES:
        found.append(f"the shared cache is {cache_backend.rsplit('.', 1)[-1]}")
    return found


@checks.register(checks.Tags.caches, "tthc", deploy=True)
def redis_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if not redis_required():
        return []
    found = embedded_services_configured(
        redis_url=str(getattr(settings, "REDIS_URL", "") or ""),
        broker_url=str(getattr(settings, "CELERY_BROKER_URL", "") or ""),
        result_backend=str(getattr(settings, "CELERY_RESULT_BACKEND", "") or ""),
        cache_backend=settings.CACHES.get("default", {}).get("BACKEND", ""),
    )
    if not found:
        return []
    return [
        checks.Error(
            "Production needs Redis as the Celery broker, result backend and shared "
            "cache: " + "; ".join(found) + ". Jobs queued by one server would never "
            "reach the workers on the others, and caches, throttles and the beat lock "
            "would not be shared.",
            hint="Set REDIS_URL=redis://<host>:6379/0 (and leave CELERY_BROKER_URL and "
            "CELERY_RESULT_BACKEND unset, or point them at Redis).",
            id="tthc.E007",
        )
    ]
