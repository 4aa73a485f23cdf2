"""Shared by the double-submit tests: the middleware switched on (until
settings/base.py lists it) and tiny views to exercise it."""

from __future__ import annotations

import time

import pytest
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template import engines
from django.urls import path

from tthc_portal import urls as portal_urls

MIDDLEWARE = "tthc_portal.web.idempotency.IdempotencyMiddleware"
AFTER = "django.contrib.messages.middleware.MessageMiddleware"
KEY = "0123456789abcdef0123456789abcdef"
FIELD_NAME = "idempotency_key"  # what static/js/submit-once.js adds


@pytest.fixture
def idempotent_forms(settings) -> None:
    """The middleware where settings/base.py is to list it (no-op once it does)."""
    middleware = list(settings.MIDDLEWARE)
    if MIDDLEWARE not in middleware:
        middleware.insert(middleware.index(AFTER) + 1, MIDDLEWARE)
        settings.MIDDLEWARE = middleware


# --- views of the generic tests (tests/web/test_idempotent_*.py use this urlconf) ---------

RUNS: list[str] = []


def counted(request: HttpRequest) -> HttpResponse:
    """A successful action: post/redirect/get with a message."""
    RUNS.append(request.POST.get("value", ""))
    messages.success(request, f"Đã lưu lần {len(RUNS)}.")
    return redirect(f"/xong/{len(RUNS)}/")


def refused(request: HttpRequest) -> HttpResponse:
    """A form with errors: re-rendered, not redirected."""
    RUNS.append("refused")
    return HttpResponse("Vui lòng sửa các lỗi bên dưới.", status=400)


def crashing(request: HttpRequest) -> HttpResponse:
    RUNS.append("crash")
    raise RuntimeError("boom")


FORM_PAGE = """{% extends "base.html" %}{% block content %}
<form method="post" action="/cham/" data-testid="slow-form">{% csrf_token %}
  <input type="hidden" name="value" value="a"><button type="submit" class="button">Lưu</button>
</form>{% endblock %}"""


def form_page(request: HttpRequest) -> HttpResponse:
    """A page of the portal with one POST form (the browser test)."""
    return HttpResponse(engines["django"].from_string(FORM_PAGE).render({}, request))


def slow(request: HttpRequest) -> HttpResponse:
    """An action that takes a second (signing does): records the key it got."""
    RUNS.append(request.POST.get(FIELD_NAME, ""))
    time.sleep(1)
    messages.success(request, f"Đã lưu lần {len(RUNS)}.")
    return redirect("/bieu-mau/")


urlpatterns = [
    path("bieu-mau/", form_page),
    path("cham/", slow),
    path("luu/", counted),
    path("loi/", refused),
    path("hong/", crashing),
    # The portal's own, for the pages (base.html names them).
    *portal_urls.urlpatterns,
]
