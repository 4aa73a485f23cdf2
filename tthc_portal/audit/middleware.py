"""A request id that ties log lines, audit events and queued jobs together."""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

_request_id: ContextVar[str] = ContextVar("request_id", default="")
# The integration client (OAuth2 client id) whose token made this request: set by
# the API's token authentication, copied onto every audit event of the request.
_api_client: ContextVar[str] = ContextVar("api_client", default="")
# Matched with fullmatch(): "$" would also accept a trailing newline, which
# then makes setting the response header raise BadHeaderError.
_SAFE_ID = re.compile(r"[A-Za-z0-9\-_.]{1,64}")


def current_request_id() -> str:
    return _request_id.get()


def set_request_id(value: str) -> None:
    _request_id.set(value)


def current_api_client() -> str:
    return _api_client.get()


def set_api_client(value: str) -> None:
    _api_client.set(value)


class RequestIdMiddleware:
    header = "HTTP_X_REQUEST_ID"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get(self.header, "")
        request_id = incoming if _SAFE_ID.fullmatch(incoming) else uuid.uuid4().hex
        token = _request_id.set(request_id)
        # Reset per request: a worker thread keeps its context between requests.
        client_token = _api_client.set("")
        request.request_id = request_id
        try:
            response = self.get_response(request)
            _api_call_record(request, response)
        finally:
            _api_client.reset(client_token)
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


def _api_call_record(request, response) -> None:
    """One audit event per API call made with an integration client's token.

    The token authentication leaves the client on the request
    (``audit_api_client``); a call that never reached it (no token) has none.
    """
    client = getattr(request, "audit_api_client", None)
    if client is None:
        return
    from .services import audit_record  # services import this module

    audit_record(
        actor=client.service_account,
        action="api_client.call",
        target=client,
        after={
            "client_id": client.client_id,
            "agency": client.agency.code,
            "method": request.method,
            "path": request.path[:500],
            "status": response.status_code,
        },
    )
