"""Serializers of the feedback API. Public ones never carry the submitter's
contact details; the name only when the submitter consented."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tthc_portal.agencies.models import Agency
from tthc_portal.api_errors import ApiErrorSerializer

from ..models import (
    Category,
    Channel,
    Feedback,
    FeedbackHistory,
    Kind,
    Like,
    Rating,
    RatingScore,
    RatingSource,
    Subject,
    SubmitterKind,
)

# The one envelope shared by the whole API (component "ApiError").
FeedbackErrorSerializer = ApiErrorSerializer


# --- PAKN: public -----------------------------------------------------------------------------


class FeedbackSubmitSerializer(serializers.Serializer):
    """Decree 20/2008 Art. 7: name, address, phone, and email or postal address."""

    submitter_kind = serializers.ChoiceField(
        choices=SubmitterKind.choices, default=SubmitterKind.INDIVIDUAL
    )
    submitter_name = serializers.CharField(max_length=255, allow_blank=True)
    submitter_address = serializers.CharField(max_length=500, allow_blank=True)
    submitter_phone = serializers.CharField(max_length=20, allow_blank=True)
    submitter_email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    submitter_postal_address = serializers.CharField(
        max_length=500, required=False, allow_blank=True
    )
    kind = serializers.ChoiceField(choices=Kind.choices, default=Kind.FEEDBACK)
    title = serializers.CharField(max_length=255, allow_blank=True)
    content = serializers.CharField(allow_blank=True)
    dossier_code = serializers.CharField(max_length=64, required=False, allow_blank=True)
    procedure_code = serializers.CharField(max_length=40, required=False, allow_blank=True)
    about_agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.filter(is_active=True), required=False, allow_null=True
    )
    consent_publish_identity = serializers.BooleanField(default=False)
    follow_up_of = serializers.CharField(
        max_length=32, required=False, allow_blank=True,
        help_text=_("Mã PAKN đã công khai mà phản ánh này nói tiếp về kết quả."),
    )  # fmt: skip
    attachments = serializers.ListField(
        child=serializers.FileField(), required=False, allow_empty=True
    )


class FeedbackSubmitJSONSerializer(FeedbackSubmitSerializer):
    """The JSON form of a submission: files travel only in multipart bodies."""

    attachments = None


# Staff enter feedback from every channel but the portal itself (named in the schema).
ENTRY_CHANNELS = [(c.value, c.label) for c in Channel if c != Channel.PORTAL]


class StaffEntrySerializer(FeedbackSubmitSerializer):
    channel = serializers.ChoiceField(choices=ENTRY_CHANNELS)
    received_at = serializers.DateTimeField()
    receiving_agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all())
    transferred_from = serializers.CharField(max_length=255, required=False, allow_blank=True)


class StaffEntryJSONSerializer(StaffEntrySerializer):
    """The JSON form of an entry: files travel only in multipart bodies."""

    attachments = None


class SubmittedSerializer(serializers.ModelSerializer):
    tracking_url = serializers.SerializerMethodField()

    class Meta:
        model = Feedback
        fields = ["code", "status", "received_at", "handle_due_at", "tracking_url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_tracking_url(self, item: Feedback) -> str:
        from ..services.pakn import tracking_path

        return self.context["request"].build_absolute_uri(tracking_path(item))


class PublishedSerializer(serializers.ModelSerializer):
    agency = serializers.SerializerMethodField()
    field = serializers.CharField(source="field.name", default=None)
    submitter_name = serializers.SerializerMethodField()
    likes = serializers.IntegerField()
    dislikes = serializers.IntegerField()

    class Meta:
        model = Feedback
        fields = [
            "code", "kind", "title", "content", "answer", "agency", "field", "received_at",
            "published_at", "submitter_name", "likes", "dislikes",
        ]  # fmt: skip

    @extend_schema_field(OpenApiTypes.STR)
    def get_agency(self, item: Feedback) -> str:
        agency = item.answer_agency or item.agency
        return agency.name if agency else ""

    @extend_schema_field({"type": "string", "nullable": True})
    def get_submitter_name(self, item: Feedback) -> str | None:
        if item.consent_publish_identity and self.context.get("show_identity", True):
            return item.submitter_name
        return None


class ReactionSerializer(serializers.Serializer):
    value = serializers.ChoiceField(choices=[("like", "like"), ("dislike", "dislike")])


class ReactionResultSerializer(serializers.Serializer):
    value = serializers.CharField()
    likes = serializers.IntegerField()
    dislikes = serializers.IntegerField()


# --- PAKN: staff ------------------------------------------------------------------------------


class HistorySerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.display_name", default=None)
    agency = serializers.CharField(source="agency.name", default=None)

    class Meta:
        model = FeedbackHistory
        fields = ["action", "from_status", "to_status", "actor", "agency", "at", "note"]


class StaffFeedbackSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.name")
    receiving_agency = serializers.CharField(source="receiving_agency.name")

    class Meta:
        model = Feedback
        fields = [
            "id", "code", "status", "kind", "channel", "category", "subject", "title",
            "agency", "receiving_agency", "received_at", "next_due_kind", "next_due_at",
            "alert_level",
        ]  # fmt: skip


class StaffFeedbackDetailSerializer(StaffFeedbackSerializer):
    history = HistorySerializer(many=True, read_only=True)
    dossier = serializers.CharField(source="dossier.code", default=None)
    follow_up_of = serializers.CharField(source="follow_up_of.code", default=None)

    class Meta(StaffFeedbackSerializer.Meta):
        fields = [
            *StaffFeedbackSerializer.Meta.fields,
            "content", "submitter_kind", "submitter_name", "submitter_address",
            "submitter_phone", "submitter_email", "submitter_postal_address",
            "consent_publish_identity", "dossier", "dossier_code", "procedure_code",
            "follow_up_of", "transferred_from", "external_recipient", "refusal_reason",
            "supplement_request", "supplement_response", "answer", "refuse_due_at",
            "supplement_due_at", "forward_due_at", "handle_due_at", "publish_due_at",
            "refused_at", "supplement_requested_at", "supplement_received_at",
            "forwarded_at", "forwarded_out_at", "answered_at", "approved_at",
            "published_at", "history",
        ]  # fmt: skip


class ActionSerializer(serializers.Serializer):
    """Fields by action: classify (category, subject, reason), forward (agency, note),
    forward_out (recipient, note), request_info (request), supplement (response),
    answer (answer), return_to_office (note), receive_transfer (from_body);
    approve_publication and publish take none."""

    category = serializers.ChoiceField(choices=Category.choices, required=False)
    subject = serializers.ChoiceField(choices=Subject.choices, required=False)
    reason = serializers.CharField(required=False, allow_blank=True)
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), required=False)
    note = serializers.CharField(required=False, allow_blank=True)
    recipient = serializers.CharField(required=False, allow_blank=True)
    request = serializers.CharField(required=False, allow_blank=True)
    response = serializers.CharField(required=False, allow_blank=True)
    answer = serializers.CharField(required=False, allow_blank=True)
    from_body = serializers.CharField(required=False, allow_blank=True)


class CriterionSerializer(serializers.Serializer):
    code = serializers.CharField()
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
    ratio = serializers.DecimalField(max_digits=6, decimal_places=2)
    score = serializers.DecimalField(max_digits=6, decimal_places=2)
    max_score = serializers.DecimalField(max_digits=6, decimal_places=2)


class PaknCriteriaSerializer(serializers.Serializer):
    c52 = CriterionSerializer()
    c53 = CriterionSerializer()
    received = serializers.IntegerField()
    late = serializers.IntegerField()
    disliked = serializers.IntegerField()
    followed_up = serializers.IntegerField()
    by_subject = serializers.DictField(child=serializers.IntegerField())


# --- ratings ----------------------------------------------------------------------------------


class RatingInputSerializer(serializers.Serializer):
    scores = serializers.DictField(
        child=serializers.IntegerField(min_value=0),
        help_text=_("Điểm theo mã tiêu chí, ví dụ {\"c7_attitude\": 2}; tiêu chí 1–4 bỏ trống "
                    "thì dùng giá trị hệ thống điền sẵn."),
    )  # fmt: skip
    like = serializers.ChoiceField(choices=Like.choices, required=False, allow_null=True)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class RatingTranscribeSerializer(RatingInputSerializer):
    dossier_code = serializers.CharField(max_length=64)
    source = serializers.ChoiceField(
        choices=[(RatingSource.PAPER, RatingSource.PAPER.label),
                 (RatingSource.DVCQG, RatingSource.DVCQG.label)]
    )  # fmt: skip
    submitted_at = serializers.DateTimeField(required=False)


class RatingScoreSerializer(serializers.ModelSerializer):
    criterion = serializers.CharField(source="criterion.code")
    label = serializers.CharField(source="criterion.label")

    class Meta:
        model = RatingScore
        fields = [
            "criterion", "label", "prefilled_score", "score", "self_score", "appraised_score"
        ]  # fmt: skip


class RatingSerializer(serializers.ModelSerializer):
    dossier = serializers.CharField(source="dossier.code")
    agency = serializers.CharField(source="dossier.receiving_agency.name")
    scores = RatingScoreSerializer(many=True, read_only=True)

    class Meta:
        model = Rating
        fields = [
            "id", "dossier", "agency", "source", "total", "band_code", "band_label", "like",
            "comment", "submitted_at", "needs_review", "reviewed_at", "scores",
        ]  # fmt: skip


class RatingSummarySerializer(serializers.Serializer):
    key = serializers.IntegerField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    dossiers = serializers.IntegerField()
    average = serializers.DecimalField(max_digits=6, decimal_places=2)
    likes = serializers.IntegerField()
    dislikes = serializers.IntegerField()
    bands = serializers.DictField(child=serializers.IntegerField())


def data_from(validated: dict[str, Any], names: list[str]) -> dict[str, Any]:
    return {name: validated.get(name) for name in names if name in validated}
