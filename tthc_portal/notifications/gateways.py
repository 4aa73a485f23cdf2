"""SMS gateways. Select one with the SMS_GATEWAY setting (a dotted path)."""

from __future__ import annotations

import functools
import json
import logging
import unicodedata
import urllib.request
from functools import cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SMSGatewayError(Exception):
    pass


def sms_accents_enabled() -> bool:
    """TTHC["SMS_ACCENTS"]: Vietnamese SMS in Unicode (default), or in plain
    ASCII when the gateway or the contract with the carrier needs it."""
    return bool(settings.TTHC.get("SMS_ACCENTS", True))


_PLAIN = str.maketrans({"đ": "d", "Đ": "D", "…": "...", "–": "-", "—": "-", "“": '"', "”": '"'})


def strip_diacritics(text: str) -> str:
    """Vietnamese without accents: "Hồ sơ đã được tiếp nhận" → "Ho so da duoc tiep nhan".

    đ/Đ are letters of their own (no decomposition), so they are mapped first;
    typographic punctuation (… – “ ”) would force a Unicode SMS, so it goes too."""
    text = text.translate(_PLAIN)
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    )


def sms_text(text: str) -> str:
    """The text as it leaves for the carrier: one policy for every message, so
    SMS are never half accented (templates are written with accents)."""
    return text if sms_accents_enabled() else strip_diacritics(text)


class SMSGateway:
    """Subclasses implement ``send``; the accent policy is applied around it,
    at the boundary, whatever the gateway (see ``__init_subclass__``)."""

    def __init__(self, **options: str) -> None:
        self.options = options

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        send = cls.__dict__.get("send")
        if send is not None and not getattr(send, "_applies_sms_policy", False):

            @functools.wraps(send)
            def send_with_policy(self, phone: str, text: str, *, idempotency_key: str) -> str:
                return send(self, phone, sms_text(text), idempotency_key=idempotency_key)

            send_with_policy._applies_sms_policy = True  # type: ignore[attr-defined]
            cls.send = send_with_policy  # type: ignore[method-assign]

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
