"""Demo history for the 766 dashboard: three past months of dossiers at a
department that does well (Justice), one that slips (Health) and a ward (Phố
Hiến), made through the dossier services with past timestamps, then every
month computed through ``period_recompute``.

Idempotent: each demo dossier is found again by its ``request_content``; a
month already published is left frozen.
"""

from __future__ import annotations

import datetime
import io
import logging
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from dossiers.models import Channel, Dossier
from dossiers.services.lifecycle import dossier_transition
from dossiers.services.reception import dossier_receive
from dossiers.services.submission import (
    component_attach,
    dossier_create_draft,
    dossier_update_draft,
)
from procedures.models import Procedure
from tthc_portal.agencies.models import Agency
from tthc_portal.workdays.services import get_calendar

from .periods import current_month_label, previous_month_label
from .services import IndicatorError
from .services.periods import period_get_or_create, period_recompute

logger = logging.getLogger(__name__)

MARK = "Hồ sơ mẫu chỉ số 766"
MONTHS_BACK = 3
APPLICANTS = [
    ("Đỗ Thị Hạnh", "001190003333", "0912000111"),
    ("Vũ Văn Khánh", "001088004444", "0912000222"),
    ("Hoàng Thị Lan", "036195005555", "0912000333"),
]


@dataclass(frozen=True)
class Desk:
    agency_code: str
    procedure_code: str
    desk: str
    head: str
    # Per month (oldest first): the working-day index each dossier is received
    # on, and whether it finishes late.
    plan: tuple[tuple[tuple[int, bool], ...], ...]


DESKS = (
    # Sở Tư pháp: always on time.
    Desk(
        "000.00.10.H99",
        "1.001216",
        "motcua.tuphap",
        "lanhdao.tuphap",
        (((0, False), (2, False)), ((0, False), (3, False)), ((1, False), (2, False))),
    ),
    # Sở Y tế (5 working days): slipping, two of three late last month.
    Desk(
        "000.00.11.H99",
        "1.013814",
        "motcua.yte",
        "lanhdao.yte",
        (
            ((0, False), (1, False), (2, True)),
            ((0, False), (1, True), (2, False)),
            ((0, True), (1, False), (2, True)),
        ),
    ),
    # UBND phường Phố Hiến (2 working days).
    Desk(
        "000.21.00.H99",
        "2.001019",
        "motcua.phohien",
        "lanhdao.phohien",
        (((0, False), (3, True)), ((1, False), (4, False)), ((0, False), (2, True))),
    ),
)
# Working days after reception: finished the next day, or well after the time limit.
ON_TIME_AFTER = 1
LATE_AFTER = {"1.001216": 20, "1.013814": 8, "2.001019": 5}


def _pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=420, height=595)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _working_days(label: str) -> list[datetime.date]:
    calendar = get_calendar()
    year, month = int(label[:4]), int(label[5:7])
    day = datetime.date(year, month, 1)
    days = []
    while day.month == month:
        if calendar.is_working_day(day):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), get_calendar().tz)


def dossier_open(users, desk: Desk, procedure, agency, mark: str, received, index: int) -> Dossier:
    """Received at the counter and transferred to the unit (dossier services): open."""
    officer = users[desk.desk]
    name, id_number, phone = APPLICANTS[index % len(APPLICANTS)]
    with transaction.atomic():
        dossier = dossier_create_draft(
            actor=officer, procedure=procedure, channel=Channel.IN_PERSON, receiving_agency=agency
        )
        dossier = dossier_update_draft(
            actor=officer,
            dossier=dossier,
            data={
                "applicant_name": name,
                "applicant_id_number": id_number,
                "applicant_phone": phone,
                "applicant_address": "Tỉnh Demo",
                "request_content": mark,
            },
        )
        for requirement in procedure.current_version.components.filter(required=True):
            component_attach(
                actor=officer,
                dossier=dossier,
                requirement_id=requirement.pk,
                upload=SimpleUploadedFile("giay-to.pdf", _pdf(), "application/pdf"),
            )
        dossier = dossier_receive(actor=officer, dossier=dossier, at=received)
        return dossier_transition(actor=officer, dossier=dossier, action="transfer", at=received)


def dossier_handled(
    users, desk: Desk, procedure, agency, mark: str, received, finished, index: int
) -> Dossier:
    """Received, transferred, approved and returned (dossier services), at past times."""
    officer, head = users[desk.desk], users[desk.head]
    with transaction.atomic():
        dossier = dossier_open(users, desk, procedure, agency, mark, received, index)

        def finish(locked: Dossier):
            locked.completed_at = finished
            return ["completed_at"]

        dossier = dossier_transition(
            actor=head, dossier=dossier, action="approve", apply=finish, at=finished
        )
        handed = finished + datetime.timedelta(hours=1)

        def hand_over(locked: Dossier):
            locked.returned_at = handed
            return ["returned_at"]

        return dossier_transition(
            actor=officer, dossier=dossier, action="return_result", apply=hand_over, at=handed
        )


def seed_dossiers(today: datetime.date | None = None) -> tuple[int, list[str]]:
    """The demo dossiers of the last ``MONTHS_BACK`` months; (created, month labels)."""
    today = today or timezone.localdate()
    labels = [previous_month_label(current_month_label(today))]
    while len(labels) < MONTHS_BACK:
        labels.insert(0, previous_month_label(labels[0]))
    users = get_user_model().objects.in_bulk(field_name="username")
    existing = set(
        Dossier.objects.filter(request_content__startswith=MARK).values_list(
            "request_content", flat=True
        )
    )
    created = 0
    for desk in DESKS:
        procedure = Procedure.objects.filter(
            code=desk.procedure_code, current_version__isnull=False
        ).first()
        agency = Agency.objects.filter(code=desk.agency_code).first()
        if procedure is None or agency is None or desk.desk not in users:
            logger.warning("Demo 766: %s or %s missing", desk.procedure_code, desk.agency_code)
            continue
        for label, month_plan in zip(labels, desk.plan, strict=True):
            days = _working_days(label)
            for index, (day_index, late) in enumerate(month_plan):
                mark = f"{MARK} {desk.agency_code} {label} #{index + 1}"
                after = LATE_AFTER[desk.procedure_code] if late else ON_TIME_AFTER
                if mark in existing or day_index + after >= len(days):
                    continue
                received = _at(days[day_index], 9)
                finished = _at(days[day_index + after], 15)
                dossier_handled(users, desk, procedure, agency, mark, received, finished, index)
                created += 1
    return created, labels


def seed_indicators(today: datetime.date | None = None) -> str:
    """Demo dossiers, then each demo month and the open month computed."""
    today = today or timezone.localdate()
    created, labels = seed_dossiers(today)
    computed = 0
    for label in [*labels, current_month_label(today)]:
        period = period_get_or_create(label)
        if period.is_published:
            continue
        try:
            period_recompute(actor=None, period=period)
        except IndicatorError as error:
            logger.warning("Demo 766: %s not computed: %s", label, error.message)
            continue
        computed += 1
    return f"Chỉ số 766 mẫu: {created} hồ sơ mới, {computed} kỳ đã tính."
