"""Serializers of the dossier API.

Read serializers only touch relations the views select or prefetch, so the
list endpoints run a fixed number of queries. Input serializers only
validate; the views hand ``validated_data`` to the services.
"""

from __future__ import annotations

import re
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from procedures.models import Procedure
from tthc_portal.agencies.models import Agency
from tthc_portal.api_errors import ApiErrorSerializer

from ..models import (
    Channel,
    DocumentKind,
    Dossier,
    DossierComponent,
    DossierDocument,
    GatewayFlag,
    Payment,
    PaymentStatus,
    RenderStatus,
    SourceForm,
    Status,
    StatusHistory,
)


def choice_field(
    choices: list[tuple[Any, Any]], *, read_only: bool = True, **kwargs: Any
) -> serializers.ChoiceField:
    """A choice field documented by a pattern and a value list, not an ``enum``.

    drf-spectacular turns every ``enum`` into a component named after the
    field; ``status``, ``kind`` or ``channel`` enums here would collide with
    other apps' choice sets of the same name in the one shared schema.
    """
    values = [value for value, _label in choices]
    listing = "; ".join(f"`{value}`: {label}" for value, label in choices)
    if all(isinstance(value, int) for value in values):
        schema: dict[str, Any] = {"type": "integer", "description": listing}
    else:
        pattern = "^(" + "|".join(re.escape(str(value)) for value in values) + ")$"
        schema = {"type": "string", "pattern": pattern, "description": listing}
    field_class = extend_schema_field(schema)(
        type("DocumentedChoiceField", (serializers.ChoiceField,), {})
    )
    return field_class(choices=choices, read_only=read_only, **kwargs)


RESULT_DELIVERY_CHOICES = [
    (value, label) for value, label in Dossier._meta.get_field("result_delivery").choices
]

# --- shared -----------------------------------------------------------------------------


# The one envelope shared by the whole API (component "ApiError").
DossierApiErrorSerializer = ApiErrorSerializer


class DossierProcedureRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="procedure_version.procedure_id")
    code = serializers.CharField(
        source="procedure_version.procedure.localised_code",
        help_text=_("Mã TTHC (mã cơ sở kèm hậu tố địa phương)."),
    )
    name = serializers.CharField(source="procedure_version.name")
    version = serializers.IntegerField(source="procedure_version.number")


class DossierAgencyRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "code", "name"]
        read_only_fields = fields


# --- reads ------------------------------------------------------------------------------


class DossierListSerializer(serializers.ModelSerializer):
    """One row of a list: no personal data beyond the applicant's name."""

    status = choice_field(Status.choices)
    channel = choice_field(Channel.choices)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    channel_label = serializers.CharField(source="get_channel_display", read_only=True)
    procedure = DossierProcedureRefSerializer(source="*", read_only=True)
    receiving_agency = DossierAgencyRefSerializer(read_only=True)

    class Meta:
        model = Dossier
        fields = [
            "id",
            "code",
            "status",
            "status_label",
            "channel",
            "channel_label",
            "procedure",
            "receiving_agency",
            "applicant_name",
            "created_at",
            "submitted_at",
            "reception_due_at",
            "received_at",
            "due_at",
            "is_overdue",
            "due_soon",
        ]
        read_only_fields = fields


class DossierComponentMetaSerializer(serializers.ModelSerializer):
    """Metadata of a provided document (the file itself is not exposed here)."""

    source_form = choice_field(SourceForm.choices)

    class Meta:
        model = DossierComponent
        fields = [
            "id",
            "requirement",
            "name",
            "original_filename",
            "content_type",
            "size",
            "sha256",
            "page_count",
            "source_form",
            "is_digitised",
            "from_personal_store",
            "is_reused",
            "uploaded_at",
        ]
        read_only_fields = fields


class DossierHistorySerializer(serializers.ModelSerializer):
    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = StatusHistory
        fields = ["action", "from_status", "to_status", "actor_name", "at", "note"]
        read_only_fields = fields

    def get_actor_name(self, row: StatusHistory) -> str:
        return row.actor.display_name if row.actor_id else ""


class DossierDocumentMetaSerializer(serializers.ModelSerializer):
    kind = choice_field(DocumentKind.choices)
    status = choice_field(RenderStatus.choices)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = DossierDocument
        fields = ["id", "kind", "kind_label", "number", "status", "created_at", "download_url"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_download_url(self, document: DossierDocument) -> str | None:
        """The PDF's link once rendered (null while it is being generated)."""
        if document.status != RenderStatus.READY:
            return None
        try:
            return reverse("dossiers:document_download", args=[document.pk])
        except NoReverseMatch:
            return None


class DossierPaymentSerializer(serializers.ModelSerializer):
    status = choice_field(PaymentStatus.choices)
    gateway_flag = choice_field(GatewayFlag.choices, allow_null=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    payment_url = serializers.SerializerMethodField()

    class Meta:
        model = Payment
        fields = [
            "reference",
            "fee_items",
            "amount_vnd",
            "gateway_flag",
            "status",
            "status_label",
            "requested_at",
            "paid_at",
            "receipt_no",
            "payment_url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_payment_url(self, payment: Payment) -> str | None:
        """Where the applicant pays an open payment (the page, not the API)."""
        if payment.status != PaymentStatus.REQUESTED:
            return None
        return reverse("dossiers:payment_start", args=[payment.reference])


class DossierDetailSerializer(DossierListSerializer):
    result_delivery = choice_field(RESULT_DELIVERY_CHOICES)
    components = DossierComponentMetaSerializer(many=True, read_only=True)
    history = DossierHistorySerializer(many=True, read_only=True)
    documents = DossierDocumentMetaSerializer(many=True, read_only=True)
    payments = DossierPaymentSerializer(many=True, read_only=True)

    class Meta(DossierListSerializer.Meta):
        fields = [
            *DossierListSerializer.Meta.fields,
            "submitted_by_officer",
            "applicant_id_number",
            "applicant_phone",
            "applicant_email",
            "applicant_address",
            "representative_name",
            "representative_id_number",
            "representative_phone",
            "representative_authorisation",
            "request_content",
            "result_delivery",
            "sets_count",
            "form_data",
            "original_due_at",
            "completed_at",
            "refusal_reason",
            "supplement_count",
            "components",
            "history",
            "documents",
            "payments",
        ]
        read_only_fields = fields


# --- citizen input ----------------------------------------------------------------------


class DossierCreateSerializer(serializers.Serializer):
    procedure = serializers.PrimaryKeyRelatedField(
        queryset=Procedure.objects.all(),
        help_text=_("Mã số (id) thủ tục trong danh mục / Procedure id from the catalogue."),
        error_messages={"does_not_exist": _("Không tìm thấy thủ tục có id “{pk_value}”.")},
    )
    receiving_agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text=_(
            "UBND cấp xã nơi nộp, bắt buộc với thủ tục cấp xã / Receiving commune, required "
            "for commune-level procedures."
        ),
        error_messages={"does_not_exist": _("Không tìm thấy cơ quan có id “{pk_value}”.")},
    )


class DossierUpdateSerializer(serializers.Serializer):
    """The applicant's fields of a draft (or of a dossier sent back for completion)."""

    applicant_name = serializers.CharField(max_length=255, required=False)
    applicant_id_number = serializers.CharField(max_length=20, required=False)
    applicant_phone = serializers.RegexField(
        r"^[0-9+ .]{0,20}$",
        max_length=20,
        required=False,
        allow_blank=True,
        error_messages={"invalid": _("Số điện thoại chỉ gồm chữ số.")},
    )
    applicant_email = serializers.EmailField(required=False, allow_blank=True)
    applicant_address = serializers.CharField(max_length=500, required=False, allow_blank=True)
    representative_name = serializers.CharField(max_length=255, required=False, allow_blank=True)
    representative_id_number = serializers.CharField(
        max_length=20, required=False, allow_blank=True
    )
    representative_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    representative_authorisation = serializers.CharField(
        max_length=255, required=False, allow_blank=True
    )
    request_content = serializers.CharField(required=False, allow_blank=True)
    result_delivery = choice_field(RESULT_DELIVERY_CHOICES, read_only=False, required=False)
    sets_count = serializers.IntegerField(min_value=1, max_value=50, required=False)
    form_data = serializers.DictField(
        required=False, help_text=_("Dữ liệu tờ khai (gộp vào dữ liệu đã có).")
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs:
            raise serializers.ValidationError(_("Không có trường nào để cập nhật."))
        return attrs


class ComponentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=_("Tệp PDF, JPG hoặc PNG / A PDF, JPG or PNG file."),
        error_messages={"required": _("Vui lòng chọn tệp để tải lên.")},
    )
    requirement = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text=_("Id thành phần hồ sơ của thủ tục / Component requirement id."),
    )
    name = serializers.CharField(max_length=500, required=False, allow_blank=True)


# --- desk input -------------------------------------------------------------------------


class CompletionItemSerializer(serializers.Serializer):
    requirement = serializers.IntegerField(required=False, allow_null=True)
    name = serializers.CharField(max_length=500, required=False, allow_blank=True)
    reason = serializers.CharField(required=False, allow_blank=True)


class RequestCompletionSerializer(serializers.Serializer):
    items = CompletionItemSerializer(
        many=True,
        help_text=_("Mọi nội dung cần bổ sung, mỗi nội dung có lý do / Every missing item."),
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RefuseSerializer(serializers.Serializer):
    reason = serializers.CharField(
        allow_blank=True, help_text=_("Lý do từ chối cụ thể / The specific reason.")
    )


# --- public lookup ----------------------------------------------------------------------


class LookupInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=64, help_text=_("Mã hồ sơ / Dossier code."))
    last4 = serializers.RegexField(
        r"^\d{4}$",
        help_text=_(
            "4 chữ số cuối của số điện thoại hoặc số định danh / Last 4 digits of the "
            "phone or identification number."
        ),
        error_messages={"invalid": _("Vui lòng nhập đúng 4 chữ số.")},
    )

    def validate_code(self, value: str) -> str:
        return "".join(value.split()).upper()


class PublicStatusSerializer(serializers.Serializer):
    """The minimal public view: nothing personal."""

    code = serializers.CharField()
    procedure_name = serializers.CharField()
    status = choice_field(Status.choices)
    channel = choice_field(Channel.choices)
    status_label = serializers.CharField()
    step_text = serializers.CharField(help_text=_("Bước đang thực hiện (cho công dân)."))
    received_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True, help_text=_("Ngày hẹn trả kết quả."))
    result_ready = serializers.BooleanField()
    result_text = serializers.CharField()
