"""Make signing ready: the demo root and a certificate for every agency, or,
with another backend, check that each active agency can sign."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tthc_portal.agencies.models import Agency
from tthc_portal.signing.backends import DemoCABackend, get_backend
from tthc_portal.signing.errors import SigningError
from tthc_portal.signing.services import (
    agency_certificate_issue,
    agency_certificates_issue_all,
    ca_ensure_root_created,
    signing_keys_rewrap,
)


def _date(value) -> str:
    return f"{timezone.localtime(value):%d/%m/%Y}"


class Command(BaseCommand):
    help = (
        "Chuẩn bị ký số: tạo chứng thư gốc demo và cấp chứng thư cho mọi cơ quan đang hoạt "
        "động (idempotent); với backend khác, kiểm tra từng cơ quan có khóa ký."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Cấp lại chứng thư (cũ vẫn kiểm tra được)."
        )
        parser.add_argument(
            "--agency", action="append", default=[], metavar="MÃ", help="Chỉ cơ quan này."
        )
        parser.add_argument(
            "--rewrap-keys",
            action="store_true",
            help="Mã hóa lại các khóa bằng khóa bí mật hiện tại (sau khi đổi SECRET_KEY).",
        )

    def handle(self, *args, force: bool, agency: list[str], rewrap_keys: bool, **options):
        backend = get_backend()
        if not isinstance(backend, DemoCABackend):
            return self._check(backend, agency)
        try:
            if rewrap_keys:
                self.stdout.write(f"Khóa đã mã hóa lại: {signing_keys_rewrap()}.")
            root, created = ca_ensure_root_created()
            state = "vừa tạo" if created else "đã có"
            self.stdout.write(
                f"Chứng thư gốc: {root.name} ({state}), hiệu lực đến {_date(root.not_after)}, "
                f"SHA-256 {root.fingerprint_sha256}."
            )
            if agency or force:
                agencies = Agency.objects.filter(is_active=True).order_by("path")
                if agency:
                    agencies = agencies.filter(code__in=agency)
                    missing = set(agency) - set(agencies.values_list("code", flat=True))
                    if missing:
                        raise CommandError(
                            f"Không có cơ quan đang hoạt động mã: {', '.join(sorted(missing))}."
                        )
                for item in agencies:
                    cert = agency_certificate_issue(item, force=force)
                    self.stdout.write(
                        f"  {item.code:<16} {item.name}: số hiệu {cert.serial[:16]}…, "
                        f"hiệu lực đến {_date(cert.not_after)}."
                    )
                return
            issued = agency_certificates_issue_all()
        except SigningError as exc:
            raise CommandError(str(exc)) from exc
        total = Agency.objects.filter(is_active=True).count()
        self.stdout.write(
            f"Chứng thư cơ quan: {issued} cấp mới, {total - issued} đã có ({total} cơ quan)."
        )

    def _check(self, backend, codes: list[str]) -> None:
        agencies = Agency.objects.filter(is_active=True).order_by("path")
        if codes:
            agencies = agencies.filter(code__in=codes)
        failures = 0
        for item in agencies:
            try:
                credentials = backend.credentials_for(item)
            except SigningError as exc:
                failures += 1
                self.stderr.write(f"  {item.code:<16} {exc}")
                continue
            self.stdout.write(f"  {item.code:<16} sẵn sàng (số hiệu {credentials.serial[:16]}…).")
        self.stdout.write(
            f"Có {len(backend.trust_roots())} chứng thư gốc tin cậy; {failures} cơ quan thiếu khóa."
        )
        if failures:
            raise CommandError(f"{failures} cơ quan chưa ký được.")
