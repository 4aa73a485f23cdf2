"""The push endpoint the national portal posts its messages to (PROTOCOL.md §4).

Thin: authenticate, parse, hand over to ``inbound_receive``. Replies are JSON with
``error_code`` whatever went wrong with the request, never an HTML error page."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..config import active_target
from ..inbound import inbound_receive, push_token_check
from ..inbound.auth import bearer_token
from ..inbound.envelope import envelope_errors
from ..models import TargetKind


def _refusal(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error_code": -1, "message": message}, status=status)


def _max_body() -> int:
    # A message carries its files as Base64 (4/3 of their size), possibly several.
    upload = int(settings.TTHC.get("MAX_UPLOAD_BYTES", 10 * 1024 * 1024))
    return int(settings.TTHC.get("INBOUND_MAX_BYTES", 20 * upload))


@csrf_exempt
@require_POST
def inbound_push(request: HttpRequest) -> JsonResponse:
    target = active_target(TargetKind.HUB)
    if target is None or not push_token_check(target, bearer_token(request)):
        return _refusal(_("Sai hoặc thiếu mã xác thực."), 401)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > _max_body():
        return _refusal(_("Bản tin quá lớn."), 413)
    # read(), not .body: the files make messages larger than DATA_UPLOAD_MAX_MEMORY_SIZE.
    raw = request.read(_max_body() + 1)
    if len(raw) > _max_body():
        return _refusal(_("Bản tin quá lớn."), 413)
    try:
        envelope = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return _refusal(_("Nội dung không phải JSON hợp lệ."), 400)
    errors = envelope_errors(envelope)
    if errors:
        return _refusal(" ".join(errors), 400)
    outcome = inbound_receive(envelope, "push", target=target)
    # A deferred message is not taken: 503 tells the hub to offer it again later.
    return JsonResponse(outcome.reply(), status=503 if outcome.deferred else 200)
