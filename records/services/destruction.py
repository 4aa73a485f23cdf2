"""After approval only: destroy the dossiers' files and reduce each dossier to the
minimal record kept for statistics.

What stays on the dossier row is what the registers and the Decision 766 engine
read (code, procedure version, agencies, channel, status, every date and deadline,
flags, counts, result code); the applicant's and representative's personal
fields, the declaration and the request are blanked. File rows stay (the engine
counts "a component file was attached", "an e-result was issued", "pushed to the
personal store") but their stored files are deleted through the storage API and
their names point at a tombstone, so a past period's figures do not move.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import QuerySet
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.models import (
    DocumentKind,
    Dossier,
    DossierComponent,
    DossierDocument,
    PersonalDocument,
)
from tthc_portal.audit.services import audit_record

from ..models import DisposalHistory, DisposalItem, DisposalList, DisposedDossier, ListStatus
from ..workflow import DISPOSAL_LIFECYCLE, SYSTEM, DisposalChange
from .retention import protected_filter

logger = logging.getLogger(__name__)

# Stored in place of a destroyed file's name: non-empty, so "a file was attached"
# stays true for the statistics, and pointing at nothing in the storage.
TOMBSTONE = "records/destroyed"

# The personal part of a dossier (dossiers.models.Dossier "who"); the search keys
# follow by the database triggers on these columns.
PERSONAL_BLANKS = {
    "applicant_name": "",
    "applicant_id_number": "",
    "applicant_phone": "",
    "applicant_email": "",
    "applicant_address": "",
    "representative_name": "",
    "representative_id_number": "",
    "representative_address": "",
    "representative_email": "",
    "representative_phone": "",
    "representative_authorisation": "",
    "request_content": "",
    "form_data": {},
    "returned_to": "",
    "applicant": None,
}


def _delete_files(rows: QuerySet, field: str = "file") -> int:
    """Delete each stored file (``FieldFile.delete``); idempotent on a re-run."""
    deleted = 0
    for row in rows.exclude(**{field: ""}).exclude(**{field: TOMBSTONE}).iterator():
        stored: FieldFile = getattr(row, field)
        stored.delete(save=False)
        deleted += 1
    return deleted


def _protected_ids(dossier_ids: list[int]) -> set[int]:
    return set(
        Dossier.objects.filter(pk__in=dossier_ids)
        .filter(protected_filter())
        .values_list("pk", flat=True)
    )


def disposal_execute(list_id: int) -> DisposalList:
    """Destroy an approved list. Anything else is refused: nothing without approval."""
    disposal_list = DisposalList.objects.get(pk=list_id)
    if disposal_list.status == ListStatus.DESTROYED:
        return disposal_list
    if disposal_list.status != ListStatus.APPROVED or disposal_list.approved_by_id is None:
        from . import RecordsError

        raise RecordsError(_("Danh mục chưa được phê duyệt: không được hủy hồ sơ."))
    items = list(
        disposal_list.items.filter(removed=False, skipped_reason="")
        .exclude(dossier__disposal__isnull=False)
        .select_related("dossier")
    )
    # A hold placed or a complaint received after approval still wins.
    protected = _protected_ids([item.dossier_id for item in items])
    if protected:
        DisposalItem.objects.filter(disposal_list=disposal_list, dossier_id__in=protected).update(
            skipped_reason=_("Đang bị giữ hoặc có phản ánh, kiến nghị khi thực hiện hủy")
        )
    items = [item for item in items if item.dossier_id not in protected]
    ids = [item.dossier_id for item in items]
    kept = {item.dossier_id for item in items if item.keep_result}

    documents = DossierDocument.objects.filter(dossier_id__in=ids).exclude(
        kind=DocumentKind.RESULT, dossier_id__in=kept
    )
    components = DossierComponent.objects.filter(dossier_id__in=ids)
    personal = PersonalDocument.objects.filter(source_dossier_id__in=ids).exclude(
        is_result=True, source_dossier_id__in=kept
    )
    # Files first: if the database part fails the list stays approved and the
    # re-run finds the rows again (deleting a missing file is a no-op).
    counts: dict[int, int] = {}
    for queryset, key in ((components, "dossier_id"), (documents, "dossier_id"),
                          (personal, "source_dossier_id")):  # fmt: skip
        live = queryset.exclude(file="").exclude(file=TOMBSTONE)
        for dossier_id in live.values_list(key, flat=True):
            counts[dossier_id] = counts.get(dossier_id, 0) + 1
        _delete_files(queryset)

    now = timezone.now()
    with transaction.atomic():
        locked = DisposalList.objects.select_for_update().get(pk=list_id)
        if locked.status != ListStatus.APPROVED:
            return locked
        components.exclude(file="").update(file=TOMBSTONE, original_filename="")
        documents.exclude(file="").update(file=TOMBSTONE, content="")
        personal.exclude(file="").update(file=TOMBSTONE)
        Dossier.objects.filter(pk__in=ids).update(**PERSONAL_BLANKS)
        DisposedDossier.objects.bulk_create(
            [
                DisposedDossier(
                    dossier_id=pk,
                    disposal_list=locked,
                    disposed_at=now,
                    files_destroyed=counts.get(pk, 0),
                    result_kept=pk in kept,
                )
                for pk in ids
            ]
        )
        for item in items:
            audit_record(
                actor=None,
                action="records.dossier_disposed",
                target=item.dossier,
                after={"list": locked.pk, "files": counts.get(item.dossier_id, 0),
                       "result_kept": item.dossier_id in kept},
            )  # fmt: skip
        # The table's "destroy" row (system only) sets the status and stamps the time.
        outcome = DISPOSAL_LIFECYCLE.run(
            "destroy", locked, DisposalChange(actor=None, now=now), capabilities={SYSTEM}
        )
        locked.save(update_fields=list(outcome.fields))
        DisposalHistory.objects.create(
            disposal_list=locked,
            action="destroy",
            from_status=outcome.before,
            to_status=outcome.after,
            at=now,
            note=_("Đã hủy %(n)s hồ sơ, bỏ qua %(skipped)s hồ sơ")
            % {"n": len(ids), "skipped": len(protected)},
        )
        audit_record(
            actor=None,
            action="records.list_destroy",
            target=locked,
            before={"status": ListStatus.APPROVED},
            after={"status": ListStatus.DESTROYED, "dossiers": len(ids),
                   "skipped": sorted(protected)},
        )  # fmt: skip
        from .papers import papers_render

        papers_render(locked, ["record"])
    return locked


def disposal_execute_due() -> int:
    """Approved lists not destroyed yet (a lost task): run them again."""
    done = 0
    for pk in DisposalList.objects.filter(status=ListStatus.APPROVED).values_list("pk", flat=True):
        try:
            disposal_execute(pk)
            done += 1
        except Exception:
            logger.exception("disposal of list %s failed; retried by the next sweep", pk)
    return done
