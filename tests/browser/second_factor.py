"""Staff sign-in in the browser: after the password, the demo app's code.

A TOTP code is accepted once per 30-second step (django-otp's ``last_t``), and
journeys switch between the same people within seconds. So the helper remembers
the last step used per username in this test process and, when it would repeat,
types the next step's code (the device's tolerance of one step accepts it) or
waits for the clock to come close enough.
"""

from __future__ import annotations

import re
import time

from playwright.sync_api import Page

from portal_site.demo import ACCOUNTS
from tthc_portal.accounts.second_factor.demo import demo_totp_code

VERIFY_PATH = "/tai-khoan/xac-thuc-hai-buoc/"
STEP = 30
STAFF_USERNAMES = frozenset(account.username for account in ACCOUNTS if account.role)

_last_step: dict[str, int] = {}


def is_staff_login(identifier: str) -> bool:
    return identifier in STAFF_USERNAMES


def fresh_code(username: str) -> str:
    """A code whose step this process has not used yet for ``username``."""
    now = int(time.time()) // STEP
    wanted = max(now, _last_step.get(username, -1) + 1)
    if wanted > now + 1:
        # Two steps ahead would be outside the tolerance: wait for the clock.
        time.sleep(max(0.0, (wanted - 1) * STEP - time.time() + 0.5))
    _last_step[username] = wanted
    return demo_totp_code(username, wanted * STEP + 1)


def pass_second_factor(page: Page, base: str, username: str) -> None:
    """On the verify page the password sign-in led to: type the app's code."""
    page.wait_for_url(re.compile(re.escape(base + VERIFY_PATH)))
    page.get_by_label("Mã xác thực").fill(fresh_code(username))
    page.get_by_role("button", name="Xác nhận").click()
