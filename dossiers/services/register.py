"""Form 07, the dossier register (*Sổ theo dõi hồ sơ*): the dossiers received
at some agencies over a period, optionally for one field, as PDF (A4
landscape), XLSX and CSV.

One query fetches every row (``select_related`` over the dossier's version,
agencies and apology). The register is not a paper of one dossier, so it is
rendered directly rather than queued; each format has a row limit
(``TTHC["REGISTER_PDF_MAX_ROWS"]``, ``TTHC["REGISTER_EXPORT_MAX_ROWS"]``)
that keeps a download inside the web worker's timeout. The files are official
papers: always in Vietnamese, whatever the user's interface language.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from procedures.models import Field
from tthc_portal.agencies.models import Agency
from tthc_portal.agencies.selectors import agencies_for_user
from tthc_portal.tabular import csv_write, xlsx_append, xlsx_bytes, xlsx_cell

from ..models import Apology, Dossier
from . import DossierError
from .pdf import A4_LANDSCAPE, TEMPLATE_DIR, format_long_date, format_short, render_template_pdf

MAX_DAYS = 366  # "at most one year", a leap year included
# WeasyPrint lays a register row out in about 25 ms: a synchronous download
# must stay well inside the web worker's timeout (gunicorn: 30 s).
PDF_MAX_ROWS = 500
EXPORT_MAX_ROWS = 20000
NUMBER_SUFFIX = "STD-TTPVHCC (BPTNTKQ)"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# (header, XLSX width in characters), in the order of the paper form.
COLUMNS: list[tuple[str, int]] = [
    ("STT", 6),
    ("Mã hồ sơ", 26),
    ("Tên thủ tục hành chính", 46),
    ("Tổ chức, cá nhân", 26),
    ("Địa chỉ, số điện thoại", 32),
    ("Cơ quan chủ trì giải quyết", 28),
    ("Ngày, giờ nhận hồ sơ", 17),
    ("Ngày, giờ hẹn trả kết quả", 17),
    ("Hẹn trả ban đầu (trước khi hẹn lại)", 17),
    ("Ngày, giờ trả kết quả", 17),
    ("Phương thức nhận kết quả", 22),
    ("Ký nhận (người nhận kết quả)", 26),
]


@dataclass(frozen=True)
class RegisterRow:
    number: int
    code: str
    procedure: str
    applicant: str
    address: str
    phone: str
    agency: str
    received_at: datetime | None
    due_at: datetime | None
    original_due_at: datetime | None  # only when an apology moved the appointment
    returned_at: datetime | None
    return_method: str
    returned_to: str

    @property
    def contact(self) -> str:
        return " – ".join(part for part in (self.address, self.phone) if part)

    def cells(self) -> list[Any]:
        """The row as text, in the order of ``COLUMNS`` (CSV, PDF)."""
        return [
            self.number, self.code, self.procedure, self.applicant, self.contact, self.agency,
            format_short(self.received_at), format_short(self.due_at),
            format_short(self.original_due_at), format_short(self.returned_at),
            self.return_method, self.returned_to,
        ]  # fmt: skip


@dataclass(frozen=True)
class RegisterScope:
    """What one register covers, for its title block."""

    agencies: list[Agency]
    field: Field | None
    start: date
    end: date

    @property
    def agency_names(self) -> str:
        return "; ".join(agency.name for agency in self.agencies)

    @property
    def period(self) -> str:
        return f"từ ngày {self.start:%d/%m/%Y} đến ngày {self.end:%d/%m/%Y}"

    @property
    def book(self) -> str:
        years = sorted({self.start.year, self.end.year})
        return "–".join(str(year) for year in years)


def register_agencies(user) -> QuerySet[Agency]:
    """Agencies whose register ``user`` keeps or oversees: records visible
    (``view_agency_records``) and a seat at the desk or in the leadership."""
    desk = agencies_for_user(user, "receive_dossiers").values("pk")
    heads = agencies_for_user(user, "approve_dossiers").values("pk")
    return (
        agencies_for_user(user, "view_agency_records")
        .filter(Q(pk__in=desk) | Q(pk__in=heads))
        .order_by("name", "pk")
    )


def register_period_check(start: date | None, end: date | None) -> None:
    """The period a register may cover: start ≤ end, at most one year."""
    if start is None or end is None:
        raise DossierError(_("Hãy chọn cả ngày bắt đầu và ngày kết thúc."))
    if start > end:
        raise DossierError(_("Ngày bắt đầu phải trước hoặc trùng ngày kết thúc."))
    if (end - start).days + 1 > MAX_DAYS:
        raise DossierError(
            _("Mỗi lần chỉ xem được tối đa một năm (%(days)s ngày); hãy thu hẹp khoảng thời gian.")
            % {"days": MAX_DAYS}
        )


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def register_queryset(
    *, agencies: Iterable[Agency] | QuerySet[Agency], field=None, start: date, end: date
) -> QuerySet[Dossier]:
    """The dossiers received at ``agencies`` from ``start`` to ``end`` (whole
    local days), oldest first; everything a row prints comes in the same query."""
    register_period_check(start, end)
    dossiers = Dossier.objects.filter(
        receiving_agency__in=agencies,
        received_at__gte=_local_midnight(start),
        received_at__lt=_local_midnight(end + timedelta(days=1)),
    )
    if field is not None:
        dossiers = dossiers.filter(procedure_version__field=field)
    return (
        dossiers.select_related(
            "procedure_version", "processing_agency", "receiving_agency", "apology"
        )
        .only(
            "procedure_version",
            "processing_agency",
            "receiving_agency",
            "code",
            "applicant_name",
            "applicant_address",
            "applicant_phone",
            "received_at",
            "due_at",
            "returned_at",
            "return_method",
            "returned_to",
            "procedure_version__name",
            "processing_agency__name",
            "receiving_agency__name",
            "apology__original_due_at",
        )
        .order_by("received_at", "pk")
    )


def pdf_max_rows() -> int:
    return int(settings.TTHC.get("REGISTER_PDF_MAX_ROWS", PDF_MAX_ROWS))


def export_max_rows() -> int:
    return int(settings.TTHC.get("REGISTER_EXPORT_MAX_ROWS", EXPORT_MAX_ROWS))


def _limited(dossiers: QuerySet[Dossier], limit: int, what: str) -> list[Dossier]:
    """The rows, or a readable refusal when there are more than ``limit``
    (fetching one more than the limit tells, in the same query)."""
    rows = list(dossiers[: limit + 1])
    if len(rows) > limit:
        raise DossierError(
            _(
                "Sổ có hơn %(limit)s hồ sơ, vượt quá giới hạn của bản %(what)s; hãy thu hẹp "
                "khoảng thời gian hoặc chọn một lĩnh vực."
            )
            % {"limit": f"{limit:,}".replace(",", "."), "what": what}
        )
    return rows


def _apology(dossier: Dossier) -> Apology | None:
    try:
        return dossier.apology
    except Apology.DoesNotExist:
        return None


def register_row(dossier: Dossier, number: int) -> RegisterRow:
    apology = _apology(dossier)
    lead = dossier.processing_agency or dossier.receiving_agency
    return RegisterRow(
        number=number,
        code=dossier.code or "",
        procedure=dossier.procedure_version.name,
        applicant=dossier.applicant_name,
        address=dossier.applicant_address,
        phone=dossier.applicant_phone,
        agency=lead.name,
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        original_due_at=apology.original_due_at if apology else None,
        returned_at=dossier.returned_at,
        return_method=dossier.get_return_method_display() if dossier.return_method else "",
        returned_to=dossier.returned_to,
    )


def rows_of(dossiers: Iterable[Dossier], first_number: int = 1) -> Iterator[RegisterRow]:
    for offset, dossier in enumerate(dossiers):
        yield register_row(dossier, first_number + offset)


def register_rows(
    *, agencies: Iterable[Agency] | QuerySet[Agency], field=None, start: date, end: date
) -> list[RegisterRow]:
    """Every row of the register, numbered from 1, in one query."""
    return list(rows_of(register_queryset(agencies=agencies, field=field, start=start, end=end)))


def _scope(agencies, field, start: date, end: date) -> RegisterScope:
    if isinstance(agencies, QuerySet):
        agencies = agencies.select_related("parent", "one_stop_desk")
    if field is not None and not isinstance(field, Field):
        field = Field.objects.get(pk=field)
    return RegisterScope(list(agencies), field, start, end)


# --- exports ---------------------------------------------------------------------------


def register_pdf(
    *, agencies: Iterable[Agency] | QuerySet[Agency], field=None, start: date, end: date
) -> bytes:
    """The register on A4 landscape; the table header repeats on every page."""
    scope = _scope(agencies, field, start, end)
    dossiers = register_queryset(agencies=scope.agencies, field=field, start=start, end=end)
    dossiers = _limited(dossiers, pdf_max_rows(), "PDF")
    with translation.override("vi"):
        rows = list(rows_of(dossiers))
    desks = {agency.one_stop_desk.name for agency in scope.agencies if agency.one_stop_desk_id}
    parent = scope.agencies[0].parent if len(scope.agencies) == 1 else None
    context = {
        "page_size": A4_LANDSCAPE,
        "scope": scope,
        "rows": rows,
        "parent_body": parent.name if parent else settings.TTHC["PROVINCE_NAME"],
        "section": "; ".join(sorted(desks)) or scope.agency_names,
        "number": f"{scope.book}/{NUMBER_SUFFIX}",
        "issued_on": format_long_date(timezone.now()),
    }
    return render_template_pdf(f"{TEMPLATE_DIR}/07_register.html", context)


def register_xlsx(
    *, agencies: Iterable[Agency] | QuerySet[Agency], field=None, start: date, end: date
) -> bytes:
    """The register as a workbook: title block, bold header row, real dates."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    scope = _scope(agencies, field, start, end)
    dossiers = register_queryset(agencies=scope.agencies, field=field, start=start, end=end)
    # Fetched (or refused) before the workbook exists: a write-only sheet left
    # unfinished by an exception cannot be closed cleanly.
    dossiers = _limited(dossiers, export_max_rows(), "Excel")
    with translation.override("vi"):
        rows = list(rows_of(dossiers))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("So theo doi ho so")
    for index, (_title, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "C6"
    # A write-only sheet streams its rows: every cell is built by the shared writer.
    xlsx_append(sheet, [xlsx_cell(sheet, "SỔ THEO DÕI HỒ SƠ", bold=True, wrap=True)])
    xlsx_append(sheet, [f"Số: {scope.book}/{NUMBER_SUFFIX}"])
    xlsx_append(sheet, [f"Cơ quan tiếp nhận: {scope.agency_names}"])
    field_text = f"; lĩnh vực: {scope.field.name}" if scope.field is not None else ""
    xlsx_append(sheet, [f"Thời gian tiếp nhận: {scope.period}{field_text}"])
    xlsx_append(sheet, [xlsx_cell(sheet, title, bold=True, wrap=True) for title, _w in COLUMNS])

    def when(value: datetime | None):
        # Excel has no time zones: local wall-clock time, as printed on the papers.
        local = timezone.localtime(value).replace(tzinfo=None) if value else None
        return xlsx_cell(sheet, local, number_format="dd/mm/yyyy hh:mm")

    for row in rows:
        xlsx_append(
            sheet,
            [
                row.number, row.code, xlsx_cell(sheet, row.procedure, wrap=True), row.applicant,
                xlsx_cell(sheet, row.contact, wrap=True), row.agency,
                when(row.received_at), when(row.due_at), when(row.original_due_at),
                when(row.returned_at), row.return_method, row.returned_to,
            ],
        )  # fmt: skip
    return xlsx_bytes(workbook)


def register_csv(
    *, agencies: Iterable[Agency] | QuerySet[Agency], field=None, start: date, end: date
) -> str:
    """UTF-8 text with a byte-order mark, so Excel reads the Vietnamese letters."""
    dossiers = register_queryset(agencies=agencies, field=field, start=start, end=end)
    dossiers = _limited(dossiers, export_max_rows(), "CSV")
    with translation.override("vi"):
        rows = list(rows_of(dossiers))
    return csv_write((row.cells() for row in rows), [title for title, _width in COLUMNS])
