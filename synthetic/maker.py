"""One dossier at a time: who, what, where, when, and how its life went."""

from __future__ import annotations

import math
import random
from datetime import datetime

from dossiers.models import Dossier, SupplementRequest
from tthc_portal.workdays.calendar import DeadlineMode, DeadlineRule, TimeUnit, WorkCalendar

from . import profile
from .catalogue import ProcedureInfo
from .clock import WorkingClock
from .lives import RETURNED, STOPPED, WITHDRAWN, Life, apologise, draw, simulate, withdraw
from .organisation import Organisation, Unit
from .rows import _BLANK, DOSSIER_COLUMNS, RowWriter, person_for, pick
from .sink import IdBlock

# Hourly weights of in-person arrivals over an 8-hour day (peaks 8-11 and 14-16).
IN_PERSON_HOURS = [1.3, 1.4, 1.3, 0.7, 0.8, 1.2, 1.2, 0.6]
UNRECEIVED = ("refused", "awaiting_completion", "submitted")


def _cumulative(weights) -> list[float]:
    total, result = 0.0, []
    for weight in weights:
        total += weight
        result.append(total)
    return result


class Maker:
    def __init__(self, *, clock: WorkingClock, calendar: WorkCalendar, organisation: Organisation,
                 catalogue: list[ProcedureInfo], writer: RowWriter, rng: random.Random,
                 now: datetime, dossier_ids: IdBlock, step_ids: IdBlock) -> None:  # fmt: skip
        self.clock, self.calendar, self.org, self.writer = clock, calendar, organisation, writer
        self.rng, self.now = rng, now
        self.dossier_ids, self.step_ids = dossier_ids, step_ids
        self.day = clock.day_minutes
        self.w_now = clock.at_or_after(now)
        units = {u.id for u in (*organisation.departments, *organisation.communes)}
        self.catalogue = [i for i in catalogue if i.agency_id is None or i.agency_id in units]
        self.cum = _cumulative(i.weight for i in self.catalogue)
        online = [i for i in self.catalogue if i.accepts_online]
        self.online, self.online_cum = online, _cumulative(i.weight for i in online)
        self.commune_cum = _cumulative(u.weight for u in organisation.communes)
        hours = IN_PERSON_HOURS if self.day == 480 else [1.0] * (self.day // 60)
        self.minute_cum = _cumulative(w for w in hours for _ in range(60))
        self.grace = int(calendar.immediate_grace.total_seconds() // 60)
        self._dues: dict[tuple, int] = {}
        self._cutoffs: dict = {}
        self.counts: dict[str, int] = {}

    # --- choices ------------------------------------------------------------------------
    def _units(self, info: ProcedureInfo) -> tuple[Unit, Unit]:
        rng, org = self.rng, self.org
        if info.agency_id is not None:
            receiving = org.unit(info.agency_id)
        elif info.level == "commune" or not org.departments or rng.random() < 0.7:
            receiving = org.communes[pick(self.commune_cum, rng)]
        else:
            receiving = rng.choice(org.departments)
        return receiving, receiving if info.agency_id is None else org.unit(info.agency_id)

    def _channel(self, info: ProcedureInfo) -> int:
        table = profile.CHANNELS_WHEN_ONLINE if info.accepts_online else profile.CHANNELS_OFFLINE
        channel = self.rng.choices([c for c, _ in table], weights=[w for _, w in table])[0]
        return 1 if channel == 3 and not info.postal else channel

    def _delivery(self, channel: int) -> str:
        roll = self.rng.random()
        if channel == 2:
            return "online" if roll < profile.RESULT_ONLINE_DELIVERY else (
                "desk" if roll < 0.9 else "postal")  # fmt: skip
        if channel == 3:
            return "postal" if roll < 0.8 else "desk"
        return "desk" if roll < 0.9 else "postal"

    # --- time -----------------------------------------------------------------------------
    def _clock_start(self, info: ProcedureInfo, w: int) -> int:
        if info.cutoff is None:
            return w
        offset = self._cutoffs.get(info.cutoff)
        if offset is None:
            day = self.clock.days[0]
            offset = (
                self.clock.at_or_after(datetime.combine(day, info.cutoff, self.clock.tz))
                - self.clock.index[day] * self.day
            )
            self._cutoffs[info.cutoff] = offset
        return (w // self.day + 1) * self.day if w % self.day > offset else w

    def _base_due(self, info: ProcedureInfo, w: int, start: int) -> int:
        unit, mode, limit = info.time_unit, info.deadline_mode, info.time_limit or 0
        if unit == TimeUnit.WORKING_DAYS and mode == DeadlineMode.WORKING_HOURS:
            return start + int(limit * self.day)
        if unit == TimeUnit.WORKING_HOURS:
            return start + int(limit * 60)
        if unit == TimeUnit.IMMEDIATE:
            return start + self.grace
        if unit == TimeUnit.SAME_DAY:
            return (start // self.day + 1) * self.day
        # Calendar days and whole-day mode depend on dates only: the real calendar, cached.
        key = (unit, limit, mode, info.cutoff, w // self.day, start // self.day)
        due = self._dues.get(key)
        if due is None:
            rule = DeadlineRule(limit, TimeUnit(unit), DeadlineMode(mode), info.cutoff)
            due = self.clock.at_or_after(self.calendar.due_at(self.clock.start(w), rule))
            self._dues[key] = due
        return due

    def _life(self, info, w: int, d, units: tuple[Unit, Unit]) -> Life:
        start = self._clock_start(info, w)
        life = simulate(info, w, start, self._base_due(info, w, start), d, units[0].id,
                        units[1].id, self.org.names, self.clock.closing)  # fmt: skip
        if d.outcome == WITHDRAWN:
            end = life.approved or life.ended or life.last
            withdraw(life, w + max(1, int((end - w) * d.withdraw_at)), d.desk)
        apologise(life, d)
        return life

    def _arrival(self, day: int, channel: int) -> int:
        rng = self.rng
        if channel == 2 and rng.random() < profile.ONLINE_OUT_OF_HOURS:
            return day * self.day + rng.randrange(0, 90)  # accepted first thing in the morning
        return day * self.day + pick(self.minute_cum, rng)

    # --- one dossier --------------------------------------------------------------------------
    def make(self, fate: str, day: int | None) -> None:
        rng = self.rng
        if fate == "submitted" and self.online:
            info = self.online[pick(self.online_cum, rng)]
        else:
            info = self.catalogue[pick(self.cum, rng)]
        receiving, processing = self._units(info)
        channel = 2 if fate == "submitted" else self._channel(info)
        person = person_for(rng, info, channel, receiving.name.removeprefix("UBND "),
                            self.org.citizens)  # fmt: skip
        dossier_id = self.dossier_ids.take()
        base = dict(_BLANK)
        base.update(
            id=dossier_id, procedure_version_id=info.version_id, channel=channel,
            submitted_by_officer=person.by_officer, applicant_id=person.applicant_id,
            applicant_name=person.name, applicant_id_number=person.id_number,
            applicant_phone=person.phone, applicant_email=person.email,
            applicant_address=person.address, request_content=info.name,
            result_delivery=self._delivery(channel), receiving_agency_id=receiving.id,
            receiving_agency_code=receiving.code, time_limit=info.time_limit,
            time_unit=info.time_unit, deadline_mode=info.deadline_mode, cutoff_time=info.cutoff,
            lookup_token=self.writer.token(dossier_id),
            vneid_verified=channel == 2 and rng.random() < profile.VNEID_ONLINE,
            population_db_used=channel == 1 and rng.random() < profile.POPULATION_DB_IN_PERSON,
        )  # fmt: skip
        self.counts[fate] = self.counts.get(fate, 0) + 1
        if fate in UNRECEIVED:
            self._unreceived(fate, day, info, receiving, person, base)
        else:
            self._received(fate, day, info, (receiving, processing), person, base)

    def _submitter(self, person, desk: int) -> int | None:
        return person.applicant_id or (desk if person.by_officer else None)

    def _unreceived(self, fate, day, info, receiving: Unit, person, base) -> None:
        rng, clock, writer = self.rng, self.clock, self.writer
        desk = rng.choice(receiving.desks)
        channel = base["channel"]
        if fate == "submitted":
            w = self.w_now - rng.randint(1, self.day)
        else:
            w = self._arrival(day, channel)
        at = clock.start(w)
        events = []
        status = "draft"
        if channel != 1:
            events.append((at, "submit", "draft", "submitted", self._submitter(person, desk), ""))
            status = "submitted"
            base.update(submitted_at=at, reception_due_at=clock.end(w + writer.sla))
        acted = clock.start(w + rng.randint(10, 240))
        if fate == "refused":
            reason = "Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan"
            events.append((acted, "refuse", status, "refused", desk, reason))
            status = "refused"
            base.update(refusal_reason=reason, completed_at=acted)
        elif fate == "awaiting_completion":
            note = "Đề nghị bổ sung, hoàn thiện hồ sơ theo phiếu hướng dẫn"
            events.append((acted, "request_completion", status, "awaiting_completion", desk, note))
            status = "awaiting_completion"
            writer.rows[SupplementRequest].append((
                base["id"], "before_receipt",
                [{"requirement": info.requirements[0][0] if info.requirements else None,
                  "name": info.requirements[0][1] if info.requirements else "Tờ khai",
                  "reason": "Chưa ký, ghi rõ họ tên"}],
                note, "", "issued", None, None, desk, acted, None,
            ))  # fmt: skip
        if fate == "submitted" and rng.random() < profile.SYNC[0][1]:
            base["sync_status"] = "synced"
        base.update(status=status, created_at=at, updated_at=events[-1][0] if events else at)
        writer.rows[Dossier].append(tuple(base[c] for c in DOSSIER_COLUMNS))
        writer.history(base["id"], events)
        if channel != 1:
            from_store = writer.components(base["id"], info, channel, person, desk, at)
            items, _form = writer.fee_items(info, channel)
            if items and channel == 2:
                status = "cancelled" if fate == "refused" else "requested"
                writer.payment(base["id"], items, status, at, True)
            if base["sync_status"] == "synced":
                # Submitted, not yet received: the hub holds status 1 and the fee list.
                writer.sync_state(base["id"], events, received=False, e_result=False,
                                  fees=bool(items) and channel == 2, paid_flag=None,
                                  from_store=from_store)  # fmt: skip

    def _received(self, fate, day, info, units, person, base) -> None:
        rng, clock, writer, day_len = self.rng, self.clock, self.writer, self.day
        outcome = RETURNED if fate in ("open", "result_ready") else fate
        d = draw(rng, info, outcome, units)
        d.delivery = base["result_delivery"]
        if fate == "result_ready" and d.delivery == "online":
            d.delivery = base["result_delivery"] = "desk"
        channel = base["channel"]
        if day is None:
            life = self._place_near_now(fate, info, d, units)
        else:
            w = self._arrival(day, channel)
            for attempt in range(6):
                life = self._life(info, w, d, units)
                end = life.returned if life.returned is not None else life.ended
                if end is None or end < self.w_now - 1:
                    break
                # Too recent to have ended: it was received earlier.
                w -= (math.ceil((end - self.w_now) / day_len) + 2 + 3 * attempt) * day_len
        received = life.received
        receipt_day = clock.day_of(received)
        base["code"] = writer.code(units[0].id, units[0].code, receipt_day)
        desk = d.desk
        pre, status = [], "draft"
        lead = rng.randint(5, 240)
        if channel != 1:
            submitted = clock.start(received - lead)
            if received % day_len < 90 and rng.random() < 0.8:
                # Sent in the evening or at the weekend, accepted the next working morning.
                opening = clock.start(received // day_len * day_len)
                closed = clock.end(received // day_len * day_len)
                submitted = closed + (opening - closed) * rng.uniform(0.05, 0.6)
            pre.append((submitted, "submit", "draft", "submitted", self._submitter(person, desk),
                        ""))  # fmt: skip
            status = "submitted"
        if rng.random() < profile.COMPLETION_RESUBMITTED:
            resubmitted = received - lead
            asked = resubmitted - rng.randint(1, 5) * day_len - rng.randint(0, 200)
            first = clock.start(asked - rng.randint(10, 200))
            pre = [] if channel == 1 else [(first, *pre[0][1:])]
            note = "Đề nghị bổ sung, hoàn thiện hồ sơ theo phiếu hướng dẫn"
            pre.append((clock.start(asked), "request_completion", status, "awaiting_completion",
                        desk, note))  # fmt: skip
            pre.append((clock.start(resubmitted), "resubmit", "awaiting_completion", "submitted",
                        self._submitter(person, desk), ""))  # fmt: skip
            status = "submitted"
            writer.rows[SupplementRequest].append((
                base["id"], "before_receipt",
                [{"requirement": None, "name": "Tờ khai", "reason": "Chưa ký, ghi rõ họ tên"}],
                note, "", "issued", None, None, desk, clock.start(asked),
                clock.start(resubmitted),
            ))  # fmt: skip
        submitted_at = pre[-1][0] if pre else clock.start(received)
        pre.append((clock.start(received), "receive", status, "received", desk, ""))
        base.update(
            submitted_at=submitted_at, created_at=pre[0][0],
            reception_due_at=clock.end(clock.at_or_after(submitted_at) + writer.sla)
            if channel != 1 else None,
            sync_status=rng.choices([s for s, _ in profile.SYNC],
                                    weights=[w for _, w in profile.SYNC])[0],
        )  # fmt: skip
        items, form = writer.fee_items(info, channel)
        if form:
            base["form_data"] = form
        e_result, history = writer.received(base["id"], info, life, d, self.w_now, base, pre,
                                            units[1].id, self.step_ids)  # fmt: skip
        from_store = writer.components(base["id"], info, channel, person, desk, submitted_at)
        paid_flag = None
        if items:
            # About 45% of fee payments are made online, nearly all of them by online applicants.
            online = rng.random() < (0.82 if channel == 2 else 0.03)
            paid_flag = writer.payment(base["id"], items, "paid",
                                       submitted_at if online else clock.start(received),
                                       online)  # fmt: skip
        if base["sync_status"] == "synced":
            writer.sync_state(base["id"], history, received=True, e_result=e_result,
                              fees=any(i["amount_vnd"] > 0 for i in items), paid_flag=paid_flag,
                              from_store=from_store)  # fmt: skip
        self.counts[f"outcome:{life.outcome}"] = self.counts.get(f"outcome:{life.outcome}", 0) + 1

    def _place_near_now(self, fate, info, d, units) -> Life:
        """Received so recently that it is still open (or its result not yet collected)."""
        rng, now = self.rng, self.w_now
        life = self._life(info, now - 5 * self.day, d, units)
        span = (life.approved or life.ended or life.last) - life.received
        after = (life.returned or life.last) - life.received
        for _ in range(6):
            if fate == "result_ready" and life.approved is not None:
                back = rng.uniform(span, max(span + 1, after))
            else:
                back = rng.uniform(0, span)
            life = self._life(info, now - max(1, int(back)), d, units)
            approved = life.approved if life.approved is not None else life.ended
            if fate == "result_ready":
                if life.approved is not None and life.approved < now <= (life.returned or now):
                    break
            elif approved is None or approved >= now:
                break
            span = max(1, span // 2)
        return life


__all__ = ["STOPPED", "UNRECEIVED", "Maker"]
