"""The head's review page shows the whole draft with its changes against the version in force."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from procedures.models import OnlineLevel
from procedures.services.publication import version_transition_in_task
from procedures.services.versions import CHILD_FIELDS, version_create_draft, version_update
from tests.procedures.factories import published_procedure
from tests.support.province import HEALTH

pytestmark = pytest.mark.django_db

STEPS = [
    {"name": "Tiếp nhận hồ sơ", "budget": Decimal(1)},
    {"name": "Thẩm định hồ sơ", "budget": Decimal(8)},
    {"name": "Lãnh đạo ký", "budget": Decimal(1)},
]


def _rows(version, relation: str) -> list[dict]:
    fields = CHILD_FIELDS[relation]
    return [{f: getattr(row, f) for f in fields} for row in getattr(version, relation).all()]


def submitted_amendment(province, users, components: int = 3):
    """A published procedure of the Department of Health and a submitted amendment that
    adds, removes and changes rows of every list and some fields."""
    procedure = published_procedure(
        implementing_agency=province[HEALTH],
        time_limit=Decimal(10),
        components=[{"name": f"Giấy tờ số {i}"} for i in range(components)],
        fees=[{"name": "Phí thẩm định", "amount_vnd": 1_400_000}],
        legal_bases=[{"title": "Nghị định 63/2010/NĐ-CP"}],
        steps=STEPS,
        online_level=OnlineLevel.PARTIAL,
    )
    specialist = users["chuyenvien.yte"]
    draft = version_create_draft(actor=specialist, base=procedure.current_version)
    components_rows = _rows(draft, "components")[1:]  # the first document is dropped
    components_rows.append({"order": 9, "name": "Tờ khai điện tử (mới)", "count": 1})
    fees = _rows(draft, "fees")
    fees[0]["amount_vnd"] = 1_000_000
    steps = _rows(draft, "steps")
    steps[1]["actor_text"] = "Chuyên viên phòng Nghiệp vụ"
    draft = version_update(
        actor=specialist,
        version=draft,
        content={"online_level": OnlineLevel.FULL, "channel_online": True},
        children={
            "components": components_rows,
            "fees": fees,
            "legal_bases": [*_rows(draft, "legal_bases"), {"title": "Nghị định 118/2025/NĐ-CP"}],
            "steps": steps,
        },
    )
    version_transition_in_task(actor=specialist, version=draft, action="submit")
    return procedure, draft


def _row(html: str, testid: str, text: str) -> str:
    section = html.split(f'data-testid="{testid}"', 1)[1]
    for row in re.findall(
        r"<tr class=\"diff-[a-z]+\" data-state=\"[a-z]+\">.*?</tr>", section, re.S
    ):
        if text in row:
            return row
    raise AssertionError(f"no row with {text!r} in {testid}")


def test_head_sees_every_part_with_added_removed_and_changed_marked(client, province, users):
    procedure, draft = submitted_amendment(province, users)
    client.force_login(users["lanhdao.yte"])
    response = client.get(reverse("procedures:version", args=[draft.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="approve"' in html
    assert f"So sánh với phiên bản {procedure.current_version.number}" in html

    # Fields: the online level changed (old struck through, new inserted), with a label.
    online = _row(html, "diff-fields", "Mức độ trực tuyến")
    assert 'data-state="changed"' in online and "Sửa đổi" in online
    assert "<del>Một phần</del>" in online and "<ins>Toàn trình</ins>" in online
    # Unchanged content is shown too (the whole record, not only the changes).
    assert 'data-state="same"' in _row(html, "diff-fields", "Thời hạn giải quyết")

    added = _row(html, "diff-components", "Tờ khai điện tử (mới)")
    assert 'data-state="added"' in added and "Thêm mới" in added and "<ins>" in added
    removed = _row(html, "diff-components", "Giấy tờ số 0")
    assert 'data-state="removed"' in removed and ">Bỏ<" in removed and "<del>" in removed
    assert 'data-state="same"' in _row(html, "diff-components", "Giấy tờ số 1")

    fee = _row(html, "diff-fees", "Phí thẩm định")
    assert 'data-state="changed"' in fee
    assert "<del>1.400.000</del>" in fee and "<ins>1.000.000</ins>" in fee
    assert 'data-state="added"' in _row(html, "diff-legal_bases", "118/2025")
    step = _row(html, "diff-steps", "Thẩm định hồ sơ")
    assert 'data-state="changed"' in step and "<ins>Chuyên viên phòng Nghiệp vụ</ins>" in step


def test_new_procedure_is_shown_whole_without_a_comparison(client, province, users):
    specialist = users["chuyenvien.yte"]
    field = published_procedure(implementing_agency=province[HEALTH]).current_version.field
    draft = version_create_draft(
        actor=specialist,
        code="9.990001",
        content={
            "name": "Thủ tục mới hoàn toàn", "field": field, "level": "province",
            "implementing_agency": province[HEALTH], "steps_text": "Nộp; thẩm định; trả.",
            "applicant_types": ["citizen"], "time_limit": Decimal(1),
        },
        children={
            "components": [{"order": 1, "name": "Đơn đề nghị", "count": 1}],
            "steps": [{"order": 1, "name": "Thẩm định", "actor_role": "specialist",
                       "budget": Decimal(1)}],
        },
    )  # fmt: skip
    version_transition_in_task(actor=specialist, version=draft, action="submit")
    client.force_login(users["lanhdao.yte"])
    html = client.get(reverse("procedures:version", args=[draft.pk])).content.decode()
    assert "chưa có phiên bản đang áp dụng để so sánh" in html
    assert "Đơn đề nghị" in html and "<ins>" not in html
    # Outside the head's scope the draft does not exist.
    client.force_login(users["lanhdao.tuphap"])
    assert client.get(reverse("procedures:version", args=[draft.pk])).status_code == 404


def _queries(client, users, province, components: int) -> int:
    _procedure, draft = submitted_amendment(province, users, components=components)
    client.force_login(users["lanhdao.yte"])
    url = reverse("procedures:version", args=[draft.pk])
    client.get(url)  # warm the session and permission caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_review_page_queries_do_not_grow_with_the_rows(client, province, users):
    small = _queries(client, users, province, components=2)
    large = _queries(client, users, province, components=25)
    assert small == large
    assert large <= 30
