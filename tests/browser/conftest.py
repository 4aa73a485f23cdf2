"""Browser fixtures: Playwright driving Debian's Chromium against live_server.

Never run ``playwright install``: the browser is /usr/bin/chromium (see the
``chromium_path`` fixture in tests/conftest.py, which skips locally and fails
under CI=true when it is missing).
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections
from django.utils.translation import trans_real
from playwright.sync_api import Browser, ConsoleMessage, Page

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Keep each phase's report on the item so fixtures can see a failure."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def _compiled_catalogues() -> None:
    """English needs the .mo files, as `make run` compiles them."""
    call_command("compile_translations", verbosity=0)
    trans_real._translations = {}
    trans_real._default = None


@pytest.fixture
def browser(chromium_path: str, _compiled_catalogues: None) -> Iterator[Browser]:
    """Chromium for one test.

    Function-scoped on purpose: while Playwright's sync API runs, its event
    loop is "running" in this thread, so Django refuses synchronous ORM calls
    (hence DJANGO_ALLOW_ASYNC_UNSAFE) and hands out *other* connection objects
    (asgiref's thread-critical locals switch to context storage). Stopping
    Playwright after each test gives the rest of the session — transactional
    tests, pytest-django's flush and serialized rollback — its usual
    connection back.
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()
    finally:
        # Connections opened by ORM calls made while the loop ran.
        connections.close_all()
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def console_errors() -> list[str]:
    """Console errors and uncaught exceptions of the test's pages.

    A CSP violation (an inline style or script) shows up here.
    """
    return []


def _screenshot_name(nodeid: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", nodeid.split("::", 1)[-1]).strip("-")


def _open_page(
    request: pytest.FixtureRequest,
    browser: Browser,
    artifacts_dir: Path,
    console_errors: list[str],
    **context_options: object,
) -> Iterator[Page]:
    context = browser.new_context(locale="vi-VN", **context_options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            console_errors.append(f"{message.text} ({message.location.get('url', '')})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: console_errors.append(f"uncaught: {error}"))
    try:
        yield page
    finally:
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            page.screenshot(
                path=str(artifacts_dir / f"FAILED-{_screenshot_name(request.node.nodeid)}.png"),
                full_page=True,
            )
        context.close()


@pytest.fixture
def page(
    request: pytest.FixtureRequest, browser: Browser, artifacts_dir: Path, console_errors: list[str]
) -> Iterator[Page]:
    """A desktop page (1280×800, Vietnamese browser) in a fresh context."""
    yield from _open_page(request, browser, artifacts_dir, console_errors, viewport=DESKTOP)


@pytest.fixture
def phone_page(
    request: pytest.FixtureRequest, browser: Browser, artifacts_dir: Path, console_errors: list[str]
) -> Iterator[Page]:
    """A phone-sized page (390×844, touch, mobile) in a fresh context."""
    yield from _open_page(
        request,
        browser,
        artifacts_dir,
        console_errors,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )


@pytest.fixture
def demo_site(live_server, django_db_serialized_rollback: None) -> str:
    """The demo province seeded into the live server's database; its base URL.

    live_server tests flush the database after each test; the serialized
    rollback puts back what data migrations created (e.g. default rules).
    """
    call_command("seed_demo", stdout=io.StringIO())
    return live_server.url


@pytest.fixture
def shoot(artifacts_dir: Path) -> Callable[[Page, str], Path]:
    """Save a full-page screenshot under var/test-artifacts/browser-<name>.png."""

    def take(page: Page, name: str) -> Path:
        path = artifacts_dir / f"browser-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
