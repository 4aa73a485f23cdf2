"""The demo province wired to the local national-hub simulator (``make run``).

Both sides are configured, idempotently: in the portal the hub, PayGov targets
with their credentials and the push token; in the simulator the national
catalogue (the province's published procedures), the units, where to push new
dossiers, the PayGov partner and a few results in the demo citizens' data store.
Production configures real targets in the admin instead; nothing here runs there."""

from __future__ import annotations

import secrets

from django.urls import reverse

from procedures.models import Procedure
from tthc_portal.agencies.models import Agency

from .catalogue.shape import version_national
from .models import Target, TargetKind, Transport, UnitCredential
from .secrets import secret_encrypt
from .simulator import HubControl

PARTNER, PARTNER_SECRET = "TTHC-DEMO", "paygov-demo-secret"
HUB_USER, HUB_SECRET = "tinh-demo", "demo-hub-secret"


def _target(code: str, kind: str, name: str, url: str, **extra) -> Target:
    target, _created = Target.objects.update_or_create(
        code=code,
        defaults={"kind": kind, "name": name, "base_url": url, "is_active": True,
                  "consecutive_failures": 0, "circuit_open_until": None, **extra},
    )  # fmt: skip
    return target


def _credential(target: Target, username: str, secret: str) -> None:
    UnitCredential.objects.update_or_create(
        target=target, agency=None,
        defaults={"unit_code": "", "username": username,
                  "secret_encrypted": secret_encrypt(secret)},
    )  # fmt: skip


def demo_hub_setup(hub_url: str, site_url: str) -> dict:
    """Configure the portal and the simulator for each other; returns a summary."""
    from .inbound.auth import push_token_set

    hub = _target("dvcqg", TargetKind.HUB, "Cổng DVCQG (mô phỏng cục bộ)", hub_url,
                  transport=Transport.REST, backoff_base=10, backoff_max=300,
                  breaker_cooldown=30)  # fmt: skip
    _credential(hub, HUB_USER, HUB_SECRET)
    push_token = secrets.token_urlsafe(32)
    push_token_set(hub, push_token)
    paygov = _target("paygov", TargetKind.PAYGOV, "PayGov (mô phỏng cục bộ)", hub_url,
                     options={"partner": PARTNER, "service_code": "DVC-DEMO"})  # fmt: skip
    _credential(paygov, PARTNER, PARTNER_SECRET)

    procedures = (
        Procedure.objects.filter(current_version__isnull=False, code__isnull=False)
        .select_related("current_version__field", "current_version__implementing_agency")
        .prefetch_related(
            "current_version__fees", "current_version__components", "current_version__legal_bases"
        )
    )
    catalogue = [version_national(p.current_version, p.localised_code) for p in procedures]
    control = HubControl(hub_url)
    units = {agency.code: {"username": HUB_USER, "password": HUB_SECRET,
                           "client_id": HUB_USER, "client_secret": HUB_SECRET}
             for agency in Agency.objects.filter(is_active=True)}  # fmt: skip
    control.configure(
        units=units,
        province_push_url=site_url.rstrip("/") + reverse("integrations:inbound_push"),
        province_push_token=push_token,
        paygov_partners={PARTNER: PARTNER_SECRET},
        fetch_results=True,
        public_url=hub_url,
        # National codes must never collide with the province's own (unit-yymmdd-seq).
        code_prefix="G",
    )
    control.set_catalogue(catalogue)
    control.seed_datastore(_store_items(control))
    return {"procedures": len(catalogue), "units": len(units)}


def _store_items(control: HubControl) -> dict:
    """An earlier result in a demo citizen's national data store, with its file."""
    from weasyprint import HTML

    pdf = HTML(string=(
        "<h1>Giấy khai sinh</h1><p>Bản điện tử — dữ liệu mô phỏng của kho dữ liệu quốc gia.</p>"
        "<p>Họ và tên: Nguyễn Văn An. Số định danh: 001085012345.</p>"
    )).write_pdf()  # fmt: skip
    stored = control.add_file("giay-khai-sinh.pdf", pdf, "application/pdf")
    return {
        "001085012345": [{
            "MaKetQua": "KQ-KS-2019-0415", "TenGiayTo": "Giấy khai sinh",
            "SoKyHieu": "215/2019/KS", "CoQuanChuQuan": "UBND phường Phố Hiến",
            "DanhSachTepDinhKem": [{"TenTep": "giay-khai-sinh.pdf", "DuongDan": stored["url"]}],
        }],
    }  # fmt: skip
