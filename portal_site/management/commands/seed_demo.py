"""Create (or refresh) the demo province. Safe to run any number of times."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from indicators import demo as indicators_demo
from portal_site import demo


class Command(BaseCommand):
    help = "Tạo dữ liệu tỉnh mẫu: cơ quan, tài khoản theo vai trò, lịch nghỉ lễ, thủ tục mẫu."

    def handle(self, *args, **options):
        demo.seed_reference_data()
        count = demo.seed_calendar()
        self.stdout.write(f"Lịch làm việc: {count} ngày nghỉ, ngày làm bù.")
        agencies = demo.seed_agencies()
        self.stdout.write(f"Cơ quan, đơn vị: {len(agencies)}.")
        accounts = demo.seed_accounts(agencies)
        report = demo.seed_procedures()
        self.stdout.write(
            f"Thủ tục mẫu: {report['created']} mới, {report['unchanged']} không đổi, "
            f"{report['drafted']} dự thảo mới."
        )
        for error in report["errors"]:
            self.stderr.write(error)
        from procedures.demo import seed_publication_tasks

        self.stdout.write(f"Nhiệm vụ công bố mẫu: {seed_publication_tasks()} mới.")
        from tthc_portal.signing.demo import seed_signing

        signing = seed_signing()
        self.stdout.write(f"Chữ ký số (CA demo): {signing['issued']} chứng thư mới cho cơ quan.")
        from dossiers.demo import seed_dossiers

        self.stdout.write(f"Hồ sơ mẫu: {seed_dossiers()} mới.")
        from feedback.demo import seed_feedback

        counts = seed_feedback()
        self.stdout.write(
            f"Đánh giá mẫu: {counts['ratings']} mới; phản ánh, kiến nghị mẫu: {counts['pakn']} mới."
        )
        from queueing.demo import seed_queueing

        queue = seed_queueing()
        self.stdout.write(
            f"Xếp hàng mẫu: {queue['counters']} quầy, {queue['slots']} khung giờ hẹn, "
            f"{queue['tickets']} số mới."
        )
        self.stdout.write(indicators_demo.seed_indicators())
        self.stdout.write(_seed_records())
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"Tài khoản demo (mật khẩu chung: {demo.DEMO_PASSWORD})")
        )
        from tthc_portal.accounts.second_factor.demo import demo_totp_secret

        for spec in accounts:
            role = spec.role.label if spec.role else "Công dân / doanh nghiệp"
            line = f"  {spec.username:<22} {role:<32} {spec.full_name}"
            if spec.role:
                line = f"{line:<82} TOTP: {demo_totp_secret(spec.username)}"
            self.stdout.write(line)
        self.stdout.write(
            "Cán bộ đăng nhập bằng mật khẩu, sau đó nhập mã 6 chữ số từ ứng dụng xác thực. "
            "Thêm mã bí mật TOTP ở trên (khóa theo thời gian, 6 chữ số, 30 giây) vào bất kỳ "
            "ứng dụng TOTP nào: Google Authenticator, Microsoft Authenticator, FreeOTP..."
        )


def _seed_records() -> str:
    """The two records roles for the demo: the provincial office reviews disposal
    lists, the Justice director approves them; one sample list and one hold."""
    from django.contrib.auth import get_user_model

    from records.demo import demo_disposal_rows
    from records.groups import ARCHIVE_HEAD, RECORDS_OFFICER, records_groups_sync

    groups = records_groups_sync()
    users = get_user_model().objects.in_bulk(["vanphong", "lanhdao.tuphap", "quantri"],
                                             field_name="username")  # fmt: skip
    if "vanphong" in users:
        users["vanphong"].groups.add(groups[RECORDS_OFFICER])
    if "lanhdao.tuphap" in users:
        users["lanhdao.tuphap"].groups.add(groups[ARCHIVE_HEAD])
    demo_disposal_rows(users.get("quantri"))
    return "Lưu trữ: vanphong rà soát, lanhdao.tuphap duyệt danh mục hủy hồ sơ."
