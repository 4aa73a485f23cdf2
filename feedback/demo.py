"""Demo evaluations and PAKN in every state, created through the services.

``seed_feedback()`` is idempotent: each demo record is looked up by its
title (PAKN) or its request text (dossiers) and created only when missing.
It needs the demo agencies, accounts, calendar and catalogue first.
"""

from __future__ import annotations

import io
import logging
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from dossiers.models import Channel as DossierChannel
from dossiers.models import Dossier
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

from .models import Category, Channel, Feedback, RatingSource
from .services import pakn
from .services.ratings import rating_submit

logger = logging.getLogger(__name__)

JUSTICE, HEALTH, COMMUNE = "000.00.10.H99", "000.00.11.H99", "000.21.00.H99"
DEMO_PROCEDURE = "1.001216"  # Sở Tư pháp, 17 working days
DOSSIER_MARK = "Hồ sơ mẫu phục vụ đánh giá"
APPLICANTS = [
    ("Nguyễn Văn An", "001085012345", "0912345678"),
    ("Trần Thị Bình", "036190004567", "0978190456"),
    ("Lê Minh Châu", "001090001111", "0901234567"),
    ("Phạm Quốc Dũng", "001092002222", "0934567890"),
]
SCORES_GOOD = {
    "c5_one_stop_compliance": 2,
    "c6_publicity": 2,
    "c7_attitude": 2,
    "c8_feedback_response": 2,
    "c9_online_service": 1,
}
SCORES_POOR = {
    "c5_one_stop_compliance": 1,
    "c6_publicity": 1,
    "c7_attitude": 0,
    "c8_feedback_response": 0,
    "c9_online_service": 1,
}


def _pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=420, height=595)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _back(days: int, hour: int = 9) -> datetime:
    """``days`` working days before today, at ``hour`` (a working instant)."""
    calendar = get_calendar()
    day = timezone.localdate()
    while days > 0:
        day -= timedelta(days=1)
        if calendar.is_working_day(day):
            days -= 1
    return datetime.combine(day, datetime.min.time().replace(hour=hour), calendar.tz)


def _returned_dossier(users, procedure, index: int, received_days_ago: int) -> Dossier:
    """A counter dossier received, processed, approved and returned (dossier services)."""
    mark = f"{DOSSIER_MARK} #{index}"
    existing = Dossier.objects.filter(request_content=mark).first()
    if existing is not None:
        return existing
    desk, head = users["motcua.tuphap"], users["lanhdao.tuphap"]
    name, id_number, phone = APPLICANTS[index % len(APPLICANTS)]
    with transaction.atomic():
        dossier = dossier_create_draft(
            actor=desk, procedure=procedure, channel=DossierChannel.IN_PERSON
        )
        dossier = dossier_update_draft(
            actor=desk,
            dossier=dossier,
            data={
                "applicant_name": name,
                "applicant_id_number": id_number,
                "applicant_phone": phone,
                "applicant_address": "Phường Phố Hiến, tỉnh Demo",
                "request_content": mark,
            },
        )
        for requirement in procedure.current_version.components.filter(required=True):
            component_attach(
                actor=desk,
                dossier=dossier,
                requirement_id=requirement.pk,
                upload=SimpleUploadedFile("giay-to.pdf", _pdf(), "application/pdf"),
            )
        received = _back(received_days_ago)
        dossier = dossier_receive(actor=desk, dossier=dossier, at=received)
        dossier = dossier_transition(actor=desk, dossier=dossier, action="transfer", at=received)
        done = _back(max(received_days_ago - 3, 0), 15)

        def finish(locked: Dossier):
            locked.completed_at = done
            return ["completed_at"]

        dossier = dossier_transition(
            actor=head, dossier=dossier, action="approve", apply=finish, at=done
        )

        def hand_over(locked: Dossier):
            locked.returned_at = done + timedelta(hours=1)
            return ["returned_at"]

        dossier = dossier_transition(
            actor=desk,
            dossier=dossier,
            action="return_result",
            apply=hand_over,
            at=done + timedelta(hours=1),
        )
    return dossier


def seed_ratings(users) -> tuple[int, list[Dossier]]:
    procedure = Procedure.objects.filter(code=DEMO_PROCEDURE).first()
    if procedure is None or procedure.current_version_id is None:
        logger.warning("Demo procedure %s missing: no demo evaluations", DEMO_PROCEDURE)
        return 0, []
    dossiers = [_returned_dossier(users, procedure, i, 12 - i) for i in range(5)]
    created = 0
    plan = [
        (0, RatingSource.PORTAL, SCORES_GOOD, "like", "Cán bộ hướng dẫn tận tình.", None),
        (1, RatingSource.DESK_KIOSK, SCORES_POOR, "dislike", "Phải chờ lâu ở quầy.", None),
        (2, RatingSource.PAPER, SCORES_GOOD, "like", "", "motcua.tuphap"),
        # Dossiers 3 and 4 are left for the kiosk and the invitation link.
    ]
    for index, source, scores, like, comment, officer in plan:
        dossier = dossiers[index]
        if dossier.ratings.filter(source=source).exists():
            continue
        rating_submit(
            dossier=dossier,
            source=source,
            scores=scores,
            like=like,
            comment=comment,
            actor=users[officer] if officer else None,
        )
        created += 1
    return created, dossiers


SUBMITTERS = [
    {
        "submitter_name": "Nguyễn Văn An",
        "submitter_address": "Số 5 Lê Lợi, phường Phố Hiến",
        "submitter_phone": "0912345678",
        "submitter_email": "001085012345@demo.tthc.local",
    },
    {
        "submitter_name": "Trần Thị Bình",
        "submitter_address": "Thôn Đông, xã Tân Lập",
        "submitter_phone": "0978190456",
        "submitter_postal_address": "Thôn Đông, xã Tân Lập",
    },
    {
        "submitter_name": "Công ty TNHH Demo",
        "submitter_kind": "organisation",
        "submitter_address": "Khu công nghiệp Phố Nối",
        "submitter_phone": "02213555777",
        "submitter_email": "0101234567@demo.tthc.local",
    },
]


def _item(title: str, content: str, days_ago: int, who: int = 0, **extra) -> Feedback | None:
    """Create the PAKN once; None when it already exists (nothing else to do)."""
    if Feedback.objects.filter(title=title).exists():
        return None
    data = {**SUBMITTERS[who % len(SUBMITTERS)], "title": title, "content": content, **extra}
    return pakn.feedback_submit(data=data, received_at=_back(days_ago, 9 + who))


def seed_pakn(users, agencies: dict[str, Agency], dossiers: list[Dossier]) -> int:
    office = users["vanphong"]
    justice_head, health_head = users["lanhdao.tuphap"], users["lanhdao.yte"]
    created = 0

    def step(days_ago: int, hour: int = 10) -> datetime:
        return _back(days_ago, hour)

    # received_pending
    if _item(
        "Đề nghị niêm yết mẫu tờ khai lý lịch tư pháp tại Bộ phận Một cửa",
        "Tại quầy không có mẫu tờ khai in sẵn, người dân phải tự chép lại mẫu.",
        1,
    ):
        created += 1
    # awaiting_supplement
    item = _item(
        "Thời gian chờ cấp phiếu lý lịch tư pháp quá lâu",
        "Tôi nộp hồ sơ đã lâu nhưng chưa nhận được kết quả, đề nghị kiểm tra.",
        6,
        1,
    )
    if item:
        pakn.feedback_request_info(
            actor=office,
            item=item,
            at=step(5),
            request="Đề nghị ông/bà cung cấp mã hồ sơ ghi trên giấy hẹn để kiểm tra.",
        )
        created += 1
    # not_accepted
    item = _item(
        "Tố cáo cán bộ nhận tiền ngoài quy định",
        "Tôi tố cáo cán bộ X đã nhận tiền khi giải quyết hồ sơ đất đai của gia đình.",
        8,
        2,
    )
    if item:
        pakn.feedback_classify(
            actor=office,
            item=item,
            category=Category.NOT_ACCEPTED,
            at=step(7),
            reason="Nội dung là tố cáo, được giải quyết theo Luật Tố cáo; "
            "đề nghị gửi Thanh tra tỉnh.",
        )
        created += 1
    # forwarded (out of scope)
    item = _item(
        "Kiến nghị sửa quy định về lệ phí cấp phiếu lý lịch tư pháp",
        "Mức lệ phí do Bộ Tài chính quy định còn cao đối với sinh viên, đề nghị giảm.",
        10,
        kind="proposal",
    )
    if item:
        pakn.feedback_classify(
            actor=office, item=item, at=step(9), category=Category.REGULATION_OUT_OF_SCOPE
        )
        pakn.feedback_forward_out(actor=office, item=item, recipient="Bộ Tư pháp", at=step(8))
        created += 1
    # in_handling at the Department of Health (not answered yet)
    item = _item(
        "Cơ sở y tế yêu cầu bản sao chứng thực giấy tờ đã có trên VNeID",
        "Khi làm thủ tục cấp giấy phép, cơ sở yêu cầu bản sao chứng thực căn cước.",
        4,
        1,
        about_agency=agencies[HEALTH],
    )
    if item:
        pakn.feedback_classify(
            actor=office, item=item, at=step(3), category=Category.IMPLEMENTATION_BEHAVIOUR
        )
        pakn.feedback_forward(actor=office, item=item, agency=agencies[HEALTH], at=step(3, 14))
        created += 1
    # in_handling at the Department of Justice, answered, waiting for the office's approval
    linked = dossiers[1].code if len(dossiers) > 1 else ""
    item = _item(
        "Hồ sơ giám định tư pháp bị yêu cầu bổ sung nhiều lần",
        "Hồ sơ của tôi bị yêu cầu bổ sung giấy tờ hai lần với hai nội dung khác nhau.",
        9,
        dossier_code=linked,
    )
    if item:
        pakn.feedback_classify(
            actor=office, item=item, at=step(8), category=Category.IMPLEMENTATION_BEHAVIOUR
        )
        pakn.feedback_forward(actor=office, item=item, agency=agencies[JUSTICE], at=step(8, 15))
        pakn.feedback_answer(
            actor=justice_head,
            item=item,
            at=step(2),
            answer="Sở Tư pháp đã kiểm tra, nhắc nhở công chức và đã hướng dẫn bổ sung một lần.",
        )
        created += 1
    # awaiting_publication
    item = _item(
        "Đề nghị cho nộp trực tuyến hồ sơ miễn nhiệm giám định viên",
        "Thủ tục miễn nhiệm giám định viên tư pháp chưa có dịch vụ công trực tuyến.",
        7,
        kind="proposal",
        procedure_code="2.000894",
    )
    if item:
        pakn.feedback_classify(
            actor=office, item=item, at=step(6), category=Category.REGULATION_IN_SCOPE
        )
        pakn.feedback_forward(actor=office, item=item, agency=agencies[JUSTICE], at=step(6, 14))
        pakn.feedback_answer(
            actor=justice_head,
            item=item,
            at=step(2),
            answer="Sở Tư pháp đã đăng ký cung cấp dịch vụ công trực tuyến toàn trình từ quý sau.",
        )
        pakn.feedback_approve_publication(actor=office, item=item, at=step(1))
        created += 1
    # published (with consent), liked; and a follow-up about its result
    item = _item(
        "Giờ làm việc của Bộ phận Một cửa Sở Y tế không được niêm yết",
        "Cửa phòng không ghi giờ làm việc nên người dân đến vào buổi trưa phải chờ.",
        15,
        0,
        consent_publish_identity=True,
        about_agency=agencies[HEALTH],
    )
    if item:
        pakn.feedback_classify(
            actor=office, item=item, at=step(14), category=Category.IMPLEMENTATION_BEHAVIOUR
        )
        pakn.feedback_forward(actor=office, item=item, agency=agencies[HEALTH], at=step(14, 14))
        pakn.feedback_answer(
            actor=health_head,
            item=item,
            at=step(8),
            answer="Sở Y tế đã niêm yết giờ làm việc (sáng 8:00–12:00, chiều 13:00–17:00) "
            "tại Bộ phận Một cửa và trên Cổng thông tin của Sở.",
        )
        pakn.feedback_approve_publication(actor=office, item=item, at=step(7))
        item = pakn.feedback_publish(actor=office, item=item, at=step(6))
        for key in ("demo-a", "demo-b"):
            pakn.feedback_react(item=item, value="like", session_key=key)
        pakn.feedback_react(item=item, value="like", user=users["036190004567"])
        created += 1
    item = _item(
        "Thủ tục chứng thực tại phường yêu cầu giấy tờ không có trong quy định",
        "Phường Phố Hiến yêu cầu nộp thêm giấy xác nhận cư trú khi chứng thực chữ ký.",
        20,
        1,
        procedure_code="2.000884",
        about_agency=agencies[COMMUNE],
    )
    if item:
        pakn.feedback_classify(
            actor=office, item=item, at=step(19), category=Category.IMPLEMENTATION_BEHAVIOUR
        )
        pakn.feedback_forward(actor=office, item=item, agency=agencies[COMMUNE], at=step(19, 14))
        pakn.feedback_answer(
            actor=users["lanhdao.phohien"],
            item=item,
            at=step(5),
            answer="UBND phường đã bỏ yêu cầu giấy xác nhận cư trú khi chứng thực chữ ký.",
        )
        pakn.feedback_approve_publication(actor=office, item=item, at=step(4))
        item = pakn.feedback_publish(actor=office, item=item, at=step(3))
        pakn.feedback_react(item=item, value="dislike", session_key="demo-c")
        pakn.feedback_react(item=item, value="dislike", user=users["001085012345"])
        pakn.feedback_follow_up(
            original=item,
            data={
                **SUBMITTERS[1],
                "title": "Phường vẫn yêu cầu giấy xác nhận cư trú",
                "content": "Sau khi có trả lời, ngày hôm qua cán bộ phường vẫn yêu cầu giấy "
                "xác nhận cư trú khi tôi đi chứng thực.",
            },
        )
        created += 2
    # A letter entered by the office (channel recorded)
    title = "Thư phản ánh về việc niêm yết thủ tục tại xã Hòa Bình"
    if not Feedback.objects.filter(title=title).exists():
        pakn.feedback_submit(
            data={
                **SUBMITTERS[2],
                "title": title,
                "content": "Bảng niêm yết thủ tục hành chính tại UBND xã Hòa Bình đã cũ, "
                "nhiều thủ tục đã bị bãi bỏ vẫn còn niêm yết.",
            },
            actor=office,
            channel=Channel.LETTER,
            receiving_agency=agencies["000.00.00.H99"],
            received_at=_back(2, 10),
        )
        created += 1
    return created


def seed_feedback() -> dict[str, int]:
    """Demo evaluations and PAKN (idempotent). Returns what was created."""
    from .defaults import ensure_all

    ensure_all()  # configuration rows (a flushed test database has none)
    users = get_user_model().objects.in_bulk(field_name="username")
    agencies = Agency.objects.in_bulk(field_name="code")
    if "vanphong" not in users or JUSTICE not in agencies:
        logger.warning("Demo province missing: run the demo seed first")
        return {"ratings": 0, "pakn": 0}
    ratings, dossiers = seed_ratings(users)
    return {"ratings": ratings, "pakn": seed_pakn(users, agencies, dossiers)}
