"""Pieces every part of the catalogue and publication API shares: the version
content list, the error body and the short references to agencies and fields."""

from __future__ import annotations

from rest_framework import serializers

from tthc_portal.agencies.models import Agency
from tthc_portal.api_errors import ApiErrorSerializer

from ...models import Field

# The content a version carries (read and written through the API alike).
VERSION_CONTENT = [
    "name",
    "steps_text",
    "channel_in_person",
    "channel_online",
    "channel_postal",
    "channels_text",
    "applicant_types",
    "implementing_agency",
    "implementing_agency_text",
    "field",
    "level",
    "deciding_authority",
    "coordinating_agencies",
    "time_kind",
    "time_limit",
    "time_unit",
    "deadline_mode",
    "cutoff_time",
    "time_text",
    "time_stages",
    "time_outcomes",
    "supplement_clock_rule",
    "result_text",
    "paper_result",
    "online_level",
    "full_online_eligible",
    "conditions",
    "boundary_free",
    "is_internal",
    "internal_scope",
    "is_province_specific",
    "territorial_scope",
    "components",
    "fees",
    "legal_bases",
    "steps",
]


# The one envelope shared by the whole API (component "ApiError").
ErrorSerializer = ApiErrorSerializer


class AgencyRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "code", "name", "short_name"]
        read_only_fields = fields


class FieldRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Field
        fields = ["id", "code", "name"]
        read_only_fields = fields
