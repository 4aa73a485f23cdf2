"""Turning lives into table rows, as the services would have written them."""

from __future__ import annotations

import base64
import random
import uuid
from bisect import bisect
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings

from dossiers.models import (
    Apology,
    ClockPause,
    Dossier,
    DossierComponent,
    DossierDocument,
    DossierStep,
    NationalStatusMap,
    Payment,
    PersonalDocument,
    StatusHistory,
    SupplementRequest,
)
from integrations.models import DossierSync

from . import names, profile
from .catalogue import ProcedureInfo
from .clock import WorkingClock
from .lives import REJECTED, STOPPED, WITHDRAWN, Draws, Life

OPEN = ("received", "in_processing", "awaiting_supplement")
DOSSIER_COLUMNS = tuple(f.attname for f in Dossier._meta.concrete_fields)
STEP_COLUMNS = ("id", "dossier_id", "kind", "workflow_step_id", "order", "name", "role",
                "agency_id", "parent_id", "assignee_id", "assigned_by_id", "handed_over_by_id",
                "started_at", "budget_hours", "counted", "due_at", "completed_at",
                "completed_by_id", "outcome", "timeliness", "request_text", "note",
                "paused")  # fmt: skip
HISTORY_COLUMNS = ("dossier_id", "action", "from_status", "to_status", "actor_id", "at", "note")
PAUSE_COLUMNS = ("dossier_id", "started_at", "ended_at", "reason")
SUPPLEMENT_COLUMNS = ("dossier_id", "stage", "items", "note", "justification", "state",
                      "drafted_by_id", "drafted_at", "requested_by_id", "requested_at",
                      "completed_at")  # fmt: skip
APOLOGY_COLUMNS = ("dossier_id", "reason", "original_due_at", "new_due_at", "issued_by_id",
                   "issued_at", "agency_id")  # fmt: skip
PAYMENT_COLUMNS = ("dossier_id", "reference", "fee_items", "amount_vnd", "gateway",
                   "gateway_flag", "status", "transaction_ref", "requested_at", "paid_at",
                   "receipt_no")  # fmt: skip
COMPONENT_COLUMNS = ("dossier_id", "requirement_id", "name", "file", "original_filename",
                     "content_type", "size", "sha256", "page_count", "source_form",
                     "is_digitised", "digitised_by_id", "digitised_at", "from_personal_store",
                     "is_reused", "personal_document_id", "uploaded_by_id",
                     "uploaded_at")  # fmt: skip
DOCUMENT_COLUMNS = ("dossier_id", "kind", "number", "source_id", "file", "status", "error",
                    "content", "signed_by_agency_id", "signed_at", "created_at",
                    "rendered_at")  # fmt: skip
PERSONAL_COLUMNS = ("owner_id", "title", "file", "content_type", "size", "sha256",
                    "source_dossier_id", "is_result", "created_at")  # fmt: skip
# What the hub acknowledged of a synced dossier (integrations.sync.sender writes the same).
SYNC_COLUMNS = ("dossier_id", "created_on_hub", "last_acked_seq", "last_national_status",
                "header_acked_at", "received_synced", "fee_list_synced", "payment_flag_synced",
                "result_synced", "store_component_synced")  # fmt: skip
TABLES = [
    (Dossier, DOSSIER_COLUMNS), (DossierStep, STEP_COLUMNS), (StatusHistory, HISTORY_COLUMNS),
    (ClockPause, PAUSE_COLUMNS), (SupplementRequest, SUPPLEMENT_COLUMNS),
    (Apology, APOLOGY_COLUMNS), (Payment, PAYMENT_COLUMNS),
    (DossierComponent, COMPONENT_COLUMNS), (DossierDocument, DOCUMENT_COLUMNS),
    (PersonalDocument, PERSONAL_COLUMNS), (DossierSync, SYNC_COLUMNS),
]  # fmt: skip


_REQUIRED = object()  # NOT NULL without a default: the generator always sets these


def field_defaults(model) -> dict:
    """What a row holds in a column the generator does not set: the field's default,
    else NULL or an empty string, as a model instance created by a service would."""
    values = {}
    for field in model._meta.concrete_fields:
        if field.has_default():
            values[field.attname] = field.get_default()
        elif field.null or field.primary_key:
            values[field.attname] = None
        elif field.get_internal_type() in ("CharField", "TextField", "EmailField", "FileField"):
            values[field.attname] = ""
        else:
            values[field.attname] = _REQUIRED
    return values


def _extra_columns(model, columns: tuple[str, ...]) -> tuple[tuple[str, ...], tuple]:
    """Columns added to the model since the generator was written, with their defaults."""
    defaults = field_defaults(model)
    names = tuple(
        f.attname for f in model._meta.concrete_fields
        if f.attname not in columns and not f.primary_key
    )  # fmt: skip
    missing = [name for name in names if defaults[name] is _REQUIRED]
    if missing:
        raise RuntimeError(f"The generator must be taught {model.__name__}.{', '.join(missing)}")
    return names, tuple(defaults[name] for name in names)


_BLANK = field_defaults(Dossier)
EXTRA_COLUMNS = {model: _extra_columns(model, columns) for model, columns in TABLES}


@dataclass
class Placeholder:
    """One real file shared by the generated rows, so downloads work."""

    path: str
    size: int
    sha256: str


@dataclass
class Person:
    applicant_id: int | None
    name: str
    id_number: str
    phone: str
    email: str
    address: str
    by_officer: bool


class RowWriter:
    """Collects one batch of rows; ``self.rows[model]`` in ``TABLES`` order."""

    def __init__(self, clock: WorkingClock, now: datetime, code_formats, sequences: dict,
                 placeholders: dict[str, Placeholder], rng: random.Random) -> None:  # fmt: skip
        from dossiers.services.overdue import thresholds

        self.clock, self.now, self.rng = clock, now, rng
        self.code_formats = code_formats  # [(valid_from, template, digits)] newest first
        self.sequences = sequences
        self.touched: dict[tuple[int, date], int] = {}
        self.placeholders = placeholders
        self.regular, self.same_day = thresholds(now)
        self.early_day = settings.TTHC.get("EARLY_CONVENTION", "before_due_day") == "before_due_day"
        self.sla = int(settings.TTHC.get("ONLINE_ACCEPT_SLA_HOURS", 8) * 60)
        self.reminder_minutes = int(settings.TTHC.get("APOLOGY_REMINDER_WORKING_HOURS", 16) * 60)
        self.result_code = settings.TTHC.get("RESULT_CODE_FORMAT", "{code}-KQ{n}")
        # internal status → (national code or None, synced for every dossier), as
        # integrations.config.national_status_map reads it.
        self.national = {
            row.status: (int(row.national_code) if row.national_code.strip().isdigit() else None,
                         row.synced)
            for row in NationalStatusMap.objects.all()
        }  # fmt: skip
        self.reset()

    def reset(self) -> None:
        self.rows = {model: [] for model, _ in TABLES}
        self.touched = {}

    def tables(self):
        result = []
        for model, columns in TABLES:
            rows = self.rows[model]
            names, values = EXTRA_COLUMNS[model]
            if names and rows:
                columns, rows = columns + names, [row + values for row in rows]
            result.append((model, columns, rows))
        return result

    # --- small pieces -----------------------------------------------------------------
    def code(self, agency_id: int, agency_code: str, day: date) -> str:
        key = (agency_id, day)
        value = self.sequences.get(key, 0) + 1
        self.sequences[key] = self.touched[key] = value
        template, digits = next((t, n) for since, t, n in self.code_formats if since <= day)
        return template.format(agency=agency_code, yymmdd=day.strftime("%y%m%d"),
                               seq=str(value).zfill(digits))  # fmt: skip

    def token(self, dossier_id: int) -> str:
        random_part = base64.urlsafe_b64encode(self.rng.getrandbits(96).to_bytes(12, "big"))
        return f"{random_part.decode()}{dossier_id:x}"[:32]

    def due_text(self, w: int | None, zero: bool = False) -> datetime | None:
        if w is None:
            return None
        return self.clock.start(w) if zero else self.clock.end(w)

    def flags(self, due: datetime | None, same_day: bool) -> tuple[bool, bool]:
        """(due_soon, is_overdue) as the sweep leaves them at ``now``."""
        if due is None:
            return False, False
        if due <= self.now:
            return True, True
        return due <= (self.same_day if same_day else self.regular), False

    def reminder(self, life: Life, due: int | None, ended: int | None, cut: int):
        """When the sweep asked the head to decide on an apology (once per due time,
        ``APOLOGY_REMINDER_WORKING_HOURS`` before it), if the dossier was still open."""
        if due is None or (life.apology is not None and life.apology[0] < cut):
            return None
        until = cut if ended is None else ended
        moved = max([life.received, *(e for _s, e in life.pauses if e is not None and e < until)])
        asked = max(due - self.reminder_minutes, moved)
        return self.clock.end(asked) if asked < until else None

    def timeliness(self, completed: datetime, due: datetime | None) -> str:
        if due is None:
            return ""
        if completed > due:
            return "late"
        early = completed.date() < due.date() if self.early_day else completed < due
        return "early" if early else "on_time"

    # --- side rows ------------------------------------------------------------------------
    def components(self, dossier_id: int, info: ProcedureInfo, channel: int, person: Person,
                   officer: int, at: datetime) -> bool:  # fmt: skip
        """The submitted components; True when one came from the citizen's data store."""
        rng, file = self.rng, self.placeholders["component"]
        from_store = False
        in_person = channel != 2
        digitised = in_person and rng.random() < profile.DIGITISED_IN_PERSON
        reuse = rng.random()
        for index, (requirement_id, name, required) in enumerate(info.requirements):
            if not required and rng.random() < 0.6:
                continue
            source, store, reused = ("scan" if in_person else "upload"), False, False
            if index == 0 and reuse < profile.REUSED:
                store = reuse < profile.FROM_PERSONAL_STORE
                source, reused = ("personal_store" if store else "national_db"), True
                from_store = from_store or store
            pages = rng.randint(11, 40) if rng.random() < 0.1 else rng.randint(1, 10)
            self.rows[DossierComponent].append((
                dossier_id, requirement_id, name, file.path, f"giay-to-{index + 1}.pdf",
                "application/pdf", file.size, file.sha256, pages, source,
                digitised and source == "scan", officer if digitised else None,
                at if digitised else None, store, reused, None,
                person.applicant_id if not in_person else officer, at,
            ))  # fmt: skip
        return from_store

    def fee_items(self, info: ProcedureInfo, channel: int) -> tuple[list[dict], dict]:
        items, form = [], {}
        alternatives = [f for f in info.fees if f[5]]
        chosen = self.rng.choice(alternatives)[0] if alternatives else None
        if chosen is not None:
            form = {"fee_choice": str(chosen)}
        for fee_id, name, kind, amount, online, alternative in info.fees:
            if alternative and fee_id != chosen:
                continue
            if channel == 2 and online is not None:
                amount = online
            if amount:
                items.append({"fee": fee_id, "name": name, "kind": kind, "amount_vnd": amount})
        return items, form

    def payment(self, dossier_id: int, items: list[dict], status: str, at: datetime,
                online: bool) -> int | None:  # fmt: skip
        """The fee payment; returns its gateway flag (1 national, 2 provincial) when
        paid online, else None."""
        rng = self.rng
        amount = sum(i["amount_vnd"] for i in items)
        if online:
            gateway = "simulated"
            flag = 1 if rng.random() < profile.GATEWAY_NATIONAL else 2
            ref = f"GD{rng.getrandbits(40):012d}"
        else:
            gateway, flag, ref = rng.choice(["tien_mat", "buu_dien"]), None, ""
        paid = status == "paid"
        self.rows[Payment].append((
            dossier_id, uuid.UUID(int=rng.getrandbits(128), version=4), items, amount, gateway,
            flag, status, ref if paid else "", at, at if paid else None,
            f"BL{at:%y%m%d}-{dossier_id:07d}" if paid else "",
        ))  # fmt: skip
        return flag if paid else None

    def history(self, dossier_id: int, events) -> None:
        append = self.rows[StatusHistory].append
        for at, action, before, after, actor, note in events:
            append((dossier_id, action, before, after, actor, at, note))

    def sync_state(self, dossier_id: int, events, *, received: bool, fees: bool,
                   paid_flag: int | None, e_result: bool, from_store: bool) -> None:  # fmt: skip
        """The hub's acknowledged copy of a synced dossier: the progress events the
        outbox writes for ``events`` (a national code that changes, once the dossier
        is known or for a status synced for all), all sent; the header's flags."""
        seq, last = 0, None
        for _at, _action, before, after, _actor, _note in events:
            code, synced = self.national.get(after, (None, False))
            changed = code is not None and code != self.national.get(before, (None, False))[0]
            if changed and (synced or seq):
                seq, last = seq + 1, code
        self.rows[DossierSync].append((
            dossier_id, True, seq, last, events[-1][0] if events else None, received, fees,
            paid_flag, e_result, from_store,
        ))  # fmt: skip

    # --- a received dossier -------------------------------------------------------------
    def received(self, dossier_id: int, info: ProcedureInfo, life: Life, d: Draws, cut: int,
                 base: dict, pre: list, processing_id: int,
                 step_ids) -> tuple[bool, list]:  # fmt: skip
        """The received dossier's rows; returns (an e-result was written, its history)."""
        # Work done "at" a working minute is stamped with the end convention: a
        # step finished at closing time is finished that evening, not next morning.
        clock, start, at = self.clock, self.clock.start, self.clock.end
        events = [(at(w), a, f, t, actor, note) for w, a, f, t, actor, note in life.events
                  if w < cut]  # fmt: skip
        status = events[-1][3] if events else "received"
        current, steps = None, []
        same_day = info.time_unit in ("same_day", "immediate")
        for run in life.steps:
            if run.start >= cut:
                continue
            step_id = step_ids.take()
            is_open = run.end is None or run.end >= cut
            assigned = run.assign_at is None or run.assign_at < cut
            assignee = run.assignee if assigned else None
            due = self.due_text(run.due_at(cut), run.zero_budget)
            started = start(run.start) if run.start == life.received else at(run.start)
            paused = False
            if is_open:
                current = step_id
                # While the dossier waits for the citizen the step's clock stands
                # still: grey, whatever its old due time says.
                paused = status == "awaiting_supplement"
                done = (None, None, "", "")
            else:
                completed = at(run.end)
                assignee = assignee or run.completed_by
                done = (completed, run.completed_by, run.outcome,
                        self.timeliness(completed, due) if run.spec.counted else "")  # fmt: skip
            steps.append((
                step_id, dossier_id, run.kind, run.spec.workflow_step_id, run.spec.order,
                run.spec.name, run.spec.role, run.agency_id, None, assignee,
                run.assigned_by if assigned else None, run.handed_over_by, started,
                run.spec.budget_hours, run.spec.counted, due, done[0], done[1], done[2], done[3],
                "", "", paused,
            ))  # fmt: skip
        self.rows[DossierStep] += steps
        ended = life.ended if life.ended is not None and life.ended < cut else None
        due_w = life.due_at(min(cut, ended if ended is not None else cut))
        due = self.due_text(due_w)
        row = base
        row.update(
            status=status, current_step_id=current, processing_agency_id=processing_id,
            received_at=start(life.received), clock_started_at=start(life.clock_start),
            due_at=due, original_due_at=clock.end(life.base_due),
            supplement_count=sum(1 for s in life.supplements
                                 if s["requested_at"] is not None and s["requested_at"] < cut),
            updated_at=events[-1][0] if events else start(life.received),
        )  # fmt: skip
        if life.specialist_assigned is not None and life.specialist_assigned < cut:
            row["assigned_specialist_id"] = d.specialist
        if status in OPEN:
            row["due_soon"], row["is_overdue"] = self.flags(due, same_day)
        row["apology_requested_at"] = self.reminder(life, due_w, ended, cut)
        if ended is not None:
            row["completed_at"] = at(ended)
            if life.outcome == REJECTED:
                row["refusal_reason"] = events[-1][5]
            elif life.outcome in (WITHDRAWN, STOPPED):
                row["stop_reason"], row["stop_requested_at"] = events[-1][5], at(ended)
                row["stop_request_channel"] = (
                    "Cơ quan giải quyết" if life.outcome == STOPPED else "Cổng dịch vụ công"
                )
        e_result = False
        if life.approved is not None and life.approved < cut:
            row["result_code"] = self.result_code.format(code=row["code"], n=1)
            row["result_signed_by_id"] = d.approver
            e_result = self.result_papers(dossier_id, info, life, row, processing_id)
        if life.returned is not None and life.returned < cut:
            row["returned_at"] = at(life.returned)
            row["return_method"], row["returned_to"] = d.delivery, row["applicant_name"]
        if life.apology is not None and life.apology[0] < cut:
            issued, new_due, head = life.apology
            self.rows[Apology].append((
                dossier_id, "Hồ sơ cần thêm thời gian thẩm định, lấy ý kiến",
                self.due_text(life.due_at(issued)), clock.end(new_due), head, at(issued),
                processing_id,
            ))  # fmt: skip
            row["apology_issued"] = True
        self.rows[Dossier].append(tuple(row[c] for c in DOSSIER_COLUMNS))
        history = [*pre, *events]
        self.history(dossier_id, history)
        for started_w, ended_w in life.pauses:
            if started_w < cut:
                self.rows[ClockPause].append((dossier_id, at(started_w),
                    at(ended_w) if ended_w is not None and ended_w < cut else None,
                    "supplement"))  # fmt: skip
        for s in life.supplements:
            if s["drafted_at"] >= cut:
                continue
            issued = s["requested_at"] is not None and s["requested_at"] < cut
            state = (
                "issued"
                if issued
                else ("cancelled" if life.outcome == WITHDRAWN and ended is not None else "draft")
            )
            completed = s["completed_at"]
            self.rows[SupplementRequest].append((
                dossier_id, "during_processing",
                [{"requirement": None, "name": "Bản sao giấy tờ chứng minh",
                  "reason": "Bản sao không rõ nét, đề nghị nộp lại"}],
                "Đề nghị bổ sung trong thời hạn 10 ngày làm việc",
                "Hồ sơ bổ sung vẫn còn thiếu giấy tờ" if s["second"] else "",
                state, s["drafted_by"], at(s["drafted_at"]),
                s["requested_by"] if issued else None,
                at(s["requested_at"]) if issued else None,
                at(completed) if completed is not None and completed < cut else None,
            ))  # fmt: skip
        return e_result, history

    def result_papers(self, dossier_id: int, info: ProcedureInfo, life: Life, row: dict,
                      processing_id: int) -> bool:  # fmt: skip
        """The signed e-result, and its copy in the applicant's data store; False for a
        paper-only result."""
        if info.paper_result and self.rng.random() >= profile.E_RESULT_PAPER:
            return False  # a paper-only result (the e-copy share of §3.3)
        file = self.placeholders["result"]
        signed = self.clock.end(life.approved)
        drafted = signed - timedelta(minutes=15)
        self.rows[DossierDocument].append((
            dossier_id, "kq", row["result_code"], None, file.path, "ready", "", "",
            processing_id, signed, drafted, drafted,
        ))  # fmt: skip
        if row["applicant_id"] is not None:
            self.rows[PersonalDocument].append((
                row["applicant_id"], f"Kết quả: {info.name[:400]} ({row['result_code']})",
                file.path, "application/pdf", file.size, file.sha256, dossier_id, True, signed,
            ))  # fmt: skip
        return True


def person_for(rng: random.Random, info: ProcedureInfo, channel: int, place: str,
               citizens: list) -> Person:  # fmt: skip
    address = names.address(rng, place)
    if info.group == "industry" and "business" in info.applicant_types:
        return Person(None, names.business(rng), names.tax_code(rng), names.phone(rng),
                      "lienhe@doanhnghiep.vn", address, False)  # fmt: skip
    if channel == 2 and citizens and rng.random() >= profile.OFFICER_ASSISTED:
        c = citizens[rng.randrange(len(citizens))]
        return Person(c.id, c.name, c.id_number, c.phone, c.email, address, False)
    return Person(None, names.person(rng), names.personal_id(rng), names.phone(rng), "",
                  address, channel == 2)  # fmt: skip


def pick(cum: list[float], rng: random.Random) -> int:
    return bisect(cum, rng.random() * cum[-1])
