"""Periodic report (form II.06a shape) by field and by receiving unit."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from dossiers.models import Status
from indicators.exports import periodic_csv, periodic_xlsx
from indicators.models import IndexRuleSet
from indicators.services import IndicatorError
from indicators.services.periodic_report import (
    periodic_report,
)
from tests.indicators.conftest import at

pytestmark = pytest.mark.django_db
START, END = date(2025, 4, 1), date(2025, 4, 30)


@pytest.fixture
def dossiers(build, commune, procedures):
    done = {"status": Status.RETURNED}
    b = build
    return {
        # received in April online; finished the evening before the due date (local): early
        "early": b.dossier(
            channel=2, received_at=at(4, 1), due_at=at(4, 8, 17),
            completed_at=at(4, 7, 23), **done,
        ),
        # finished at 00:30 on the due date (still the 7th in UTC): on time, not early
        "on_time": b.dossier(
            channel=3, received_at=at(4, 2), due_at=at(4, 9, 17),
            completed_at=at(4, 9, 0), **done,
        ),
        "late": b.dossier(
            channel=1, fee=True, received_at=at(4, 3), due_at=at(4, 10, 17),
            completed_at=at(4, 11, 9), **done,
        ),
        # two supplement requests: late although finished early
        "twice": b.dossier(
            channel=1, fee=True, received_at=at(4, 3), due_at=at(4, 20, 17),
            completed_at=at(4, 10, 9), **done,
        ),
        "open_ok": b.dossier(
            channel=2, received_at=at(4, 25), due_at=at(5, 6, 17), status=Status.IN_PROCESSING
        ),
        "open_late": b.dossier(
            channel=1, received_at=at(4, 14), due_at=at(4, 24, 17), status=Status.IN_PROCESSING
        ),
        # carried over from March, finished in April on time
        "carried": b.dossier(
            channel=1, fee=True, received_at=at(3, 25), due_at=at(4, 4, 17),
            completed_at=at(4, 4, 10), **done,
        ),
        # neither: finished in March; received in May
        "before": b.dossier(
            channel=1, received_at=at(3, 3), due_at=at(3, 10, 17),
            completed_at=at(3, 5), **done,
        ),
        "after": b.dossier(
            channel=1, received_at=at(5, 2), due_at=at(5, 10, 17), status=Status.IN_PROCESSING
        ),
    }  # fmt: skip


def _supplements(build, dossiers):
    twice = dossiers["twice"]
    build.supplement(twice, at(4, 4), at(4, 5))
    build.supplement(twice, at(4, 6), at(4, 7))


def test_by_field_with_a_total_row(dossiers, build, procedures):
    _supplements(build, dossiers)
    rows = periodic_report(start=START, end=END, group_by="field")
    total = rows[-1]
    assert total.is_total and total.key is None
    assert (total.received_online, total.received_offline, total.carried_over) == (2, 4, 1)
    assert (total.processed_early, total.processed_on_time, total.processed_late) == (1, 2, 2)
    assert (total.in_progress_on_time, total.in_progress_overdue) == (1, 1)
    assert total.received_total == total.processed_total + total.in_progress_total == 7
    assert total.on_time_percent == 60
    by_field = {r.key: r for r in rows[:-1]}
    fee_field = procedures["fee"].field_id
    free_field = procedures["free"].field_id
    assert set(by_field) == {fee_field, free_field}
    fee = by_field[fee_field]
    assert (fee.received_offline, fee.carried_over, fee.processed_late, fee.processed_on_time) == (
        2,
        1,
        2,
        1,
    )
    assert fee.name == procedures["fee"].field.name
    for name in ("received_online", "processed_early", "in_progress_overdue"):
        assert getattr(total, name) == sum(getattr(r, name) for r in rows[:-1])


def test_by_agency_scoped_in_a_fixed_number_of_queries(dossiers, commune, build):
    other = build.commune.parent
    with CaptureQueriesContext(connection) as ctx:
        rows = periodic_report(start=START, end=END, group_by="agency", agency_ids=[commune.pk])
    # rule set, agency scope, drop + fill + aggregate + drop of the temporary table,
    # names; PostgreSQL also switches JIT off and back around the fill.
    assert len(ctx.captured_queries) == 7 + 2 * (connection.vendor == "postgresql")
    assert [(r.key, r.name) for r in rows[:-1]] == [(commune.pk, commune.name)]
    assert rows[-1].received_total == 7
    assert (
        periodic_report(start=START, end=END, group_by="agency", agency_ids=[other.pk])[
            -1
        ].received_total
        == 7
    )  # the province's subtree holds the commune
    sibling = build.commune.__class__.objects.create(
        name="Xã B", code="000.99.99.T99", kind="commune", parent=other
    )
    assert (
        periodic_report(start=START, end=END, group_by="agency", agency_ids=[sibling.pk])[
            -1
        ].received_total
        == 0
    )


def test_early_split_is_configurable(dossiers, build):
    _supplements(build, dossiers)
    IndexRuleSet.objects.update(early_rule="none")
    total = periodic_report(start=START, end=END, group_by="field")[-1]
    assert (total.processed_early, total.processed_on_time) == (0, 3)


def test_files(dossiers):
    rows = periodic_report(start=START, end=END, group_by="field")
    text = periodic_csv(rows)
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0][:3] == ["STT", "Mã", "Lĩnh vực / đơn vị"]
    assert lines[-1][2] == "Tổng cộng" and lines[-1][3] == "7"
    book = load_workbook(io.BytesIO(periodic_xlsx(rows, title="Tháng 4/2025")))
    sheet = book.active
    assert sheet["A1"].value == "Tháng 4/2025"
    assert sheet["C2"].value == "Số hồ sơ nhận giải quyết"
    assert sheet["H3"].value == "Trước hạn"
    last = sheet.max_row
    assert sheet.cell(last, 2).value == "Tổng cộng" and sheet.cell(last, 3).value == 7
    assert sheet.cell(last, 13).value == 1  # in progress, overdue


def test_bad_input_is_explained(db):
    with pytest.raises(IndicatorError, match="lĩnh vực hoặc theo đơn vị"):
        periodic_report(start=START, end=END, group_by="procedure")
    with pytest.raises(IndicatorError, match="Ngày kết thúc"):
        periodic_report(start=END, end=START - timedelta(days=1), group_by="field")
