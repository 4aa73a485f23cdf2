"""Reads for the processing pages: one dossier as a staff member sees it, the
actions this person may take on its current step, the desk's results to hand
over, and the signed result with its verification.

The services enforce every rule again; these reads only decide what a page
offers, so nobody is shown a button that can only fail.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from guardian.core import ObjectPermissionChecker

from procedures.models import WorkflowStep
from tthc_portal.accounts.roles import Role
from tthc_portal.agencies.models import Agency
from tthc_portal.agencies.selectors import agencies_for_user

from .models import (
    OPEN_STATUSES,
    Apology,
    DocumentKind,
    Dossier,
    DossierComponent,
    DossierDocument,
    DossierStep,
    Status,
    StepKind,
    SupplementRequest,
    SupplementState,
)
from .selectors import dossier_access, dossiers_visible_to
from .services.apology import apology_allowed
from .services.processing import approval_step_id, assignable_staff
from .services.results import result_draft, signed_result
from .services.steps import may_hold, split_workflow, step_agency, workflow_of
from .workflow import TRANSITIONS

DESK_PERM = "receive_dossiers"
# Where a citizen may still ask to withdraw (no decision or result yet): the
# lifecycle table's sources of "withdraw", in the status order.
WITHDRAWABLE = tuple(
    status for status in Status.values if status in TRANSITIONS["withdraw"].sources
)
CONSULT_ANSWER_STATUSES = (Status.IN_PROCESSING, Status.AWAITING_SUPPLEMENT)


def staff_agencies(user) -> QuerySet[Agency]:
    """Units whose records the user works on (the worklist's agency filter)."""
    return agencies_for_user(user, "view_agency_records").order_by("name", "pk")


def staff_dossier(user, pk: int) -> Dossier:
    """One dossier for the processing page; ``DoesNotExist`` (→ 404) otherwise.

    Staff see their agencies' dossiers and, while their unit's opinion is
    awaited, the specialists and heads of a consulted unit (``handled`` is
    then False: they read and answer, nothing else). The user's own
    applications are excluded: nobody processes their own dossier, and a
    citizen never reaches this page.
    """
    return (
        dossier_access(dossiers_visible_to(user), user)
        .exclude(applicant=user)
        .select_related(
            "processing_agency",
            "applicant",
            "result_signed_by",
            "current_step__agency",
            "current_step__assignee",
        )
        .prefetch_related(
            Prefetch(
                "components",
                queryset=DossierComponent.objects.select_related("requirement").order_by(
                    "requirement__order", "pk"
                ),
            ),
            Prefetch("documents", queryset=DossierDocument.objects.order_by("created_at", "pk")),
            Prefetch(
                "supplement_requests",
                queryset=SupplementRequest.objects.select_related(
                    "drafted_by", "requested_by"
                ).order_by("pk"),
            ),
        )
        .get(pk=pk)
    )


def dossier_light(dossier: Dossier, now: datetime | None = None) -> str:
    """The dossier's own traffic light (same rule as the worklist's step lights)."""
    if dossier.status == Status.AWAITING_SUPPLEMENT:
        return "paused"
    if dossier.status not in OPEN_STATUSES or dossier.due_at is None:
        return "none"
    now = now or timezone.now()
    if dossier.due_at <= now:
        return "overdue"
    if dossier.due_soon or (dossier.due_soon_at is not None and dossier.due_soon_at <= now):
        return "due_soon"
    return "in_time"


def dossier_apology(dossier: Dossier) -> Apology | None:
    if not dossier.apology_issued:
        return None
    return Apology.objects.filter(dossier=dossier).select_related("agency", "issued_by").first()


@dataclass
class Casework:
    """What one user may do on one dossier now."""

    step: DossierStep | None
    # False for a consulted unit's specialist or head: read and answer only.
    handled: bool = True
    can_print_control_sheet: bool = False
    holder: bool = False
    head: bool = False
    desk: bool = False
    can_assign: bool = False
    assignable: list = field(default_factory=list)
    can_complete: bool = False
    can_send_back: bool = False
    next_step: WorkflowStep | None = None
    next_assignable: list = field(default_factory=list)
    back_targets: list[WorkflowStep] = field(default_factory=list)
    can_consult: bool = False
    consultations: list[DossierStep] = field(default_factory=list)
    answerable: list[DossierStep] = field(default_factory=list)
    can_draft_supplement: bool = False
    supplement_draft: SupplementRequest | None = None
    can_sign_supplement: bool = False
    can_reject: bool = False
    can_draft_result: bool = False
    result_draft: DossierDocument | None = None
    at_approval: bool = False
    can_approve: bool = False
    can_apologise: bool = False
    apology_problem: str = ""
    can_stop: bool = False
    can_return: bool = False

    @property
    def any_action(self) -> bool:
        return any(
            (
                self.can_assign, self.can_complete, self.can_send_back, self.can_consult,
                bool(self.answerable), self.can_draft_supplement, self.can_sign_supplement,
                self.can_reject, self.can_draft_result, self.can_approve, self.can_apologise,
                self.can_stop, self.can_return,
            )
        )  # fmt: skip


class _Perms:
    """One guardian checker for the page: each agency's permissions are read once."""

    def __init__(self, user) -> None:
        self.checker = ObjectPermissionChecker(user)

    def has(self, perm: str, agency: Agency | None) -> bool:
        return agency is not None and self.checker.has_perm(perm, agency)

    def any(self, perm: str, agencies) -> bool:
        return any(self.has(perm, agency) for agency in agencies)


def _dossier_agencies(dossier: Dossier) -> list[Agency]:
    agencies = [dossier.receiving_agency]
    if dossier.processing_agency_id and dossier.processing_agency_id != dossier.receiving_agency_id:
        agencies.append(dossier.processing_agency)
    return agencies


def _assignable_for(dossier: Dossier, workflow_step: WorkflowStep) -> list:
    """Staff who may hold a step not opened yet (same rule as ``assignable_staff``)."""
    role = workflow_step.actor_role
    probe = DossierStep(role=role, agency=step_agency(dossier, workflow_step, role))
    return list(assignable_staff(probe))


def _processing_agencies(dossier: Dossier, step: DossierStep | None) -> list[Agency]:
    """Where the processing capability counts on this dossier: the receiving and
    resolving units, and the unit of its current workflow step."""
    agencies = _dossier_agencies(dossier)
    if step is not None and step.kind == StepKind.WORKFLOW and step.agency not in agencies:
        agencies.append(step.agency)
    return agencies


def may_print_control_sheet(user, dossier: Dossier) -> bool:
    """Form 06 is the handling agency's record: its processing staff print it,
    never a consulted unit (``dossier.handled`` from ``staff_dossier``)."""
    if not getattr(dossier, "handled", True):
        return False
    step = dossier.current_step if dossier.current_step_id else None
    return _Perms(user).any("process_dossiers", _processing_agencies(dossier, step))


def casework_for(user, dossier: Dossier) -> Casework:
    perms = _Perms(user)
    agencies = _dossier_agencies(dossier)
    open_steps = list(
        dossier.steps.filter(completed_at__isnull=True)
        .select_related("agency", "assignee", "workflow_step", "handed_over_by")
        .order_by("started_at", "pk")
    )
    step = next((s for s in open_steps if s.kind != StepKind.CONSULT), None)
    work = Casework(step=step, handled=getattr(dossier, "handled", True))
    work.consultations = [s for s in open_steps if s.kind == StepKind.CONSULT]
    if dossier.status in CONSULT_ANSWER_STATUSES:
        work.answerable = [s for s in work.consultations if may_hold(user, s, perms.has)]
    if not work.handled:
        # A consulted unit reads the dossier to answer its own question; every
        # other action belongs to the handling agency (issue 18 item 7).
        work.consultations = [
            s for s in work.consultations if perms.has("process_dossiers", s.agency)
        ]
        return work
    work.can_print_control_sheet = perms.any(
        "process_dossiers", _processing_agencies(dossier, step)
    )
    work.head = perms.any("approve_dossiers", agencies)
    work.desk = perms.any(DESK_PERM, agencies)
    work.supplement_draft = next(
        (r for r in dossier.supplement_requests.all() if r.state == SupplementState.DRAFT), None
    )
    processing = dossier.status == Status.IN_PROCESSING
    open_case = dossier.status in (Status.IN_PROCESSING, Status.AWAITING_SUPPLEMENT)
    work.can_reject = processing and work.head
    work.can_stop = open_case and work.head
    work.can_sign_supplement = processing and work.head and work.supplement_draft is not None
    if open_case:
        resolving = dossier.processing_agency or dossier.receiving_agency
        work.can_apologise = perms.has("approve_dossiers", resolving)
        if work.can_apologise:
            work.apology_problem = apology_allowed(dossier)
    if step is None:
        return work
    if step.kind == StepKind.RETURN:
        work.can_return = dossier.status == Status.RESULT_READY and perms.has(
            DESK_PERM, step.agency
        )
        return work
    if not processing:
        return work
    work.holder = may_hold(user, step, perms.has)
    if perms.has("assign_dossiers", step.agency):
        work.assignable = list(assignable_staff(step))
        work.can_assign = bool(work.assignable)
    _reception, middle, _back = split_workflow(workflow_of(dossier))
    approval = approval_step_id(dossier)
    work.at_approval = approval is None or step.workflow_step_id == approval
    work.result_draft = result_draft(dossier)
    work.can_approve = work.head and work.at_approval
    # Where the step may go next, whoever asks (a POST is checked against the
    # same choices; the service then decides who may do it).
    after = step.order if step.workflow_step_id else -1
    work.next_step = next((s for s in middle if s.order > after), None)
    at_fixed_approval = approval is not None and step.workflow_step_id == approval
    if work.next_step is not None and work.next_step.actor_role == Role.SPECIALIST:
        work.next_assignable = _assignable_for(dossier, work.next_step)
    if step.workflow_step_id:
        work.back_targets = [s for s in middle if s.order < step.order]
    if step.kind == StepKind.WORKFLOW:
        work.can_complete = work.holder and work.next_step is not None and not at_fixed_approval
        work.can_send_back = work.holder and bool(work.back_targets)
        work.can_consult = work.holder
    unassigned_staff = step.assignee_id is None and perms.any("process_dossiers", agencies)
    work.can_draft_supplement = work.supplement_draft is None and (work.holder or unassigned_staff)
    work.can_draft_result = work.holder
    return work


def consult_agencies(step: DossierStep | None) -> QuerySet[Agency]:
    """Any other active unit may be asked for its opinion."""
    agencies = Agency.objects.filter(is_active=True).order_by("path", "pk")
    if step is not None:
        agencies = agencies.exclude(pk=step.agency_id)
    return agencies


# --- the desk: results to hand over ---------------------------------------------------


def desk_returns(user) -> QuerySet[DossierStep]:
    """Open return steps at the user's desks, oldest result first."""
    return (
        DossierStep.objects.filter(
            kind=StepKind.RETURN,
            completed_at__isnull=True,
            agency__in=agencies_for_user(user, DESK_PERM),
            dossier__status=Status.RESULT_READY,
        )
        .select_related(
            "dossier__procedure_version__procedure", "dossier__result_signed_by", "agency"
        )
        .order_by("started_at", "pk")
    )


def desk_return_dossier(user, pk: int) -> Dossier:
    """A dossier of the user's desks (received or resolved there)."""
    agencies = agencies_for_user(user, DESK_PERM)
    return (
        Dossier.objects.select_related(
            "procedure_version__procedure", "receiving_agency", "processing_agency"
        )
        .filter(Q(receiving_agency__in=agencies) | Q(processing_agency__in=agencies))
        .get(pk=pk)
    )


# --- the signed result ------------------------------------------------------------------


@dataclass(frozen=True)
class SignedResult:
    document: DossierDocument
    report: object | None  # tthc_portal.signing SignatureReport
    unreadable: bool = False


def signed_result_report(dossier: Dossier) -> SignedResult | None:
    """The signed e-result and what its signature check says, read from the file."""
    document = signed_result(dossier)
    if document is None or not document.file:
        return None
    from .services.results import result_verify

    try:
        report = result_verify(document)
    except OSError:
        return SignedResult(document=document, report=None, unreadable=True)
    return SignedResult(document=document, report=report)


def stop_notice(dossier: Dossier) -> DossierDocument | None:
    return dossier.documents.filter(kind=DocumentKind.STOP_NOTICE).order_by("-pk").first()


__all__ = [
    "WITHDRAWABLE",
    "Casework",
    "SignedResult",
    "casework_for",
    "consult_agencies",
    "desk_return_dossier",
    "desk_returns",
    "dossier_apology",
    "dossier_light",
    "may_print_control_sheet",
    "signed_result_report",
    "staff_agencies",
    "staff_dossier",
    "stop_notice",
]
