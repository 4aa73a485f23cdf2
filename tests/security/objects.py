"""The objects behind URL kwargs, and which of them are foreign to a role.

Each kind (``routes.KWARG_KINDS`` / ``routes.URL_KINDS``) has a provider that
lists candidate objects of the data set. An object names the agencies it
belongs to and its owner; it is *foreign* to a role for reading when the role
holds ``view_perm`` on none of those agencies and does not own it, and for
writing when the role holds none of ``act_perms`` there. Public kinds
(catalogue, formats, criterion codes, forged tokens) are never foreign: they
only fill the URL so the page is exercised.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tthc_portal.accounts.roles import Role

DOSSIER_ACT = frozenset(
    {"receive_dossiers", "process_dossiers", "return_results", "approve_dossiers",
     "assign_dossiers"}
)  # fmt: skip
# Pseudo-permissions: held on the role's agencies by administrators / the provincial office.
ADMINISTER, OFFICE = "@administer", "@office"
PERMS = (
    "view_agency_records", "receive_dossiers", "process_dossiers", "return_results",
    "approve_dossiers", "assign_dossiers", "draft_procedures", "approve_procedures",
    "control_publication", "view_indicators", "publish_indicators",
)  # fmt: skip

# Values of an ``action`` kwarg, per URL.
ACTIONS = {
    "procedures:version_action": ["submit", "approve", "return"],
    "feedback:staff_action": ["classify", "answer", "publish"],
    "feedback_api:pakn-staff-action": ["classify", "answer", "publish"],
}


@dataclass
class Actor:
    key: str
    user: Any  # None for the anonymous visitor
    scopes: dict[str, set[int]] = field(default_factory=dict)  # perm -> agency pks
    superuser: bool = False

    def holds(self, perms, agencies) -> bool:
        if self.superuser:
            return True
        held = set().union(*(self.scopes.get(perm, set()) for perm in perms))
        return bool(held & agencies) if agencies is not None else bool(held)


def actor_build(key: str, user) -> Actor:
    from tthc_portal.agencies.selectors import agencies_for_user, user_roles

    if user is None:
        return Actor(key=key, user=None)
    scopes = {
        perm: set(agencies_for_user(user, perm).values_list("pk", flat=True)) for perm in PERMS
    }
    roles = user_roles(user)
    scopes[ADMINISTER] = scopes["view_agency_records"] if Role.ADMINISTRATOR in roles else set()
    scopes[OFFICE] = scopes["view_agency_records"] if Role.PROVINCIAL_STAFF in roles else set()
    return Actor(key=key, user=user, scopes=scopes, superuser=user.is_superuser)


@dataclass(frozen=True)
class Obj:
    kind: str
    label: str
    values: dict
    agencies: frozenset | None = None  # None: not owned by an agency
    owner_id: int | None = None
    view_perm: str | None = "view_agency_records"  # None: anyone may read it
    act_perms: frozenset = DOSSIER_ACT
    public: bool = False
    markers: tuple[str, ...] = ()  # text that shows the object on a page

    def foreign_to_read(self, actor: Actor) -> bool:
        if self.public or self.view_perm is None:
            return False
        if actor.user is not None and actor.user.pk == self.owner_id:
            return False
        return not actor.holds({self.view_perm}, self.agencies)

    def foreign_to_write(self, actor: Actor) -> bool:
        if self.public:
            return False
        if actor.user is not None and actor.user.pk == self.owner_id:
            return False
        return not actor.holds(self.act_perms, self.agencies)


def _dossier_agencies(dossier) -> frozenset:
    ids = {dossier.receiving_agency_id, dossier.processing_agency_id}
    ids |= {step.agency_id for step in dossier.steps.all()}
    return frozenset(ids - {None})


def _dossiers():
    from dossiers.models import Dossier

    qs = Dossier.objects.select_related("procedure_version").prefetch_related(
        "steps", "components", "procedure_version__components"
    )
    out = []
    for dossier in qs.order_by("pk"):
        component = next(iter(dossier.components.all()), None)
        requirement = next(iter(dossier.procedure_version.components.all()), None)
        out.append(
            Obj(
                kind="dossier",
                label=f"dossier {dossier.pk} {dossier.code or '(draft)'} [{dossier.status}]",
                values={
                    "pk": dossier.pk,
                    "dossier_id": dossier.pk,
                    "component_pk": component.pk if component else 0,
                    "requirement_pk": requirement.pk if requirement else 0,
                },
                agencies=_dossier_agencies(dossier),
                owner_id=dossier.applicant_id,
                markers=(dossier.code,) if dossier.code else (),
            )
        )
    return out


def _via_dossier(kind: str, rows, dossier_of, label, values) -> list[Obj]:
    by_pk = {obj.values["pk"]: obj for obj in _dossiers()}
    out = []
    for row in rows:
        parent = by_pk[dossier_of(row)]
        out.append(
            Obj(kind=kind, label=f"{label(row)} of {parent.label}", values=values(row),
                agencies=parent.agencies, owner_id=parent.owner_id)
        )  # fmt: skip
    return out


def provide(kind: str, route_name: str) -> list[Obj]:
    """Every candidate of ``kind`` for ``route_name``; the caller picks the foreign ones."""
    from dossiers.models import DossierDocument, Payment, PersonalDocument
    from feedback.models import Feedback, Rating
    from indicators.models import Criterion, RecomputeRun, ReportPeriod
    from procedures.models import (
        ComponentRequirement,
        Procedure,
        ProcedureVersion,
        PublicationItem,
        PublicationTask,
    )
    from tthc_portal.accounts.models import SignInSession
    from tthc_portal.agencies.models import Agency, StaffMembership
    from tthc_portal.signing.models import CertificateAuthority

    def public(*values: dict) -> list[Obj]:
        return [Obj(kind=kind, label=f"{kind} {v}", values=v, public=True) for v in values]

    if kind == "dossier":
        return _dossiers()
    if kind == "document":
        return _via_dossier(
            kind, DossierDocument.objects.order_by("pk"), lambda d: d.dossier_id,
            lambda d: f"document {d.pk} ({d.kind})", lambda d: {"pk": d.pk},
        )  # fmt: skip
    if kind == "payment":
        return _via_dossier(
            kind, Payment.objects.order_by("pk"), lambda p: p.dossier_id,
            lambda p: f"payment {p.reference} ({p.status})", lambda p: {"reference": p.reference},
        )  # fmt: skip
    if kind == "rating":
        return _via_dossier(
            kind, Rating.objects.order_by("pk"), lambda r: r.dossier_id,
            lambda r: f"rating {r.pk}", lambda r: {"pk": r.pk},
        )  # fmt: skip
    if kind == "personal_document":
        return [
            Obj(kind=kind, label=f"personal document {p.pk} of user {p.owner_id}",
                values={"pk": p.pk}, agencies=frozenset(), owner_id=p.owner_id)
            for p in PersonalDocument.objects.order_by("pk")
        ]  # fmt: skip
    if kind in ("pakn", "pakn_code"):
        out = []
        for item in Feedback.objects.prefetch_related("attachments").order_by("pk"):
            if kind == "pakn_code" and item.status == "published":
                continue  # published answers are public
            attachment = next(iter(item.attachments.all()), None)
            agencies = {item.receiving_agency_id, item.agency_id, item.answer_agency_id}
            out.append(
                Obj(
                    kind=kind, label=f"PAKN {item.pk} {item.code} [{item.status}]",
                    values={"pk": item.pk, "code": item.code,
                            "attachment_pk": attachment.pk if attachment else 0},
                    agencies=frozenset(agencies - {None}) if kind == "pakn" else frozenset(),
                    owner_id=item.submitter_user_id if kind == "pakn" else None,
                    act_perms=frozenset({"view_agency_records"}),
                    markers=(item.code,) if item.code and item.status != "published" else (),
                )
            )  # fmt: skip
        return out
    if kind == "publication_task":
        rows = PublicationTask.objects.order_by("pk")
        return [
            Obj(kind=kind, label=f"publication task {t.pk}", values={"pk": t.pk},
                agencies=frozenset({t.agency_id}),
                act_perms=frozenset({"draft_procedures", "approve_procedures",
                                     "control_publication"}))
            for t in rows
        ]  # fmt: skip
    if kind == "publication_item":
        return [
            Obj(kind=kind, label=f"publication item {i.pk}", values={"pk": i.pk},
                agencies=frozenset({i.responsible_agency_id}),
                act_perms=frozenset({"draft_procedures", "approve_procedures",
                                     "control_publication"}))
            for i in PublicationItem.objects.order_by("pk")
        ]  # fmt: skip
    if kind == "version":
        return [
            Obj(kind=kind, label=f"procedure version {v.pk} [{v.status}]", values={"pk": v.pk},
                agencies=frozenset({v.implementing_agency_id}),
                act_perms=frozenset({"draft_procedures", "approve_procedures",
                                     "control_publication"}))
            for v in ProcedureVersion.objects.exclude(implementing_agency=None).order_by("pk")
        ]  # fmt: skip
    if kind in ("period", "run"):
        rows = ReportPeriod.objects.order_by("pk") if kind == "period" else (
            RecomputeRun.objects.order_by("pk"))  # fmt: skip
        key = "period_id" if kind == "period" else "run_id"
        return [
            Obj(kind=kind, label=f"{kind} {row.pk}", values={"pk": row.pk, key: row.pk},
                agencies=None, view_perm=None,
                act_perms=frozenset({"publish_indicators", "view_indicators"}))
            for row in rows
        ]  # fmt: skip
    if kind == "indicator_agency":
        return [
            Obj(kind=kind, label=f"agency {a.code} {a.name}", values={"agency_id": a.pk},
                agencies=frozenset({a.pk}), view_perm="view_indicators",
                act_perms=frozenset({"view_indicators"}))
            for a in Agency.objects.filter(code__in=["000.00.10.H99", "000.00.11.H99",
                                                      "000.21.00.H99"]).order_by("code")
        ]  # fmt: skip
    if kind == "staff_user":
        members = StaffMembership.objects.select_related("user").order_by("pk")
        return [
            Obj(kind=kind, label=f"staff account {m.user.username}", values={"pk": m.user_id},
                agencies=frozenset({m.agency_id}), view_perm=ADMINISTER,
                act_perms=frozenset({ADMINISTER}))
            for m in members
        ]  # fmt: skip
    if kind == "signin_session":
        return [
            Obj(kind=kind, label=f"sign-in session {s.pk} of user {s.user_id}",
                values={"pk": s.pk}, agencies=frozenset(), owner_id=s.user_id)
            for s in SignInSession.objects.order_by("pk")
        ]  # fmt: skip
    if kind == "api_client":
        from tthc_portal.api_clients.models import ApiClient

        return [
            Obj(kind=kind, label=f"API client {c.pk}", values={"pk": c.pk},
                agencies=frozenset({c.agency_id}), view_perm=ADMINISTER,
                act_perms=frozenset({ADMINISTER}))
            for c in ApiClient.objects.order_by("pk")
        ]  # fmt: skip
    if kind in ("sync_task", "difference"):
        from integrations.models import Difference, SyncTask

        model = SyncTask if kind == "sync_task" else Difference
        return _office_rows(kind, model.objects.order_by("pk"))
    # Public kinds: valid values only exercise the page.
    if kind == "procedure":
        procedure = Procedure.objects.filter(current_version__isnull=False).order_by("pk").first()
        return public({"pk": procedure.pk, "procedure_pk": procedure.pk})
    if kind == "procedure_code":
        return public({"code": "2.000894"})
    if kind == "form_template":
        row = ComponentRequirement.objects.exclude(form_template="").order_by("pk").first()
        row = row or ComponentRequirement.objects.order_by("pk").first()
        return public({"pk": row.pk})
    if kind == "crl_serial":
        return public({"serial": CertificateAuthority.objects.order_by("pk").first().serial})
    if kind == "fmt":
        return public({"fmt": "csv"})
    if kind == "action":
        return public(*({"action": action} for action in ACTIONS[route_name]))
    if kind == "period_label":
        period = ReportPeriod.objects.order_by("pk").first()
        return public({"label": period.label if period else "2025-05"})
    if kind == "criterion_code":
        return public({"code": Criterion.objects.order_by("pk").first().code})
    if kind == "token":
        return public({"token": "1:AbCdEf:gia-mao"})
    if kind == "receipt":
        from receipts.models import Receipt

        return _via_dossier(
            kind, Receipt.objects.order_by("pk"), lambda r: r.dossier_id,
            lambda r: f"receipt {r.pk}", lambda r: {"pk": r.pk},
        )  # fmt: skip
    if kind in ("queue_centre", "queue_counter", "queue_appointment", "queue_device"):
        return _queueing(kind)
    if kind in ("disposal_list", "legal_hold"):
        return _records(kind)
    if kind in ("component", "requirement", "pakn_attachment", "disposal_item", "paper_kind"):
        return []  # filled from the dossier, PAKN or list on the same URL
    raise KeyError(kind)


def _office_rows(kind, rows) -> list[Obj]:
    by_pk = {obj.values["pk"]: obj for obj in _dossiers()}
    return [
        Obj(kind=kind, label=f"{kind} {row.pk} of {by_pk[row.dossier_id].label}",
            values={"pk": row.pk}, agencies=by_pk[row.dossier_id].agencies,
            view_perm=OFFICE, act_perms=frozenset({OFFICE}))
        for row in rows
    ]  # fmt: skip


# Kinds that only ride along with another kwarg's object.
SECONDARY = {
    "component", "requirement", "pakn_attachment", "fmt", "action", "disposal_item", "paper_kind",
}  # fmt: skip

RECORDS = "@records"  # records roles are groups outside the role table: no matrix role holds them


def _records(kind: str) -> list[Obj]:
    from records.models import DisposalList, LegalHold

    rule = {"view_perm": RECORDS, "act_perms": frozenset({RECORDS})}
    if kind == "disposal_list":
        return [
            Obj(kind=kind, label=f"disposal list {row.pk}",
                values={"pk": row.pk, "paper": "list",
                        "item_pk": row.items.order_by("pk").values_list("pk", flat=True).first()
                        or 0},
                agencies=frozenset({row.agency_id}), **rule)
            for row in DisposalList.objects.order_by("pk")
        ]  # fmt: skip
    return [
        Obj(kind=kind, label=f"legal hold {h.pk}", values={"pk": h.pk},
            agencies=frozenset({h.dossier.receiving_agency_id}), **rule)
        for h in LegalHold.objects.select_related("dossier").order_by("pk")
    ]  # fmt: skip


def _queueing(kind: str) -> list[Obj]:
    from queueing.models import Appointment, Counter, KioskDevice, ServiceGroup

    if kind == "queue_device":
        return [
            Obj(kind=kind, label=f"device {d.code}",
                values={"centre_id": d.centre_id, "code": d.code}, public=True)
            for d in KioskDevice.objects.order_by("pk")
        ]  # fmt: skip
    if kind == "queue_centre":
        centres = sorted(set(ServiceGroup.objects.values_list("centre_id", flat=True)))
        return [
            Obj(kind=kind, label=f"centre {pk}", values={"centre_id": pk}, public=True)
            for pk in centres
        ]
    if kind == "queue_counter":
        return [
            Obj(
                kind=kind,
                label=f"counter {c.pk}",
                values={"counter_id": c.pk},
                agencies=frozenset({c.agency_id}),
                view_perm="receive_dossiers",
                act_perms=frozenset({"receive_dossiers"}),
            )
            for c in Counter.objects.order_by("pk")
        ]
    return [
        Obj(
            kind=kind,
            label=f"appointment {a.pk}",
            values={"appointment_id": a.pk},
            agencies=frozenset(),
            owner_id=a.person_id,
        )
        for a in Appointment.objects.order_by("pk")
    ]
