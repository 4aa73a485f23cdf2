"""A small client for the demo IdP's control endpoint, for tests and the demo.

idp = IdpControl("http://127.0.0.1:8200")
idp.fault("expired")          # the next id_tokens are expired …
idp.fault(None)               # … until cleared
idp.rotate_key()              # new signing key; JWKS keeps the previous one
idp.state()                   # {"faults": {"id_token": None}, "active_kid": …, "kids": […]}
"""

from __future__ import annotations

from typing import Any

import requests

ID_TOKEN_FAULTS = ("bad_signature", "wrong_audience", "expired", "wrong_issuer", "nonce_replay")


class IdpControlError(RuntimeError):
    def __init__(self, status: int, body: Any) -> None:
        super().__init__(f"demo IdP control endpoint: HTTP {status}: {body}")
        self.status = status
        self.body = body


class IdpControl:
    def __init__(self, base_url: str, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def _call(self, method: str, path: str, body: Any = None) -> dict[str, Any]:
        response = requests.request(
            method, f"{self.base_url}/__control__/{path}", json=body, timeout=self.timeout
        )
        try:
            payload = response.json()
        except ValueError:
            payload = response.text
        if response.status_code >= 400:
            raise IdpControlError(response.status_code, payload)
        return payload

    def fault(self, id_token: str | None) -> dict[str, Any]:
        """Apply ``id_token`` (one of ``ID_TOKEN_FAULTS``) to the next id_tokens; None clears."""
        return self._call("POST", "faults", {"id_token": id_token})

    def clear(self) -> dict[str, Any]:
        return self.fault(None)

    def rotate_key(self) -> dict[str, Any]:
        return self._call("POST", "rotate-key")

    def state(self) -> dict[str, Any]:
        return self._call("GET", "state")
