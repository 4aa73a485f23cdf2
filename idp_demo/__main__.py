"""``python -m idp_demo --port 8200 --var-dir var/idp-demo --client-id … --redirect-uri …``

Configures Django with ``idp_demo.settings``, migrates its own SQLite database,
registers the one confidential client, then serves until SIGTERM. Prints
``ready <url>`` on stdout once it is listening.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
from pathlib import Path
from types import FrameType


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m idp_demo",
        description=(
            "Máy mô phỏng đăng nhập một lần của Cổng Dịch vụ công quốc gia (OpenID Connect)."
        ),
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="Địa chỉ lắng nghe (mặc định 127.0.0.1)"
    )
    parser.add_argument("--port", type=int, default=8200, help="Cổng (mặc định 8200)")
    parser.add_argument(
        "--var-dir", default="var/idp-demo", help="Thư mục dữ liệu: CSDL SQLite, khóa ký"
    )
    parser.add_argument("--client-id", default="tthc-portal", help="client_id của cổng tỉnh")
    parser.add_argument(
        "--client-secret",
        default=os.environ.get("IDP_DEMO_CLIENT_SECRET", ""),
        help="client_secret (hoặc biến môi trường IDP_DEMO_CLIENT_SECRET)",
    )
    parser.add_argument(
        "--redirect-uri",
        action="append",
        required=True,
        help="redirect_uri được phép (lặp lại nếu nhiều)",
    )
    parser.add_argument(
        "--post-logout-redirect-uri",
        action="append",
        default=[],
        help="post_logout_redirect_uri được phép (lặp lại nếu nhiều)",
    )
    parser.add_argument("--issuer", default="", help="Issuer (mặc định http://<host>:<port>)")
    return parser


def _stop(signum: int, frame: FrameType | None) -> None:
    # Leave serve_forever() through the normal exit path.
    raise SystemExit(0)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not args.client_secret:
        _parser().error("--client-secret (hoặc IDP_DEMO_CLIENT_SECRET) là bắt buộc")
    public_host = "127.0.0.1" if args.host in ("0.0.0.0", "::", "") else args.host  # noqa: S104
    if ":" in public_host:
        public_host = f"[{public_host}]"
    issuer = (args.issuer or f"http://{public_host}:{args.port}").rstrip("/")

    # Set before Django is imported: a parent process (pytest, the portal) may have
    # exported its own settings module.
    os.environ["DJANGO_SETTINGS_MODULE"] = "idp_demo.settings"
    os.environ["IDP_DEMO_VAR_DIR"] = str(Path(args.var_dir).resolve())
    os.environ["IDP_DEMO_ISSUER"] = issuer

    import django

    django.setup()

    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.management import call_command
    from django.core.servers.basehttp import run
    from django.core.wsgi import get_wsgi_application

    from idp_demo.identities import identities_load
    from idp_demo.services import ClientConfig, client_application_sync, person_user_sync

    call_command("migrate", verbosity=0, interactive=False)
    client_application_sync(
        ClientConfig(
            client_id=args.client_id,
            client_secret=args.client_secret,
            redirect_uris=args.redirect_uri,
            post_logout_redirect_uris=args.post_logout_redirect_uri,
        )
    )
    for person in identities_load():
        person_user_sync(person)

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)

    def on_bind(port: int) -> None:
        print(f"ready http://{public_host}:{port}", flush=True)

    with contextlib.suppress(SystemExit):
        run(
            args.host,
            args.port,
            StaticFilesHandler(get_wsgi_application()),
            ipv6=":" in args.host,
            threading=True,
            on_bind=on_bind,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
