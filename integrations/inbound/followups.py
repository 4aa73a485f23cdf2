"""Messages about a dossier already here: withdrawal (``RutHoSo``), supplement
(``BoSung``) and rating (``DanhGia``). ``ThanhToan`` is in ``payments``.

Each one claims its ``MaBanTin`` in the transaction of the change it makes, so a
concurrent twin rolls back; an action the dossier's state does not allow is refused
with the lifecycle's own message and the message is kept."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from dossiers.models import Dossier, Status
from dossiers.services import DossierError
from dossiers.services.closing import dossier_withdraw
from dossiers.services.lifecycle import lock
from dossiers.services.submission import dossier_resubmit, dossier_supplement

from .components import files_attach
from .envelope import (
    Inbound,
    InboundOutcome,
    MessageTaken,
    accepted,
    duplicate,
    message_claim,
    refused,
    taken,
)
from .files import file_items, files_collect, payload_without_files

SUPPLEMENT_STATES = (Status.AWAITING_SUPPLEMENT, Status.AWAITING_COMPLETION)


def dossier_of(msg: Inbound) -> Dossier | None:
    return Dossier.objects.filter(code=msg.code).first()


def not_found(msg: Inbound) -> InboundOutcome:
    return refused(msg, _("Không tìm thấy hồ sơ"))


def withdrawal_receive(msg: Inbound) -> InboundOutcome:
    dossier = dossier_of(msg)
    if dossier is None:
        return not_found(msg)
    if dossier.status == Status.WITHDRAWN:
        return duplicate(msg, dossier, _("Hồ sơ đã được rút trước đó."))
    reason = str(msg.data.get("LyDo") or "").strip()[:2000] or _(
        "Công dân yêu cầu rút hồ sơ trên Cổng Dịch vụ công quốc gia."
    )
    try:
        with transaction.atomic():
            row = message_claim(msg, dossier=dossier)
            channel = str(_("Cổng DVCQG"))
            dossier_withdraw(actor=None, dossier=dossier, reason=reason, channel=channel)
    except MessageTaken:
        return taken()
    except DossierError as exc:
        return refused(msg, exc.message, dossier=dossier)
    return accepted(row)


def supplement_receive(msg: Inbound) -> InboundOutcome:
    """Attach the citizen's files; a dossier waiting for them goes back to the desk
    (before receipt) or to processing (clock resumes)."""
    dossier = dossier_of(msg)
    if dossier is None:
        return not_found(msg)
    if dossier.status not in SUPPLEMENT_STATES:
        return refused(
            msg,
            _("Hồ sơ đang ở trạng thái “%(s)s”, không chờ bổ sung.")
            % {"s": dossier.get_status_display()},
            dossier=dossier,
        )
    files = files_collect(msg, file_items(msg.data))  # FileDeferred: offered again later
    problems = [item.problem() for item in files if not item.ok]
    if files and not any(item.ok for item in files):
        payload, _released = payload_without_files(msg, files, attached=set())
        text = _("Không có tệp bổ sung hợp lệ: %(r)s") % {
            "r": " ".join(item.reason for item in files)
        }
        return refused(msg, text, dossier=dossier, payload=payload)
    attached = {item.index for item in files if item.ok}
    payload, _released = payload_without_files(msg, files, attached=attached)
    try:
        with transaction.atomic():
            row = message_claim(msg, dossier=dossier, payload=payload)
            locked = lock(dossier)
            files_attach(locked, files)
            if problems:
                locked.form_data = {
                    **locked.form_data,
                    "inbound_problems": [*locked.form_data.get("inbound_problems", []), *problems],
                }
                locked.save(update_fields=["form_data", "updated_at"])
            if locked.status == Status.AWAITING_SUPPLEMENT:
                dossier_supplement(actor=None, dossier=locked)
            else:
                dossier_resubmit(actor=None, dossier=locked)
            row.problems = problems
            row.save(update_fields=["problems"])
    except MessageTaken:
        return taken()
    except DossierError as exc:
        # e.g. still incomplete before receipt: nothing changes, the reason is kept.
        text = " ".join([exc.message, *exc.errors])
        payload, _released = payload_without_files(msg, files, attached=set())
        return refused(msg, text, dossier=dossier, payload=payload)
    return accepted(row)


def rating_receive(msg: Inbound) -> InboundOutcome:
    """Kept as the message only: feedback's ``rating_submit`` takes a full sheet from a
    user (a DVCQG sheet needs an officer), not a like/dislike from the system."""
    level = str(msg.data.get("MucDo") or "").strip()
    if level not in ("1", "2"):
        return refused(msg, _("MucDo phải là 1 (hài lòng) hoặc 2 (không hài lòng)."))
    dossier = dossier_of(msg)
    if dossier is None:
        return not_found(msg)
    try:
        with transaction.atomic():
            row = message_claim(msg, dossier=dossier)
    except MessageTaken:
        return taken()
    return accepted(row)
