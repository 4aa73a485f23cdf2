"""The admin is not a second write path (issue #16, "admin for reading").

Every registration is classified here. Records the services keep (lifecycles,
history, permissions, calendar days, PAKN, ratings, logs) must be read-only for
a superuser; the few the admin may write must route every save and delete
through a service (they override save_model, delete_model and delete_queryset,
or refuse delete). A new registration fails until it is classified.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.test import RequestFactory

from tests.factories import UserFactory

READ_ONLY = {
    "audit.AuditEvent",
    "auth.Group",
    "feedback.Feedback",
    "feedback.FeedbackAttachment",
    "feedback.FeedbackHistory",
    "feedback.FeedbackReaction",
    "feedback.FeedbackSequence",
    "feedback.Rating",
    "feedback.RatingRevision",
    "feedback.RatingScore",
    "indicators.IndicatorResult",
    "indicators.RecomputeRun",
    "indicators.ReportPeriod",
    "integrations.Difference",
    "integrations.DossierSync",
    "integrations.InboundMessage",
    "integrations.NationalFigure",
    "integrations.PaymentMessage",
    "integrations.ReconciliationRun",
    "integrations.StoreLookup",
    "integrations.SyncAttempt",
    "integrations.SyncEvent",
    "integrations.SyncTask",
    "integrations.UnmappedItem",
    "notifications.OutboxMessage",
    "feedback.RatingLink",
    "queueing.Appointment",
    "queueing.Ticket",
    "records.DisposalList",
    "records.DisposedDossier",
    "records.LegalHold",
    "receipts.Receipt",
    "receipts.ReceiptNotice",
    "procedures.MinistryDecision",
    "procedures.Procedure",
    "procedures.PublicationTask",
    "signing.AgencyCertificate",
    "signing.CertificateAuthority",
    "workdays.CalendarException",
    "workdays.OfficialCalendarRelease",
}
# Written in the admin, but only through a service (audit, groups, versions).
THROUGH_SERVICES = {
    "accounts.User",  # rights fields removed; scoped to the administrator's staff
    "agencies.Agency",  # save_model → agency_groups_sync; no object permission pages
    "agencies.StaffMembership",  # membership_grant / membership_revoke
    "dossiers.DossierCodeFormat",  # dated versions, in-force rows locked
    "notifications.MessageTemplate",  # message_template_update (audited)
    "procedures.ProcedureVersion",  # drafts only, through the catalogue services
}
# Dated configuration and reference data the administrator maintains.
CONFIGURATION = {
    "agencies.OneStopDesk",
    "api_clients.ApiClient",
    "feedback.PaknDeadlineRule",
    "feedback.PaknPolicy",
    "feedback.RatingBand",
    "feedback.RatingCriterion",
    "feedback.RatingRuleSet",
    "indicators.IndexRuleSet",
    "integrations.CodeMap",
    "integrations.Target",
    "integrations.UnitCredential",
    "procedures.Field",
    "procedures.PublicationDeadlineRule",
    "procedures.SimplificationPlan",
    "queueing.AppointmentSlot",
    "queueing.Counter",
    "queueing.KioskDevice",
    "queueing.PriorityClass",
    "queueing.ServiceGroup",
    "receipts.ReceiptSeries",
    "records.RetentionRule",  # dated retention periods (unconfirmed: the province decides)
}
# django-axes' lockout records: deleting one is how an administrator unlocks.
THIRD_PARTY = {"axes.AccessAttempt", "axes.AccessFailureLog", "axes.AccessLog"}


def _registrations() -> dict[str, ModelAdmin]:
    return {model._meta.label: model_admin for model, model_admin in admin.site._registry.items()}


def _extra_classified() -> dict[str, set[str]]:
    """Apps that classify their own registrations (``ADMIN_WRITE_PATHS``)."""
    found: dict[str, set[str]] = {"read_only": set(), "through_services": set(), "config": set()}
    for model_admin in _registrations().values():
        for kind, labels in getattr(model_admin, "admin_write_paths", {}).items():
            found[kind] |= set(labels)
    return found


def test_every_registration_is_classified() -> None:
    extra = _extra_classified()
    known = (
        READ_ONLY
        | THROUGH_SERVICES
        | CONFIGURATION
        | THIRD_PARTY
        | extra["read_only"]
        | extra["through_services"]
        | extra["config"]
    )
    unknown = sorted(set(_registrations()) - known)
    assert not unknown, f"classify these admin registrations: {unknown}"


@pytest.mark.django_db
def test_records_kept_by_services_are_read_only_in_the_admin() -> None:
    request = RequestFactory().get("/quan-tri/")
    request.user = UserFactory(is_superuser=True, is_staff=True)
    registrations = _registrations()
    writable = []
    for label in sorted(READ_ONLY | _extra_classified()["read_only"]):
        model_admin = registrations.get(label)
        if model_admin is None:
            writable.append(f"{label}: not registered (drop it from the list)")
            continue
        for check in ("has_add_permission", "has_change_permission", "has_delete_permission"):
            if getattr(model_admin, check)(request):
                writable.append(f"{label}: {check}")
        for inline in model_admin.get_inline_instances(request):
            if inline.has_add_permission(request, None) or inline.has_change_permission(request):
                writable.append(f"{label}: inline {type(inline).__name__} is writable")
    assert not writable, writable


def _overrides(model_admin: ModelAdmin, method: str) -> bool:
    return getattr(type(model_admin), method) is not getattr(ModelAdmin, method)


@pytest.mark.django_db
def test_admin_writes_go_through_services() -> None:
    request = RequestFactory().get("/quan-tri/")
    request.user = UserFactory(is_superuser=True, is_staff=True)
    registrations = _registrations()
    bare = []
    for label in sorted(THROUGH_SERVICES | _extra_classified()["through_services"]):
        model_admin = registrations[label]
        if label == "accounts.User":
            continue  # checked below: its rights fields are gone
        writes = model_admin.has_add_permission(request) or model_admin.has_change_permission(
            request
        )
        if writes and not _overrides(model_admin, "save_model"):
            bare.append(f"{label}: saves without a service")
        bulk_delete = "delete_selected" in model_admin.get_actions(request)
        if model_admin.has_delete_permission(request) and not (
            _overrides(model_admin, "delete_model")
            and (_overrides(model_admin, "delete_queryset") or not bulk_delete)
        ):
            bare.append(f"{label}: deletes without a service")
    assert not bare, bare


@pytest.mark.django_db
def test_no_per_user_or_direct_permission_editing() -> None:
    from guardian.admin import GuardedModelAdminMixin

    request = RequestFactory().get("/quan-tri/")
    request.user = UserFactory(is_superuser=True, is_staff=True)
    guarded = [
        label
        for label, model_admin in _registrations().items()
        if isinstance(model_admin, GuardedModelAdminMixin)
    ]
    assert not guarded, f"per-user object permission pages: {guarded}"
    user_admin = _registrations()["accounts.User"]
    fields = {
        field
        for _name, options in user_admin.get_fieldsets(request, request.user)
        for field in options["fields"]
    }
    assert not fields & {"groups", "user_permissions"}
