"""Bulk actions at the one-stop desk (issue #19 item 3).

An officer who handles many dossiers alike selects them on the queue or the
returns page and applies one action to all. Nothing here changes a dossier
itself: each selected dossier goes through the same single-dossier service the
dossier's own page calls (so it still gets its own history row, audit event,
notification and sync event), inside its own savepoint, and a failure is
recorded with its reason while the others stay done.

Which actions are offered is read from the lifecycle table
(``dossiers.workflow.TRANSITIONS``), the source the single-dossier pages use.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import DocumentKind, Dossier, DossierDocument, RenderStatus, Status
from ..selectors_bulk import desk_bulk_dossiers
from ..workflow import TRANSITIONS
from . import DossierError
from .closing import RETURN_METHODS, dossier_return
from .processing import dossier_transfer
from .reception import dossier_receive

logger = logging.getLogger(__name__)

# The officer may pick a method for the whole batch, or keep each dossier's own
# choice made at submission ("registered").
RETURN_REGISTERED = "registered"
PRINT_RECEIPTS = "print_receipts"


@dataclass(frozen=True)
class BulkAction:
    name: str
    label: Promise
    # The lifecycle action it performs; None for a read (printing).
    transition: str | None
    # A narrower set of source statuses than the table's, for the batch only.
    only_from: frozenset[str] | None = None


BULK_ACTIONS: dict[str, BulkAction] = {
    # In bulk only dossiers waiting for the desk: a counter draft (also
    # receivable by the table) is being entered with the applicant present.
    "receive": BulkAction(
        "receive",
        gettext_lazy("Tiếp nhận các hồ sơ đã chọn"),
        "receive",
        frozenset({Status.SUBMITTED}),
    ),
    "transfer": BulkAction("transfer", gettext_lazy("Chuyển xử lý các hồ sơ đã chọn"), "transfer"),
    "return_result": BulkAction(
        "return_result", gettext_lazy("Trả kết quả các hồ sơ đã chọn"), "return_result"
    ),
    PRINT_RECEIPTS: BulkAction(
        PRINT_RECEIPTS, gettext_lazy("In phiếu tiếp nhận (một tệp PDF)"), None
    ),
}


def bulk_action_valid(action: BulkAction, dossier: Dossier) -> bool:
    """Whether ``action`` applies to ``dossier`` now, by the lifecycle table."""
    if action.transition is None:
        # Form 01 is issued at receipt: every received dossier has one.
        return dossier.received_at is not None
    transition = TRANSITIONS[action.transition]
    sources = transition.sources & action.only_from if action.only_from else transition.sources
    return "desk" in transition.actors and dossier.status in sources


def bulk_actions_offered(dossiers: Sequence[Dossier]) -> list[BulkAction]:
    """The actions valid for every selected dossier (none for an empty selection)."""
    if not dossiers:
        return []
    return [
        action
        for action in BULK_ACTIONS.values()
        if all(bulk_action_valid(action, dossier) for dossier in dossiers)
    ]


@dataclass(frozen=True)
class BulkItem:
    pk: int | None
    label: str  # the dossier code, or a reference when it has none (yet)
    message: str = ""


@dataclass
class BulkResult:
    action: str
    done: list[BulkItem] = field(default_factory=list)
    failed: list[BulkItem] = field(default_factory=list)

    def as_dict(self) -> dict:
        """For the session (the result page after the redirect)."""
        return {
            "action": self.action,
            "done": [[i.pk, i.label, i.message] for i in self.done],
            "failed": [[i.pk, i.label, i.message] for i in self.failed],
        }

    @classmethod
    def from_dict(cls, data: dict) -> BulkResult:
        return cls(
            action=data["action"],
            done=[BulkItem(*row) for row in data["done"]],
            failed=[BulkItem(*row) for row in data["failed"]],
        )


def dossier_label(dossier: Dossier) -> str:
    return dossier.code or f"HS{dossier.pk}"


# --- one dossier, through its own service -----------------------------------------------


def _receive(actor, dossier: Dossier, **_params) -> str:
    dossier = dossier_receive(actor=actor, dossier=dossier)
    return dossier.code


def _transfer(actor, dossier: Dossier, **_params) -> str:
    dossier = dossier_transfer(actor=actor, dossier=dossier)
    return dossier.code


def _return(actor, dossier: Dossier, *, method: str = RETURN_REGISTERED, note: str = "") -> str:
    if method == RETURN_REGISTERED:
        method = dossier.result_delivery or "desk"
    # At the desk each result goes to its own applicant (or representative).
    returned_to = dossier.representative_name or dossier.applicant_name
    dossier = dossier_return(
        actor=actor, dossier=dossier, method=method, returned_to=returned_to, note=note
    )
    return dossier.code


def _receipt_ready(actor, dossier: Dossier, **_params) -> str:
    if dossier.received_at is None:
        raise DossierError(_("Hồ sơ chưa được tiếp nhận nên chưa có phiếu tiếp nhận."))
    if not _latest_receipts([dossier.pk]).get(dossier.pk):
        raise DossierError(_("Phiếu tiếp nhận đang được tạo; hãy thử in lại sau ít phút."))
    return dossier.code


RUNNERS: dict[str, Callable[..., str]] = {
    "receive": _receive,
    "transfer": _transfer,
    "return_result": _return,
    PRINT_RECEIPTS: _receipt_ready,
}


def _clean_params(action: str, params: dict) -> dict:
    if action != "return_result":
        return {}
    method = params.get("method") or RETURN_REGISTERED
    if method != RETURN_REGISTERED and method not in RETURN_METHODS:
        raise DossierError(_("Hình thức trả kết quả không hợp lệ."))
    return {"method": method, "note": (params.get("note") or "").strip()}


def dossiers_bulk_apply(actor, dossier_ids: Iterable[int], action: str, **params) -> BulkResult:
    """Apply ``action`` to each selected dossier in its own savepoint.

    A dossier outside the officer's desks is reported "not found" (as its page
    would answer 404); one the action does not fit is reported with the
    service's reason; the others are done and stay done.
    """
    if action not in BULK_ACTIONS:
        raise DossierError(_("Thao tác hàng loạt không hợp lệ."))
    run = RUNNERS[action]
    cleaned = _clean_params(action, params)
    ids = list(dict.fromkeys(int(pk) for pk in dossier_ids))
    found = desk_bulk_dossiers(actor, ids)
    result = BulkResult(action=action)
    for pk in ids:
        dossier = found.get(pk)
        if dossier is None:
            result.failed.append(BulkItem(pk, f"#{pk}", _not_found()))
            continue
        label = dossier_label(dossier)
        try:
            with transaction.atomic():
                code = run(actor, dossier, **cleaned)
        except DossierError as error:
            reason = " ".join([error.message, *[str(e) for e in error.errors]])
            result.failed.append(BulkItem(pk, label, reason))
        except PermissionDenied:
            # The table's actor check: for this officer the action does not exist.
            result.failed.append(BulkItem(pk, label, _not_found()))
        except ValidationError as error:
            result.failed.append(BulkItem(pk, label, " ".join(error.messages)))
        except Exception:
            # One broken dossier must not undo or block the others; it is logged
            # in full for the administrators.
            logger.exception("Bulk %s failed on dossier %s", action, pk)
            result.failed.append(
                BulkItem(pk, label, _("Lỗi hệ thống; hồ sơ chưa được xử lý, hãy thử lại."))
            )
        else:
            result.done.append(BulkItem(pk, code or label))
    return result


def _not_found() -> str:
    return _("Không tìm thấy hồ sơ tại Bộ phận Một cửa của bạn.")


# --- printing ---------------------------------------------------------------------------


def _latest_receipts(dossier_ids: Sequence[int]) -> dict[int, DossierDocument]:
    """The newest rendered form 01 of each dossier (one query)."""
    documents = DossierDocument.objects.filter(
        dossier_id__in=dossier_ids, kind=DocumentKind.RECEIPT, status=RenderStatus.READY
    ).exclude(file="")
    latest: dict[int, DossierDocument] = {}
    for document in documents.order_by("dossier_id", "created_at", "pk"):
        latest[document.dossier_id] = document
    return latest


def receipts_merge(actor, dossier_ids: Sequence[int]) -> tuple[bytes, list[int]]:
    """One PDF of the selected dossiers' receipts, in the order selected.

    The per-dossier papers are reused as rendered (no second rendering).
    Returns the PDF and the dossiers it holds; dossiers outside the officer's
    desks or without a ready receipt are left out (the result page said why).
    """
    from pypdf import PdfWriter

    ids = list(dict.fromkeys(int(pk) for pk in dossier_ids))
    found = desk_bulk_dossiers(actor, ids)
    in_scope = [pk for pk in ids if pk in found]
    receipts = _latest_receipts(in_scope)
    writer = PdfWriter()
    included = []
    for pk in in_scope:
        document = receipts.get(pk)
        if document is None:
            continue
        with document.file.open("rb") as handle:
            writer.append(io.BytesIO(handle.read()))
        included.append(pk)
    if not included:
        raise DossierError(_("Không có phiếu tiếp nhận nào sẵn sàng để in."))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), included
