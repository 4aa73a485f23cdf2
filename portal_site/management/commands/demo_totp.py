"""Print the current authenticator code of a demo staff account.

For a demo without an authenticator app at hand: the demo secrets are derived
from the username (see second_factor/demo.py), so the code is computable.
Accounts that enrolled their own app are not affected.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from portal_site.demo import ACCOUNTS
from tthc_portal.accounts.second_factor.demo import demo_totp_code, demo_totp_secret


class Command(BaseCommand):
    help = "In mã xác thực TOTP hiện tại của một tài khoản cán bộ demo."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username", help="tên đăng nhập cán bộ demo, ví dụ motcua.tuphap")

    def handle(self, *args, username: str, **options) -> None:
        staff = {account.username for account in ACCOUNTS if account.role}
        if username not in staff:
            raise CommandError(f"{username} không phải tài khoản cán bộ demo.")
        self.stdout.write(
            f"{demo_totp_code(username)}  (khóa bí mật: {demo_totp_secret(username)})"
        )
