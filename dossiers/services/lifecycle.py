"""The one service through which a dossier changes state."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tthc_portal.agencies.selectors import agency_perms_held
from tthc_portal.audit.services import audit_record
from tthc_portal.notifications.services import notify_from_template

from ..models import CLOSED_WITHOUT_RESULT, Dossier, Payment, StatusHistory
from ..signals import dossier_transitioned
from ..workflow import TRANSITIONS
from . import DossierError

# Also connects the submission and payment confirmations (signal receivers).
from .applicant_notices import applicant_context

# Capability → guardian permission on the dossier's receiving agency.
AGENCY_CAPABILITIES = {
    "desk": "receive_dossiers",
    "specialist": "process_dossiers",
    "assigner": "assign_dossiers",
    "head": "approve_dossiers",
}


def actor_capabilities(actor, dossier: Dossier, agency=None) -> set[str]:
    """What ``actor`` may do on ``dossier``: staff capabilities come from their
    groups on the agency concerned — the step's unit when given, otherwise the
    receiving and the resolving agency."""
    if actor is None:
        return {"system"}
    capabilities = set()
    if dossier.applicant_id is not None and dossier.applicant_id == actor.pk:
        capabilities.add("applicant")
    if agency is not None:
        agencies = [agency]
    else:
        agencies = [dossier.receiving_agency]
        if (
            dossier.processing_agency_id
            and dossier.processing_agency_id != dossier.receiving_agency_id
        ):
            agencies.append(dossier.processing_agency)
    # Guardian's tables read in one query (a reception used to spend 8
    # permission queries here, then 2 through guardian's checker).
    held = agency_perms_held(actor, [unit.pk for unit in agencies])
    capabilities |= {capability for capability, perm in AGENCY_CAPABILITIES.items()
                     if perm in held}  # fmt: skip
    return capabilities


def lock(dossier: Dossier | int) -> Dossier:
    pk = dossier.pk if isinstance(dossier, Dossier) else dossier
    return (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("receiving_agency", "processing_agency", "procedure_version__procedure")
        .get(pk=pk)
    )


@transaction.atomic
def dossier_transition(
    *,
    actor,
    dossier: Dossier | int,
    action: str,
    note: str = "",
    apply: Callable[[Dossier], Iterable[str]] | None = None,
    at=None,
    agency=None,
) -> Dossier:
    """Lock, check the table, apply, record history and audit, notify after commit.

    ``apply`` receives the locked dossier, changes it and returns the names of
    the fields it changed. It runs after the checks, inside the lock.
    ``agency`` narrows the permission check to one unit (a workflow step's).
    """
    transition = TRANSITIONS[action]
    locked = lock(dossier)
    if not actor_capabilities(actor, locked, agency) & transition.actors:
        raise PermissionDenied(action)
    if locked.status not in transition.sources:
        raise DossierError(
            _("Không thể “%(action)s”: hồ sơ đang ở trạng thái “%(status)s”.")
            % {"action": transition.label, "status": locked.get_status_display()}
        )
    before = locked.status
    fields = set(apply(locked) or ()) if apply else set()
    if transition.target is not None:
        locked.status = transition.target
        fields.add("status")
    locked.save(update_fields=[*sorted(fields), "updated_at"])
    when = at or timezone.now()
    history = StatusHistory.objects.create(
        dossier=locked,
        action=action,
        from_status=before,
        to_status=locked.status,
        actor=actor,
        at=when,
        note=note,
    )
    audit_record(
        actor=actor,
        action=f"dossier.{action}",
        target=locked,
        before={"status": before},
        after={"status": locked.status, "note": note, **{f: getattr(locked, f) for f in fields}},
    )
    if locked.status in CLOSED_WITHOUT_RESULT and before not in CLOSED_WITHOUT_RESULT:
        # A withdrawn, refused, stopped or ineligible dossier owes nothing more.
        from .payments import payments_cancel_open

        payments_cancel_open(locked, actor=actor, reason=action)
    if transition.notify_applicant:
        notify_applicant(locked, action, event=f"h{history.pk}")
    # Other apps react in this transaction (national sync rows, the rating
    # invitation on return): dossiers imports none of them.
    dossier_transitioned.send(
        sender=Dossier, dossier=locked, history=history, action=action, before=before
    )
    return locked


def notify_applicant(
    dossier: Dossier, action: str, *, event: str = "", payment: Payment | None = None
) -> None:
    """Queue the ``dossier.<action>`` message to the applicant (e-mail and SMS).

    ``event`` tells this message from earlier ones of the same action (a
    transition passes its history row); by default the history's length. The
    context (code, procedure, link, missing items, …) is ``applicant_context``."""
    notify_from_template(
        f"dossier.{action}",
        applicant_context(dossier, action, payment=payment),
        email=dossier.applicant_email,
        phone=dossier.applicant_phone,
        dedupe_key=f"dossier:{dossier.pk}:{action}:{event or dossier.history.count()}",
        topic=f"dossiers.dossier:{dossier.pk}",
    )
