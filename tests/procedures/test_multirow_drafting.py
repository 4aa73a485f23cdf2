"""Drafting adds and removes rows of components, fees and steps in one POST, and an
error anywhere keeps everything the specialist typed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from procedures.forms import EMPTY_ROWS
from procedures.services.versions import version_create_draft
from tests.procedures.drafting import page_post_data
from tests.procedures.factories import published_procedure
from tests.support.province import HEALTH

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(province, users):
    procedure = published_procedure(
        implementing_agency=province[HEALTH],
        time_limit=Decimal(4),
        components=[{"name": "Đơn cũ thứ nhất"}, {"name": "Đơn cũ thứ hai"}],
        fees=[{"name": "Phí cũ", "amount_vnd": 50_000, "unit": "hồ sơ"}],
        steps=[{"name": "Bước cũ", "budget": Decimal(4)}],
    )
    return version_create_draft(actor=users["chuyenvien.yte"], base=procedure.current_version)


def _fill(data: dict, relation: str, index: int, **values) -> None:
    for key, value in values.items():
        data[f"{relation}-{index}-{key}"] = value


def test_page_offers_empty_rows_and_a_row_template_without_saving(client, users, draft):
    client.force_login(users["chuyenvien.yte"])
    response = client.get(reverse("procedures:version", args=[draft.pk]))
    html = response.content.decode()
    formsets = response.context["formsets"]
    assert len(formsets["components"].forms) == 2 + EMPTY_ROWS
    assert len(formsets["fees"].forms) == 1 + EMPTY_ROWS
    assert len(formsets["steps"].forms) == 1 + EMPTY_ROWS
    # Without JS: the empty rows; with JS: a template the script copies, and its buttons.
    assert 'id="id_components-4-name"' in html
    assert "<template data-formset-empty>" in html and "components-__prefix__-name" in html
    assert "js/formset-rows.js" in html and "Thêm dòng" in html


def test_one_post_adds_and_removes_rows_of_every_list(client, users, draft):
    client.force_login(users["chuyenvien.yte"])
    url = reverse("procedures:version", args=[draft.pk])
    data = page_post_data(client.get(url))
    data["components-0-DELETE"] = "on"  # drop "Đơn cũ thứ nhất"
    _fill(data, "components", 2, order="3", name="Giấy tờ mới A", count="1")
    _fill(data, "components", 3, order="4", name="Giấy tờ mới B", count="2")
    _fill(data, "fees", 1, kind="charge", name="Lệ phí mới", amount_vnd="20000", unit="bản")
    # One more row than the page offered, as the script adds it.
    data["steps-TOTAL_FORMS"] = str(1 + EMPTY_ROWS + 1)
    data["steps-0-budget"] = "1"
    for index, (name, budget) in enumerate(
        [("Thẩm định", "1"), ("Trình ký", "1"), ("Đóng dấu", "0.5"), ("Vào sổ", "0.5")], start=1
    ):
        _fill(data, "steps", index, order=str(index + 1), name=name, actor_role="specialist",
              budget=budget, budget_unit="working_days", counted="on")  # fmt: skip
    response = client.post(url, data, follow=True)
    assert "Đã lưu dự thảo." in response.content.decode()
    draft.refresh_from_db()
    assert [c.name for c in draft.components.all()] == [
        "Đơn cũ thứ hai",
        "Giấy tờ mới A",
        "Giấy tờ mới B",
    ]
    assert [(f.name, f.unit) for f in draft.fees.all()] == [
        ("Phí cũ", "hồ sơ"),
        ("Lệ phí mới", "bản"),
    ]
    assert [s.name for s in draft.steps.all()] == [
        "Bước cũ",
        "Thẩm định",
        "Trình ký",
        "Đóng dấu",
        "Vào sổ",
    ]
    assert sum(s.budget for s in draft.steps.all()) == Decimal(4)


def test_an_error_in_one_row_saves_nothing_and_keeps_every_row(client, users, draft):
    client.force_login(users["chuyenvien.yte"])
    url = reverse("procedures:version", args=[draft.pk])
    data = page_post_data(client.get(url))
    data["name"] = "Tên đã sửa nhưng chưa lưu"
    _fill(data, "components", 2, order="3", name="Giấy tờ đang nhập", count="1")
    _fill(data, "fees", 1, name="Lệ phí đang nhập", amount_vnd="không phải số")
    _fill(data, "steps", 1, order="2", name="Bước đang nhập", actor_role="specialist", budget="1")
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Vui lòng sửa các lỗi được đánh dấu bên dưới." in html
    for typed in [
        'value="Tên đã sửa nhưng chưa lưu"',
        "Giấy tờ đang nhập</textarea>",
        'value="Lệ phí đang nhập"',
        'value="không phải số"',
        'value="Bước đang nhập"',
    ]:
        assert typed in html, typed
    assert response.context["formsets"]["fees"].errors[1]
    draft.refresh_from_db()
    assert draft.name != "Tên đã sửa nhưng chưa lưu"
    assert draft.components.count() == 2 and draft.fees.count() == 1 and draft.steps.count() == 1
