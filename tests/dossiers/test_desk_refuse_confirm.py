"""Issue 15 item 14 at the desk: refusing a dossier at reception (form 03)
first shows what follows — the notice and how the citizen gets it, the fee
cancelled, the national status, that it cannot be undone — read from the
dossier; only a confirmed POST refuses, once; "Quay lại" changes nothing."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from dossiers.models import (
    Channel,
    DocumentKind,
    Dossier,
    NationalStatusMap,
    Payment,
    PaymentStatus,
    Status,
    StatusHistory,
)
from dossiers.services.reception import dossier_refuse
from dossiers.services.submission import dossier_create_draft
from tests.dossiers.test_desk_queue import submit_online
from tthc_portal.notifications.models import MessageTemplate

pytestmark = pytest.mark.django_db
OFFICER = "motcua.tuphap"
REASON = "Không thuộc thẩm quyền giải quyết của Sở Tư pháp"


def url(name: str, dossier: Dossier) -> str:
    return reverse(f"dossiers:{name}", args=[dossier.pk])


def consequences(page: str) -> str:
    start = page.index('data-testid="consequences"')
    return html.unescape(page[start : page.index("</ul>", start)])


@pytest.fixture
def desk(client, users):
    client.force_login(users[OFFICER])
    return client


@pytest.fixture
def online(users, online_procedure) -> Dossier:
    """An online dossier with the citizen's contacts and an unpaid fee request."""
    dossier = submit_online(users, online_procedure)
    Dossier.objects.filter(pk=dossier.pk).update(
        applicant_email="an.nguyen@example.vn", applicant_phone="0912345678"
    )
    MessageTemplate.objects.filter(key="dossier.refuse").update(
        is_active=True, sms_body="Hồ sơ bị từ chối tiếp nhận: {{ reason }}"
    )
    dossier.payments.filter(status=PaymentStatus.REQUESTED).delete()
    Payment.objects.create(
        dossier=dossier, amount_vnd=150000, fee_items=[], gateway="demo",
        status=PaymentStatus.REQUESTED,
    )  # fmt: skip
    dossier.refresh_from_db()
    return dossier


def unchanged(dossier: Dossier) -> None:
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED and dossier.refusal_reason == ""
    assert not dossier.documents.filter(kind=DocumentKind.REFUSAL).exists()
    assert not StatusHistory.objects.filter(dossier=dossier, action="refuse").exists()
    assert dossier.payments.get().status == PaymentStatus.REQUESTED


def test_get_shows_the_consequences_and_changes_nothing(
    desk, online, django_assert_max_num_queries
):
    # 13 measured on SQLite: session, user, 2FA device, the dossier and its
    # prefetches (desk_dossier), template, payments in one aggregate, nav badges.
    with django_assert_max_num_queries(14):
        response = desk.get(url("desk_refuse", online))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="confirm-refuse"' in page
    told = consequences(page)
    assert "mẫu 03" in told
    assert "an.nguyen@example.vn" in told and "0912345678" in told  # how the citizen is told
    assert "Hồ sơ của tôi" in told  # the citizen's own account
    assert "150.000 đồng" in told and "bị hủy" in told
    assert "chưa đăng ký trên Cổng Dịch vụ công quốc gia" in told  # no code: nothing sent
    assert "không thể hoàn tác" in told
    # The reason box, the confirmation flag, and a way back that sends nothing.
    assert 'name="reason"' in page and 'name="confirmed" value="1"' in page
    assert f'href="{url("desk_check", online)}"' in page and "Quay lại, chưa quyết định" in page
    unchanged(online)


def test_the_check_page_form_asks_first(desk, online):
    response = desk.post(url("desk_refuse", online), {"reason": REASON})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="confirm-refuse"' in page and "150.000 đồng" in consequences(page)
    assert REASON in page  # kept in the confirming form
    unchanged(online)


def test_a_confirmed_post_refuses_once(desk, online):
    data = {"reason": REASON, "confirmed": "1"}
    done = desk.post(url("desk_refuse", online), data)
    assert done.status_code == 302 and done["Location"] == url("desk_check", online)
    online.refresh_from_db()
    assert online.status == Status.REFUSED and online.refusal_reason == REASON
    assert online.documents.filter(kind=DocumentKind.REFUSAL).count() == 1
    assert online.payments.get().status == PaymentStatus.CANCELLED
    page = desk.get(done["Location"]).content.decode()
    assert "Đã từ chối tiếp nhận hồ sơ và lập phiếu từ chối." in page and REASON in page

    # Sent again (a second tab, a refresh): refused with the reason, nothing repeated.
    again = desk.post(url("desk_refuse", online), data)
    assert again.status_code == 302 and again["Location"] == url("desk_check", online)
    page = desk.get(again["Location"]).content.decode()
    assert 'class="message message-error"' in page and "Không thể “Từ chối tiếp nhận”" in page
    assert online.documents.filter(kind=DocumentKind.REFUSAL).count() == 1
    assert StatusHistory.objects.filter(dossier=online, action="refuse").count() == 1


def test_a_blank_reason_is_shown_again_where_it_was_typed(desk, online):
    on_check = desk.post(url("desk_refuse", online), {"reason": "  "})
    assert on_check.status_code == 400
    page = on_check.content.decode()
    assert 'data-testid="refusal-form"' in page and 'data-testid="desk-error"' in page
    assert "Vui lòng ghi rõ lý do từ chối tiếp nhận hồ sơ." in page

    on_confirm = desk.post(url("desk_refuse", online), {"reason": " ", "confirmed": "1"})
    assert on_confirm.status_code == 400
    page = on_confirm.content.decode()
    assert 'data-testid="confirm-refuse"' in page and 'data-testid="desk-error"' in page
    assert 'aria-invalid="true"' in page
    unchanged(online)


def test_a_decided_dossier_has_nothing_to_confirm(desk, users, online):
    dossier_refuse(actor=users[OFFICER], dossier=online, reason=REASON)
    for response in (desk.get(url("desk_refuse", online)),
                     desk.post(url("desk_refuse", online), {"reason": "Lần nữa"})):  # fmt: skip
        assert response.status_code == 302 and response["Location"] == url("desk_check", online)
    assert StatusHistory.objects.filter(dossier=online, action="refuse").count() == 1


def test_a_counter_dossier_without_contacts_is_handed_the_paper(desk, users, online_procedure):
    dossier = dossier_create_draft(
        actor=users[OFFICER], procedure=online_procedure, channel=Channel.IN_PERSON
    )
    told = consequences(desk.get(url("desk_refuse", dossier)).content.decode())
    assert "không nhận thông báo tự động" in told and "in phiếu" in told
    assert "Không có khoản phí nào" in told


def test_a_national_dossier_says_which_status_is_sent(desk, online):
    Dossier.objects.filter(pk=online.pk).update(code="G22.99-251201-0007")
    NationalStatusMap.objects.update_or_create(
        status=Status.REFUSED,
        defaults={"national_label": "Không được tiếp nhận", "national_code": "3"},
    )
    told = consequences(desk.get(url("desk_refuse", online)).content.decode())
    assert "Không được tiếp nhận" in told and "G22.99-251201-0007" in told
    assert "được đồng bộ lên Cổng Dịch vụ công quốc gia" in told


def test_outsiders_get_404(client, users, online):
    for username in ("motcua.yte", "chuyenvien.tuphap", "001085012345"):
        client.force_login(users[username])
        assert client.get(url("desk_refuse", online)).status_code == 404
    unchanged(online)
