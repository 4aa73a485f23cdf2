"""A procedure without a code or a classification (field and level) cannot go to the head."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from procedures.models import VersionStatus
from procedures.services import ProcedureError
from procedures.services.importing import _field_for
from procedures.services.publication import version_transition_in_task
from procedures.services.validation import UNCLASSIFIED_FIELD_NAME
from procedures.services.versions import version_create_draft, version_update
from tests.procedures.drafting import page_post_data
from tests.procedures.factories import FieldFactory, published_procedure
from tests.support.province import HEALTH

pytestmark = pytest.mark.django_db

NO_CODE = "Thủ tục chưa có mã TTHC."
UNCLASSIFIED = "Thủ tục chưa được phân loại lĩnh vực."


def new_draft(province, users, *, code: str | None = None, classified: bool = False):
    """A new procedure's draft, complete in every constituent part and workflow."""
    field = FieldFactory() if classified else _field_for(UNCLASSIFIED_FIELD_NAME)
    return version_create_draft(
        actor=users["chuyenvien.yte"],
        code=code,
        content={
            "name": "Cấp giấy phép thử nghiệm chưa có mã", "field": field, "level": "province",
            "implementing_agency": province[HEALTH], "steps_text": "Nộp; thẩm định; trả.",
            "applicant_types": ["citizen"], "time_limit": Decimal(2),
        },
        children={
            "components": [{"order": 1, "name": "Đơn đề nghị", "count": 1}],
            "steps": [{"order": 1, "name": "Thẩm định", "actor_role": "specialist",
                       "budget": Decimal(2)}],
        },
    )  # fmt: skip


def test_service_refuses_submission_without_code_or_field(province, users):
    draft = new_draft(province, users)
    with pytest.raises(ProcedureError) as refused:
        version_transition_in_task(actor=users["chuyenvien.yte"], version=draft, action="submit")
    assert refused.value.message == "Phiên bản chưa đủ điều kiện để trình."
    assert refused.value.errors[:2] == [NO_CODE, UNCLASSIFIED]
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_code_alone_is_not_enough_nor_the_field_alone(province, users):
    coded = new_draft(province, users, code="9.880001")
    with pytest.raises(ProcedureError) as refused:
        version_transition_in_task(actor=users["chuyenvien.yte"], version=coded, action="submit")
    assert refused.value.errors == [UNCLASSIFIED]
    classified = new_draft(province, users, classified=True)
    with pytest.raises(ProcedureError) as refused:
        version_transition_in_task(
            actor=users["chuyenvien.yte"], version=classified, action="submit"
        )
    assert refused.value.errors == [NO_CODE]
    # With both, the same draft is accepted.
    version_update(actor=users["chuyenvien.yte"], version=classified, code="9.880002")
    version = version_transition_in_task(
        actor=users["chuyenvien.yte"], version=classified, action="submit"
    )
    assert version.status == VersionStatus.SUBMITTED


def test_refusal_is_shown_on_the_page_and_the_code_is_given_in_the_draft(client, province, users):
    draft = new_draft(province, users)
    client.force_login(users["chuyenvien.yte"])
    url = reverse("procedures:version", args=[draft.pk])
    page = client.get(url)
    html = page.content.decode()
    assert NO_CODE in html and UNCLASSIFIED in html  # listed before submitting
    refused = client.post(
        reverse("procedures:version_action", args=[draft.pk, "submit"]), follow=True
    )
    assert NO_CODE in refused.content.decode()
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT

    # The specialist enters the code and picks the field on the drafting page.
    taken = published_procedure().code
    data = page_post_data(page)
    data.update({"procedure_code": taken, "field": FieldFactory().pk, "submit": "1"})
    response = client.post(url, data)
    assert f"Mã TTHC {taken} đã được dùng cho thủ tục khác." in response.content.decode()
    assert f'value="{taken}"' in response.content.decode()  # what was typed is kept
    data["procedure_code"] = "9.880003"
    response = client.post(url, data, follow=True)
    assert "Đã trình lãnh đạo phê duyệt." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == VersionStatus.SUBMITTED
    assert draft.procedure.code == "9.880003"


def test_an_existing_code_is_not_edited_in_a_draft(province, users):
    procedure = published_procedure(implementing_agency=province[HEALTH])
    draft = version_create_draft(actor=users["chuyenvien.yte"], base=procedure.current_version)
    with pytest.raises(ProcedureError, match="không sửa mã trong dự thảo"):
        version_update(actor=users["chuyenvien.yte"], version=draft, code="9.999998")
