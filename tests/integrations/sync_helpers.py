"""Shared set-up of the outbound sync tests: a hub target on the simulator and
dossiers moved through the real lifecycle services."""

from __future__ import annotations

from integrations.models import SyncEvent, Target, TargetKind, UnitCredential
from integrations.secrets import secret_encrypt
from integrations.sync.sender import sync_drain


def hub_target(url: str, *, transport: str = "rest", **fields) -> Target:
    """The hub target with one default credential (the simulator accepts any
    credentials until units are configured)."""
    options = {"backoff_base": 0.05, "backoff_max": 0.2, "breaker_cooldown": 0.3,
               "read_timeout": 2.0, "connect_timeout": 1.0, **fields}  # fmt: skip
    target = Target.objects.create(
        code="dvcqg", kind=TargetKind.HUB, name="Cổng DVCQG (mô phỏng)", base_url=url,
        transport=transport, **options,
    )  # fmt: skip
    UnitCredential.objects.create(
        target=target, agency=None, unit_code="", username="tinh-demo",
        secret_encrypted=secret_encrypt("mat-khau-demo"),
    )  # fmt: skip
    return target


def drain_all(rounds: int = 50, **kwargs) -> int:
    """Drain until nothing is due (rows backing off for a few tenths of a second
    included); returns the number of rows acknowledged."""
    import time

    sent = 0
    for _ in range(rounds):
        report = sync_drain(**kwargs)
        sent += report.sent
        if not SyncEvent.objects.filter(status__in=["pending", "sending"]).exists():
            break
        time.sleep(0.1)
    return sent


def local_progress(dossier) -> list[tuple[int, int, str]]:
    """(SoThuTu, TrangThai, ThoiDiemXuLy) of the dossier's progress rows, in order."""
    return [
        (event.seq, event.national_status, event.payload["ThoiDiemXuLy"])
        for event in SyncEvent.objects.filter(dossier=dossier, kind="progress").order_by("seq")
    ]


def hub_progress(control, code: str) -> list[tuple[int, int, str]]:
    record = control.dossier(code) or {}
    return [
        (int(event["SoThuTu"]), int(event["TrangThai"]), event["ThoiDiemXuLy"])
        for event in record.get("TienDo", [])
    ]
