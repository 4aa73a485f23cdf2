"""The staff publication API: decision → tasks → draft → approval → chairman's decision."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from portal_site.demo import seed_accounts, seed_agencies
from procedures.models import (
    Field,
    Procedure,
    ProcedureVersion,
    PublicationItem,
    PublicationTask,
    TaskStatus,
    VersionStatus,
)
from procedures.services.importing import procedures_import

pytestmark = pytest.mark.django_db

HEALTH = "000.00.11.H99"
JUSTICE = "000.00.10.H99"
DECISIONS = reverse("procedures_api:publication-decision-create")
TASKS = reverse("procedures_api:publication-task-list")

COMPLETE_CONTENT = {
    "steps_text": "Nộp hồ sơ tại Trung tâm Phục vụ hành chính công; nhận kết quả.",
    "applicant_types": ["citizen", "business"],
    "channel_online": True,
    "online_level": "partial",
    "time_limit": "5",
    "time_unit": "working_days",
    "components": [
        {"order": 1, "name": "Đơn đề nghị (Mẫu 01)", "copy_kind": "original"},
        {"order": 2, "name": "Bản sao giấy chứng nhận", "copy_kind": "certified_copy"},
    ],
    "fees": [{"kind": "fee", "name": "Phí thẩm định", "amount_vnd": 500000}],
    "legal_bases": [{"title": "Thông tư số 21/2025/TT-BYT ngày 27/6/2025"}],
}
# 0.5 + 3 + 1 = 4.5 working days: one half-day short of the 5-day limit.
UNBALANCED_STEPS = [
    {"order": 1, "name": "Tiếp nhận hồ sơ", "actor_role": "desk_officer", "budget": "0.5"},
    {"order": 2, "name": "Thẩm định hồ sơ", "actor_role": "specialist", "budget": "3"},
    {"order": 3, "name": "Lãnh đạo Sở phê duyệt", "actor_role": "department_head", "budget": "1"},
]
BALANCED_STEPS = [*UNBALANCED_STEPS[:2], {**UNBALANCED_STEPS[2], "budget": "1.5"}]


@pytest.fixture
def province(holiday_calendar):
    agencies = seed_agencies()
    seed_accounts(agencies)
    Field.objects.create(code="LV-GD", name="Giám định")
    return agencies


def login(username: str | None) -> APIClient:
    api = APIClient()
    if username:
        api.force_authenticate(get_user_model().objects.get(username=username))
    return api


def item_draft(pk: int) -> str:
    return reverse("procedures_api:publication-item-draft", args=[pk])


def version_url(pk: int, action: str = "") -> str:
    name = f"publication-version-{action}" if action else "publication-version-detail"
    return reverse(f"procedures_api:{name}", args=[pk])


def task_url(pk: int, decision: bool = False) -> str:
    name = "publication-task-decision" if decision else "publication-task-detail"
    return reverse(f"procedures_api:{name}", args=[pk])


def record_decision(items: list[dict], **overrides) -> dict:
    payload = {
        "number": "3574/QĐ-BYT",
        "decision_date": "2025-11-19",
        "issuing_body": "Bộ Y tế",
        "legal_basis_effective_date": "2025-12-01",
        "summary": "Sửa đổi, bổ sung thủ tục lĩnh vực giám định",
        "items": items,
        **overrides,
    }
    response = login("vanphong").post(DECISIONS, payload, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


NEW_ITEM = {
    "procedure_name": "Cấp giấy xác nhận giám định viên tư pháp",
    "change_type": "new",
    "responsible_agency": HEALTH,
}


def test_recording_a_decision_opens_tasks_with_working_day_deadlines(province):
    body = record_decision(
        [NEW_ITEM, {**NEW_ITEM, "procedure_name": "Cấp lại giấy xác nhận"}],
    )
    assert body["number"] == "3574/QĐ-BYT"
    assert len(body["items"]) == 2
    [task] = body["tasks"]  # both items belong to the Department of Health
    assert task["agency"]["code"] == HEALTH
    # publication.md §2: 19/11/2025 + 4 WD → 25/11; + 7 WD → 28/11 (real calendar).
    assert task["list_due"] == "2025-11-25"
    assert task["workflow_due"] == "2025-11-28"
    # Legal basis effective 01/12/2025 − 5 WD → 24/11/2025.
    assert task["decision_due"] == "2025-11-24"
    assert task["status"] == "open"
    deadlines = {d["key"]: d for d in task["deadlines"]}
    assert deadlines["list"]["due"] == "2025-11-25"
    assert deadlines["list"]["state"] == "overdue"  # nothing done, and 2025 is past
    assert deadlines["posting"]["state"] == "n/a"
    assert task["overall_state"] == "overdue"

    stored = PublicationTask.objects.get(pk=task["id"])
    assert (stored.list_due, stored.workflow_due) == (date(2025, 11, 25), date(2025, 11, 28))

    listed = login("lanhdao.yte").get(TASKS).json()
    assert [t["id"] for t in listed["results"]] == [task["id"]]
    assert listed["results"][0]["deadlines"][1]["label"] == "Phê duyệt quy trình nội bộ"


def test_decision_input_is_validated(province):
    staff = login("vanphong")
    response = staff.post(
        DECISIONS,
        {
            "number": "1/QĐ-BYT",
            "decision_date": "2025-11-19",
            "issuing_body": "Bộ Y tế",
            "items": [{**NEW_ITEM, "responsible_agency": "000.99.99.X00"}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "Dữ liệu gửi lên không hợp lệ."
    assert "items.0.responsible_agency" in response.json()["errors"][0]

    response = staff.post(
        DECISIONS,
        {"number": "1", "decision_date": "2025-11-19", "issuing_body": "Bộ", "items": []},
        format="json",
    )
    assert response.status_code == 400

    # A service refusal: amending a procedure the catalogue does not have.
    response = staff.post(
        DECISIONS,
        {
            "number": "2/QĐ-BYT",
            "decision_date": "2025-11-19",
            "issuing_body": "Bộ Y tế",
            "items": [
                {
                    "procedure_code": "1.999999",
                    "change_type": "amended",
                    "responsible_agency": HEALTH,
                }
            ],
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Không tìm thấy thủ tục mã 1.999999 trong danh mục để sửa đổi, bổ sung.",
        "errors": [],
    }
    assert not PublicationTask.objects.exists()


def test_only_provincial_staff_record_decisions(province):
    payload = {
        "number": "3/QĐ-BYT",
        "decision_date": "2025-11-19",
        "issuing_body": "Bộ Y tế",
        "items": [NEW_ITEM],
    }
    for username in ("chuyenvien.yte", "lanhdao.yte", "001085012345", None):
        response = login(username).post(DECISIONS, payload, format="json")
        assert response.status_code == 403, username
    assert not PublicationTask.objects.exists()


def test_other_agencies_get_404_on_the_task_and_its_items(province):
    body = record_decision([NEW_ITEM])
    task_id, item_id = body["tasks"][0]["id"], body["items"][0]["id"]
    outsider = login("chuyenvien.tuphap")
    assert outsider.get(TASKS).json()["count"] == 0
    assert outsider.get(task_url(task_id)).status_code == 404
    response = outsider.post(item_draft(item_id))
    assert response.status_code == 404
    assert response.json()["detail"] == "Không tìm thấy."
    assert outsider.post(task_url(task_id, decision=True), {}, format="json").status_code == 404
    assert PublicationItem.objects.get(pk=item_id).version_id is None

    # The department's own draft is invisible to the other department too.
    version_id = login("chuyenvien.yte").post(item_draft(item_id)).json()["id"]
    assert outsider.get(version_url(version_id)).status_code == 404
    assert outsider.patch(version_url(version_id), {"name": "x"}, format="json").status_code == 404
    assert outsider.post(version_url(version_id, "submit")).status_code == 404
    # The provincial office oversees every department.
    assert login("vanphong").get(version_url(version_id)).status_code == 200


def test_citizens_and_anonymous_users_are_refused_everywhere(province):
    body = record_decision([NEW_ITEM])
    task_id, item_id = body["tasks"][0]["id"], body["items"][0]["id"]
    version_id = login("chuyenvien.yte").post(item_draft(item_id)).json()["id"]
    for username in ("001085012345", None):
        api = login(username)
        calls = [
            api.get(TASKS),
            api.get(task_url(task_id)),
            api.post(task_url(task_id, decision=True), {}, format="json"),
            api.post(item_draft(item_id)),
            api.get(version_url(version_id)),
            api.patch(version_url(version_id), {"name": "x"}, format="json"),
            api.post(version_url(version_id, "submit")),
            api.post(version_url(version_id, "approve")),
        ]
        assert {c.status_code for c in calls} <= {403, 404}, username
    citizen = login("001085012345").get(TASKS).json()
    assert citizen["detail"] == "Chức năng này chỉ dành cho cán bộ, công chức của đơn vị."
    assert login(None).get(TASKS).json()["detail"] == (
        "Vui lòng đăng nhập để sử dụng chức năng này."
    )


def test_full_chain_through_the_api(province):
    body = record_decision([NEW_ITEM])
    task_id, item_id = body["tasks"][0]["id"], body["items"][0]["id"]
    specialist, head, office = login("chuyenvien.yte"), login("lanhdao.yte"), login("vanphong")

    # The specialist opens the draft; asking again returns the same draft.
    response = specialist.post(item_draft(item_id))
    assert response.status_code == 201
    draft = response.json()
    assert draft["status"] == "draft"
    assert draft["name"] == NEW_ITEM["procedure_name"]
    assert draft["implementing_agency"]["code"] == HEALTH
    assert draft["problems"]  # nothing filled in yet
    again = specialist.post(item_draft(item_id))
    assert again.status_code == 200
    assert again.json()["id"] == draft["id"]
    assert PublicationTask.objects.get(pk=task_id).status == TaskStatus.DRAFTING

    # Fill in the content, with a workflow half a day short of the time limit.
    response = specialist.patch(
        version_url(draft["id"]),
        {
            **COMPLETE_CONTENT,
            "field": "LV-GD",
            "steps": UNBALANCED_STEPS,
            "procedure_code": "1.099001",
        },  # a new procedure is submitted with its code
        format="json",
    )
    assert response.status_code == 200, response.json()
    version = response.json()
    assert version["field"]["code"] == "LV-GD"
    assert [c["name"] for c in version["components"]] == [
        "Đơn đề nghị (Mẫu 01)",
        "Bản sao giấy chứng nhận",
    ]
    assert [s["budget"] for s in version["steps"]] == ["0.50", "3.00", "1.00"]

    # Submitting an unbalanced workflow is refused, in Vietnamese, with the reason.
    response = specialist.post(version_url(draft["id"], "submit"), {}, format="json")
    assert response.status_code == 400
    refusal = response.json()
    assert refusal["detail"] == "Phiên bản chưa đủ điều kiện để trình."
    assert refusal["errors"] == [
        "Tổng thời gian các bước là 36 giờ làm việc (4,5 ngày), "
        "không bằng thời hạn giải quyết 40 giờ (5 ngày)."
    ]
    assert ProcedureVersion.objects.get(pk=draft["id"]).status == VersionStatus.DRAFT

    # Only the steps are sent: the other child lists stay as they were.
    response = specialist.patch(version_url(draft["id"]), {"steps": BALANCED_STEPS}, format="json")
    assert response.status_code == 200
    assert response.json()["problems"] == []
    assert len(response.json()["components"]) == 2

    response = specialist.post(version_url(draft["id"], "submit"), {}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "submitted"
    assert PublicationTask.objects.get(pk=task_id).status == TaskStatus.AWAITING_APPROVAL

    # A submitted version is no longer editable; a specialist cannot approve.
    response = specialist.patch(version_url(draft["id"]), {"name": "Tên khác"}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Chỉ sửa được phiên bản ở trạng thái dự thảo.")
    assert specialist.post(version_url(draft["id"], "approve")).status_code == 403

    response = head.post(version_url(draft["id"], "approve"), {"note": "Đồng ý"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    task = PublicationTask.objects.get(pk=task_id)
    assert task.status == TaskStatus.APPROVED
    assert task.workflow_done_on == timezone.localdate()

    # Only the provincial office records the chairman's decision.
    today = timezone.localdate()
    decision = {
        "number": "1973/QĐ-UBND",
        "decision_date": today.isoformat(),
        "effective_date": today.isoformat(),
    }
    assert head.post(task_url(task_id, decision=True), decision, format="json").status_code == 403
    response = office.post(task_url(task_id, decision=True), decision, format="json")
    assert response.status_code == 200, response.json()
    published = response.json()
    assert published["status"] == "published"
    assert published["chairman_decision_number"] == "1973/QĐ-UBND"
    assert {d["key"]: d["state"] for d in published["deadlines"]}["posting"] == "on_time"

    version = ProcedureVersion.objects.select_related("procedure").get(pk=draft["id"])
    assert version.status == VersionStatus.PUBLISHED
    assert version.valid_from == today
    assert version.procedure.current_version_id == version.pk
    # …and the citizen sees it in the public catalogue.
    public = APIClient().get(
        reverse("procedures_api:catalogue-procedure-detail", args=[version.procedure_id])
    )
    assert public.status_code == 200
    assert [s["name"] for s in public.json()["workflow_steps"]][-1] == "Lãnh đạo Sở phê duyệt"

    # Recording it twice is refused.
    response = office.post(task_url(task_id, decision=True), decision, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "Nhiệm vụ này đã được ghi nhận quyết định công bố."


def test_returning_needs_a_reason(province):
    body = record_decision([NEW_ITEM])
    specialist, head = login("chuyenvien.yte"), login("lanhdao.yte")
    version_id = specialist.post(item_draft(body["items"][0]["id"])).json()["id"]
    specialist.patch(
        version_url(version_id),
        {**COMPLETE_CONTENT, "steps": BALANCED_STEPS, "field": "LV-GD",
         "procedure_code": "1.099002"},  # a new procedure needs its code and field
        format="json",
    )  # fmt: skip
    assert specialist.post(version_url(version_id, "submit")).status_code == 200

    response = head.post(version_url(version_id, "return"), {"note": "  "}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "Vui lòng ghi rõ lý do trả lại."
    response = head.post(
        version_url(version_id, "return"), {"note": "Bổ sung mẫu đơn"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "draft"
    assert response.json()["review_note"] == "Bổ sung mẫu đơn"


def test_amendment_with_a_future_effective_date_keeps_the_current_version(province):
    report = procedures_import(
        [
            {
                "code": "1.013871",
                "name": "Bổ nhiệm giám định viên pháp y và pháp y tâm thần",
                "field": "Giám định",
                "level": "tỉnh",
                "implementing_agency": "Sở Y tế",
                "processing_time": {"value": 5, "unit": "working_days"},
            }
        ],
        actor=None,
        publish_new=True,
    )
    assert report.created == 1
    procedure = Procedure.objects.get(code="1.013871")
    current = procedure.current_version
    body = record_decision(
        [{"procedure_code": "1.013871", "change_type": "amended", "responsible_agency": HEALTH}]
    )
    task_id = body["tasks"][0]["id"]
    specialist = login("chuyenvien.yte")
    response = specialist.post(item_draft(body["items"][0]["id"]))
    assert response.status_code == 201
    draft = response.json()
    assert draft["id"] != current.pk
    assert draft["name"] == current.name  # a copy of the version in force
    assert draft["number"] == 2
    specialist.patch(
        version_url(draft["id"]),
        {**COMPLETE_CONTENT, "time_limit": "4", "steps": UNBALANCED_STEPS[:2]},
        format="json",
    )
    # 0.5 + 3 = 3.5 days ≠ 4: fix the last step and go on.
    steps = [UNBALANCED_STEPS[0], {**UNBALANCED_STEPS[1], "budget": "3.5"}]
    specialist.patch(version_url(draft["id"]), {"steps": steps}, format="json")
    assert specialist.post(version_url(draft["id"], "submit")).status_code == 200
    assert login("lanhdao.yte").post(version_url(draft["id"], "approve")).status_code == 200

    today = timezone.localdate()
    response = login("vanphong").post(
        task_url(task_id, decision=True),
        {
            "number": "2000/QĐ-UBND",
            "decision_date": today.isoformat(),
            "effective_date": (today + timedelta(days=10)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    procedure.refresh_from_db()
    new = ProcedureVersion.objects.get(pk=draft["id"])
    assert new.status == VersionStatus.PUBLISHED
    assert new.time_limit == Decimal(4)
    # Not yet in force: the old version stays current, untouched, until then.
    assert procedure.current_version_id == current.pk
    current.refresh_from_db()
    assert current.time_limit == Decimal(5)
    assert current.valid_to == today + timedelta(days=10)


def test_task_list_filters_and_query_count(province, django_assert_max_num_queries):
    record_decision([NEW_ITEM])
    record_decision(
        [{**NEW_ITEM, "responsible_agency": JUSTICE}, {**NEW_ITEM, "procedure_name": "Khác"}],
        number="10/QĐ-BTP",
    )
    office = login("vanphong")
    assert office.get(TASKS).json()["count"] == 3
    assert office.get(TASKS, {"agency": JUSTICE}).json()["count"] == 1
    assert office.get(TASKS, {"status": "published"}).json()["count"] == 0
    # permission check, count, page, items: independent of the number of tasks.
    with django_assert_max_num_queries(8):
        assert len(office.get(TASKS).json()["results"]) == 3
