"""Log lines as JSON, each with the request id, the user id and the task id.

``LOG_FORMAT=json`` (the production default) writes one JSON object per line
for a log shipper; ``plain`` keeps the human format for ``make run``. Only ids
go into a line, never a name, an ID number or a phone: the request id joins
the line to the audit log, which holds the rest under access control.
"""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

from tthc_portal.audit.middleware import current_request_id

_user_id: ContextVar[str] = ContextVar("log_user_id", default="")
_task_id: ContextVar[str] = ContextVar("log_task_id", default="")


class LogContextMiddleware:
    """After authentication: the signed-in user's id for this request's log lines."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        token = _user_id.set(str(user.pk) if user is not None and user.is_authenticated else "")
        try:
            return self.get_response(request)
        finally:
            _user_id.reset(token)


def task_started(task_id: str | None = None, **_kwargs) -> None:
    _task_id.set(task_id or "")


def task_finished(**_kwargs) -> None:
    _task_id.set("")


class ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        request_id, user_id = current_request_id(), _user_id.get()
        # Django logs a 4xx/5xx response after the middleware has finished, with
        # the request attached to the record: read the ids from it then.
        request = getattr(record, "request", None)
        if request is not None and not request_id:
            request_id = getattr(request, "request_id", "")
            user = getattr(request, "user", None)
            user_id = str(user.pk) if user is not None and user.is_authenticated else ""
        record.request_id = request_id or "-"
        record.user_id = user_id or "-"
        record.task_id = _task_id.get() or "-"
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("request_id", "user_id", "task_id"):
            value = getattr(record, key, "-")
            if value and value != "-":
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)
