"""What refusing a dossier at reception sets off, read from the dossier now.

The desk's confirmation page ("Từ chối tiếp nhận") lists these lines before
the officer confirms; each one is a fact of this dossier (its contacts, its
open payments, its code, the configured national status and message
template), not a general claim.
"""

from __future__ import annotations

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from tthc_portal.notifications.models import MessageTemplate

from .models import Dossier, NationalStatusMap, PaymentStatus, Status
from .workflow import TRANSITIONS

# The message template ``notify_applicant`` uses for the "refuse" transition.
REFUSAL_TEMPLATE = "dossier.refuse"


def _vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def _notice_channels(dossier: Dossier) -> list[str]:
    """Where the citizen is told: the same rules as ``template_messages``
    (an e-mail when there is an address, an SMS when there is a phone number
    and the template has an SMS text), plus their own dossier page."""
    template = (
        MessageTemplate.objects.filter(key=REFUSAL_TEMPLATE, is_active=True)
        .values("sms_body")
        .first()
    )
    channels = []
    if template is not None and dossier.applicant_email:
        channels.append(_("thư điện tử tới %(email)s") % {"email": dossier.applicant_email})
    if template is not None and dossier.applicant_phone and template["sms_body"]:
        channels.append(_("tin nhắn SMS tới %(phone)s") % {"phone": dossier.applicant_phone})
    if dossier.applicant_id is not None:
        channels.append(_("trang “Hồ sơ của tôi” trên Cổng"))
    return channels


def _fee_lines(dossier: Dossier) -> list[str]:
    totals = dossier.payments.aggregate(
        open=Sum("amount_vnd", filter=Q(status=PaymentStatus.REQUESTED)),
        paid=Sum("amount_vnd", filter=Q(status=PaymentStatus.PAID)),
    )
    lines = []
    if totals["open"]:
        lines.append(
            _("Yêu cầu thanh toán %(amount)s đồng chưa nộp bị hủy; khoản nộp sau đó được hoàn lại.")
            % {"amount": _vnd(totals["open"])}
        )
    if totals["paid"]:
        # closing cancels only open requests: money already taken stays paid.
        lines.append(
            _(
                "Khoản %(amount)s đồng đã thu không tự động hoàn trả; việc hoàn trả (nếu có) làm "
                "ở trang thu phí, biên lai."
            )
            % {"amount": _vnd(totals["paid"])}
        )
    if not lines:
        lines.append(_("Không có khoản phí nào đang chờ thanh toán hoặc đã thu."))
    return lines


def _national_line(dossier: Dossier) -> str:
    """A code at this point means the dossier came from the national portal (a
    dossier registered here gets its code only when received); only those
    are known there (national-sync: a dossier ended before it had a code is
    never sent)."""
    if not dossier.code:
        return _(
            "Hồ sơ chưa có mã hồ sơ, chưa đăng ký trên Cổng Dịch vụ công quốc gia: không có trạng "
            "thái nào được gửi lên Cổng."
        )
    mapped = (
        NationalStatusMap.objects.filter(status=Status.REFUSED)
        .exclude(national_code="")
        .values_list("national_label", flat=True)
        .first()
    )
    if mapped is None:
        return _(
            "Trạng thái “Từ chối tiếp nhận” chưa được ánh xạ mã trạng thái quốc gia: Cổng Dịch vụ "
            "công quốc gia không nhận trạng thái mới của hồ sơ %(code)s."
        ) % {"code": dossier.code}
    return _(
        "Trạng thái “%(status)s” của hồ sơ %(code)s được đồng bộ lên Cổng Dịch vụ công quốc gia."
    ) % {"status": mapped or dict(Status.choices)[Status.REFUSED], "code": dossier.code}


def refusal_consequences(dossier: Dossier) -> list[str]:
    """The lines of the confirmation page, in the order they happen."""
    name = dossier.applicant_name.strip() or _("Người nộp hồ sơ")
    channels = _notice_channels(dossier)
    lines = [
        _(
            "Phiếu từ chối tiếp nhận giải quyết hồ sơ (mẫu 03) được lập kèm lý do bạn ghi; bản in "
            "có ở mục “Giấy tờ đã phát hành” của trang kiểm tra."
        )
    ]
    if channels:
        lines.append(
            _("%(name)s được thông báo việc từ chối qua: %(channels)s.")
            % {"name": name, "channels": ", ".join(channels)}
        )
    else:
        lines.append(
            _(
                "%(name)s không nhận thông báo tự động nào (thư điện tử, SMS hay tài khoản trên "
                "Cổng): hãy in phiếu và giao cho người nộp."
            )
            % {"name": name}
        )
    lines += _fee_lines(dossier)
    lines.append(_national_line(dossier))
    lines.append(
        _(
            "Hồ sơ chuyển sang trạng thái “%(status)s” và rời danh sách chờ tiếp nhận. Quyết định "
            "không thể hoàn tác: muốn được giải quyết, người nộp phải nộp hồ sơ mới."
        )
        % {"status": dict(Status.choices)[TRANSITIONS["refuse"].target]}
    )
    return lines


__all__ = ["REFUSAL_TEMPLATE", "refusal_consequences"]
