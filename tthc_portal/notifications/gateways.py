"""SMS gateways. Select one with the SMS_GATEWAY setting (a dotted path)."""

from __future__ import annotations

import json
import logging
import urllib.request
from functools import cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SMSGatewayError(Exception):
    pass


class SMSGateway:
    def __init__(self, **options: str) -> None:
        self.options = options

    def send(self, phone: str, text: str, *, idempotency_key: str) -> str:
        """Deliver one SMS; return the provider's message id."""
        raise NotImplementedError


class LoggingSMSGateway(SMSGateway):
    """Default for development: writes the SMS to the log instead of a phone."""

    def send(self, phone: str, text: str, *, idempotency_key: str) -> str:
        logger.info("SMS to %s [%s]: %s", phone, idempotency_key, text)
        return f"log-{idempotency_key}"


class HttpJsonSMSGateway(SMSGateway):
    """A generic brand-name SMS HTTP API: POST {to, text, sender, id} with a token.

    Providers de-duplicate on ``id``, which is the outbox row's key, so a retry
    after a lost response does not deliver twice.
    """

    def send(self, phone: str, text: str, *, idempotency_key: str) -> str:
        payload = json.dumps(
            {"to": phone, "text": text, "sender": self.options.get("sender"), "id": idempotency_key}
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - URL comes from settings
            self.options["url"],
            data=payload,
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {self.options.get('token', '')}",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return json.loads(response.read() or b"{}").get("id", idempotency_key)
        except OSError as exc:
            raise SMSGatewayError(str(exc)) from exc


@cache
def get_sms_gateway() -> SMSGateway:
    return import_string(settings.SMS_GATEWAY)(**settings.SMS_GATEWAY_OPTIONS)


@receiver(setting_changed)
def _forget_gateway(*, setting: str, **_kwargs) -> None:
    if setting in ("SMS_GATEWAY", "SMS_GATEWAY_OPTIONS"):
        get_sms_gateway.cache_clear()
