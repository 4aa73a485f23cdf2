"""Admin for every feedback model.

Configuration rows (rule sets, criteria, bands, deadlines, policy) are edited
here. Ratings and PAKN are records kept by their services (history, audit,
deadlines, notifications): every one of them is read-only here; PAKN state
changes go through the workspace, ratings through the citizen's pages.
"""

from __future__ import annotations

from django.contrib import admin
from django.db import models

from tthc_portal.admin_readonly import ReadOnlyAdminMixin

from .models import (
    Feedback,
    FeedbackAttachment,
    FeedbackHistory,
    FeedbackReaction,
    FeedbackSequence,
    PaknDeadlineRule,
    PaknPolicy,
    Rating,
    RatingBand,
    RatingCriterion,
    RatingLink,
    RatingRevision,
    RatingRuleSet,
    RatingScore,
)


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False


class CriterionInline(admin.TabularInline):
    model = RatingCriterion
    extra = 0
    fields = ["order", "code", "label", "min_score", "max_score", "prefill", "rubric"]


class BandInline(admin.TabularInline):
    model = RatingBand
    extra = 0
    fields = ["order", "code", "label", "min_total", "max_total"]


@admin.register(RatingRuleSet)
class RatingRuleSetAdmin(admin.ModelAdmin):
    list_display = ["name", "valid_from", "valid_to", "scale", "edit_window_days"]
    inlines = [CriterionInline, BandInline]


@admin.register(RatingCriterion)
class RatingCriterionAdmin(admin.ModelAdmin):
    list_display = ["rule_set", "order", "code", "label", "prefill"]
    list_filter = ["rule_set", "prefill"]


@admin.register(RatingBand)
class RatingBandAdmin(admin.ModelAdmin):
    list_display = ["rule_set", "order", "code", "label", "min_total", "max_total"]
    list_filter = ["rule_set"]


class ScoreInline(ReadOnlyInline):
    model = RatingScore
    fields = ["criterion", "prefilled_score", "score", "self_score", "appraised_score"]
    readonly_fields = fields


class RevisionInline(ReadOnlyInline):
    model = RatingRevision
    fields = ["kind", "at", "actor", "before", "after"]
    readonly_fields = fields


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["dossier", "source", "total", "band_label", "like", "submitted_at",
                    "needs_review"]  # fmt: skip
    list_filter = ["source", "like", "band_code", "needs_review"]
    search_fields = ["dossier__code"]
    date_hierarchy = "submitted_at"
    raw_id_fields = ["dossier", "submitted_by", "reviewed_by"]
    readonly_fields = ["total", "band_code", "band_label", "rule_set"]
    inlines = [ScoreInline, RevisionInline]


@admin.register(RatingScore)
class RatingScoreAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["rating", "criterion", "prefilled_score", "score", "appraised_score"]
    raw_id_fields = ["rating"]


@admin.register(RatingRevision)
class RatingRevisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["rating", "kind", "at", "actor"]
    raw_id_fields = ["rating"]


@admin.register(RatingLink)
class RatingLinkAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Issued one-time links: when, until when, used or not. The hash is left
    out: it opens nothing, but nobody needs to see it either."""

    list_display = ["dossier", "created_at", "expires_at", "used_at"]
    search_fields = ["dossier__code"]
    date_hierarchy = "created_at"
    raw_id_fields = ["dossier", "rating"]
    exclude = ["token_hash"]


@admin.register(PaknDeadlineRule)
class PaknDeadlineRuleAdmin(admin.ModelAdmin):
    list_display = ["key", "working_days", "mode", "valid_from", "valid_to", "source"]
    list_filter = ["key"]


@admin.register(PaknPolicy)
class PaknPolicyAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["valid_from", "supplement_pauses_clock", "due_soon_working_days",
                    "publish_identity_with_consent", "max_attachments"]  # fmt: skip


class HistoryInline(ReadOnlyInline):
    model = FeedbackHistory
    fields = ["at", "action", "from_status", "to_status", "actor", "agency", "note"]
    readonly_fields = fields


class AttachmentInline(ReadOnlyInline):
    model = FeedbackAttachment
    fields = ["original_filename", "content_type", "size", "sha256"]
    readonly_fields = fields


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["code", "title", "status", "category", "agency", "received_at",
                    "next_due_at", "alert_level"]  # fmt: skip
    list_filter = ["status", "category", "subject", "channel", "alert_level"]
    search_fields = ["code", "title", "submitter_name"]
    date_hierarchy = "received_at"
    raw_id_fields = ["dossier", "procedure", "follow_up_of", "submitter_user", "entered_by",
                     "answered_by"]  # fmt: skip
    readonly_fields = [
        "status", "lookup_token", "received_at", "clock_start_at", "refuse_due_at",
        "supplement_due_at", "forward_due_at", "handle_base_due_at", "handle_due_at",
        "publish_due_at", "next_due_kind", "next_due_at", "due_soon_from", "alert_level",
        "alerted_at", "classified_at", "refused_at", "supplement_requested_at",
        "supplement_received_at", "forwarded_at", "forwarded_out_at", "answered_at",
        "approved_at", "published_at", "finished_at",
    ]  # fmt: skip
    inlines = [AttachmentInline, HistoryInline]


@admin.register(FeedbackHistory)
class FeedbackHistoryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["feedback", "action", "from_status", "to_status", "actor", "at"]
    list_filter = ["action", "to_status"]
    raw_id_fields = ["feedback"]


@admin.register(FeedbackAttachment)
class FeedbackAttachmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["feedback", "original_filename", "content_type", "size", "uploaded_at"]
    raw_id_fields = ["feedback"]


@admin.register(FeedbackReaction)
class FeedbackReactionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["feedback", "value", "user", "created_at"]
    list_filter = ["value"]
    raw_id_fields = ["feedback", "user"]


@admin.register(FeedbackSequence)
class FeedbackSequenceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["day", "last_value"]
