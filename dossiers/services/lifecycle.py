"""The one service through which a dossier changes state."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tthc_portal.agencies.selectors import agency_perms_held
from tthc_portal.audit.services import audit_record
from tthc_portal.lifecycle import ActorRefused, GuardFailed, StatusRefused
from tthc_portal.notifications.services import notify_from_template

from ..models import Dossier, Payment, StatusHistory
from ..signals import dossier_transitioned
from ..workflow import DOSSIER_LIFECYCLE, DossierChange
from . import DossierError

# Also connects the submission and payment confirmations (signal receivers).
from .applicant_notices import applicant_context
from .locking import dossier_lock

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
        agency_ids = [agency.pk]
    else:
        # Ids only: the processing unit's row need not be loaded (nor joined to the lock).
        agency_ids = [dossier.receiving_agency_id]
        if (
            dossier.processing_agency_id
            and dossier.processing_agency_id != dossier.receiving_agency_id
        ):
            agency_ids.append(dossier.processing_agency_id)
    # Guardian's tables read in one query (a reception used to spend 8
    # permission queries here, then 2 through guardian's checker).
    held = agency_perms_held(actor, agency_ids)
    capabilities |= {capability for capability, perm in AGENCY_CAPABILITIES.items()
                     if perm in held}  # fmt: skip
    return capabilities


# The rows read with the locked dossier: what the transitions' ``apply`` use.
LOCK_RELATED = ("receiving_agency", "processing_agency", "procedure_version__procedure")


def lock(dossier: Dossier | int, related: tuple[str, ...] = LOCK_RELATED) -> Dossier:
    """The dossier's row, locked, with ``related`` rows (the statement is
    compiled once per connection: ``locking``)."""
    pk = dossier.pk if isinstance(dossier, Dossier) else dossier
    return dossier_lock(pk, tuple(related))


def dossier_transition(
    *,
    actor,
    dossier: Dossier | int,
    action: str,
    note: str = "",
    apply: Callable[[Dossier], Iterable[str]] | None = None,
    at=None,
    agency=None,
    savepoint: bool = True,
    related: tuple[str, ...] = LOCK_RELATED,
) -> Dossier:
    """Lock, run the lifecycle (actor, status, apply, named effects, target),
    record history and audit, then the deferred effects, notify after commit.

    ``apply`` receives the locked dossier, changes it and returns the names of
    the fields it changed. It runs after the checks, inside the lock.
    ``agency`` narrows the permission check to one unit (a workflow step's).
    ``savepoint=False`` is for a caller whose own atomic block lets every error
    of the transition end it (``dossier_receive``): inside that block a savepoint
    would only add two statements to each call, since nobody rolls back to it.
    ``related``: the rows ``lock`` reads with the dossier (``LOCK_RELATED``).
    """
    with transaction.atomic(savepoint=savepoint):
        return _transition(
            actor=actor, dossier=dossier, action=action, note=note, apply=apply, at=at,
            agency=agency, related=related,
        )  # fmt: skip


def _transition(*, actor, dossier, action, note, apply, at, agency, related) -> Dossier:
    transition = DOSSIER_LIFECYCLE[action]  # an unknown action is a KeyError, as ever
    locked = lock(dossier, related)
    change = DossierChange(actor=actor, action=action, at=at or timezone.now())
    try:
        outcome = DOSSIER_LIFECYCLE.run(
            action,
            locked,
            change,
            capabilities=actor_capabilities(actor, locked, agency),
            apply=apply,
        )
    except ActorRefused:
        raise PermissionDenied(action) from None
    except StatusRefused:
        raise DossierError(
            _("Không thể “%(action)s”: hồ sơ đang ở trạng thái “%(status)s”.")
            % {"action": transition.label, "status": locked.get_status_display()}
        ) from None
    except GuardFailed as failure:
        raise DossierError(
            _("Không thể “%(action)s”: %(reason)s")
            % {"action": transition.label, "reason": failure.reason},
            failure.details,
        ) from None
    before = outcome.before
    fields = set(outcome.fields)
    locked.save(update_fields=[*sorted(fields), "updated_at"])
    history = StatusHistory.objects.create(
        dossier=locked,
        action=action,
        from_status=before,
        to_status=locked.status,
        actor=actor,
        at=change.at,
        note=note,
    )
    audit_record(
        actor=actor,
        action=f"dossier.{action}",
        target=locked,
        before={"status": before},
        after={"status": locked.status, "note": note, **{f: getattr(locked, f) for f in fields}},
    )
    # Effects that write other rows (cancelling open fees) run once the
    # dossier's own records are written: their audit rows follow the transition's.
    for deferred in change.after_save:
        deferred()
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
