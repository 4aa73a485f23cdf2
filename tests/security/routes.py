"""Every URL of the portal, read from the resolver, and what the matrix knows of it.

A new URL fails ``test_every_url_is_classified`` until it has an entry in
``ACCESS`` (who may use it at all) and, for each of its kwargs, a kind in
``KWARG_KINDS`` (or, for the ambiguous ``pk`` and ``code``, in ``URL_KINDS``).
The kind tells ``tests/security/objects.py`` how to find a foreign object's
value for a role, so the new URL joins the matrix with no other change.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

# Who may use a URL at all. A role outside the class must not get a 2xx, and
# its POST must write nothing, whatever the object.
PUBLIC = "public"  # anyone, signed in or not
SIGNED_IN = "signed_in"  # any signed-in account (own profile, sessions)
APPLICANT = "applicant"  # citizens and businesses
STAFF = "staff"  # any staff role (pages filter by the member's agencies)
OFFICE = "office"  # provincial office staff (and superusers)
ADMINISTRATOR = "administrator"  # administrator role or superuser
MACHINE = "machine"  # called by another system with its own credential
ACCESS_CLASSES = {PUBLIC, SIGNED_IN, APPLICANT, STAFF, OFFICE, ADMINISTRATOR, MACHINE}

ACCESS: dict[str, str] = {
    "queueing:device": PUBLIC,
    "queueing:device_scan": PUBLIC,
    "queueing:device_sign_in": PUBLIC,
    # records retention and disposal (records/* groups; others get a 404)
    "records:proposals": STAFF,
    "records:review": STAFF,
    "records:item_remove": STAFF,
    "records:approve": STAFF,
    "records:paper_download": STAFF,
    "records:holds": STAFF,
    "records:hold_lift": STAFF,
    # kernel
    "set_language": PUBLIC,
    "javascript-catalog": PUBLIC,
    "accounts:login": PUBLIC,
    "accounts:logout": SIGNED_IN,
    "accounts:profile": SIGNED_IN,
    "accounts:national_sso_start": PUBLIC,
    "accounts:national_sso_callback": PUBLIC,
    "accounts:second_factor_verify": STAFF,
    "accounts:second_factor_setup": STAFF,
    "accounts:second_factor_recovery_codes": STAFF,
    "accounts:second_factor_admin": ADMINISTRATOR,
    "accounts:second_factor_admin_reset": ADMINISTRATOR,
    "accounts:sessions_end_others": SIGNED_IN,
    "accounts:sessions_end_all": SIGNED_IN,
    "accounts:session_end": SIGNED_IN,
    "workdays:list": STAFF,
    "workdays:calculator": STAFF,
    "signing:root_pem": PUBLIC,
    "signing:root_der": PUBLIC,
    "signing:crl": PUBLIC,
    "api-schema": PUBLIC,
    "api-docs": PUBLIC,
    "web:home": PUBLIC,
    "web:dashboard": SIGNED_IN,
    "web:healthz": PUBLIC,
    "web:readyz": PUBLIC,
    "notifications:inbox": STAFF,
    "notifications:mark_read": STAFF,
    "web:metrics": MACHINE,  # Prometheus, from TTHC_METRICS_ALLOWED only
    # integration clients (OAuth2 client credentials) and their administration
    "api_clients:token": MACHINE,
    "api_clients:revoke-token": MACHINE,
    "api_clients:list": ADMINISTRATOR,
    "api_clients:create": ADMINISTRATOR,
    "api_clients:revoke": ADMINISTRATOR,
    "api_clients:rotate": ADMINISTRATOR,
    # catalogue and publication
    "procedures:catalogue": PUBLIC,
    "procedures:detail": PUBLIC,
    "procedures:detail_by_code": PUBLIC,
    "procedures:form_template": PUBLIC,
    # Signed-in pages whose rows are filtered by the member's agencies: an
    # applicant gets the page with nothing in it (the markers check the rows).
    "procedures:board": SIGNED_IN,
    "procedures:decision_create": OFFICE,
    "procedures:task": STAFF,
    "procedures:task_decide": STAFF,
    "procedures:item_draft": STAFF,
    "procedures:version": STAFF,
    "procedures:version_action": STAFF,
    "procedures:simplification": SIGNED_IN,
    "procedures:internal_procedures": SIGNED_IN,
    "procedures_api:catalogue-procedure-list": PUBLIC,
    "procedures_api:catalogue-procedure-detail": PUBLIC,
    "procedures_api:catalogue-field-list": PUBLIC,
    "procedures_api:catalogue-export-json": PUBLIC,
    "procedures_api:catalogue-export-csv": PUBLIC,
    "procedures_api:publication-task-list": STAFF,
    "procedures_api:publication-task-detail": STAFF,
    "procedures_api:publication-task-decision": STAFF,
    "procedures_api:publication-decision-create": OFFICE,
    "procedures_api:publication-item-draft": STAFF,
    "procedures_api:publication-version-detail": STAFF,
    "procedures_api:publication-version-submit": STAFF,
    "procedures_api:publication-version-approve": STAFF,
    "procedures_api:publication-version-return": STAFF,
    # dossiers
    "dossiers_api:dossier-list": SIGNED_IN,  # a staff account's own (empty) list
    "dossiers_api:dossier-detail": APPLICANT,
    "dossiers_api:dossier-components": APPLICANT,
    "dossiers_api:dossier-submit": APPLICANT,
    "dossiers_api:dossier-resubmit": APPLICANT,
    "dossiers_api:desk-dossier-list": STAFF,
    "dossiers_api:desk-dossier-detail": STAFF,
    "dossiers_api:desk-dossier-receive": STAFF,
    "dossiers_api:desk-dossier-request-completion": STAFF,
    "dossiers_api:desk-dossier-refuse": STAFF,
    "dossiers_api:lookup": PUBLIC,
    "processing:worklist": STAFF,
    "processing:dossier": STAFF,
    "processing:control_sheet": STAFF,
    "processing:assign": STAFF,
    "processing:complete": STAFF,
    "processing:send_back": STAFF,
    "processing:consult": STAFF,
    "processing:answer": STAFF,
    "processing:supplement_draft": STAFF,
    "processing:supplement_issue": STAFF,
    "processing:supplement_discard": STAFF,
    "processing:result_upload": STAFF,
    "processing:result_generate": STAFF,
    "processing:approve": STAFF,
    "processing:reject": STAFF,
    "processing:apology": STAFF,
    "processing:stop": STAFF,
    "register:index": STAFF,
    "register:download": STAFF,
    "dossiers:my_dossiers": SIGNED_IN,
    "dossiers:staff_search": STAFF,
    "dossiers:desk_bulk": STAFF,
    "dossiers:desk_bulk_apply": STAFF,
    "dossiers:desk_bulk_result": STAFF,  # token: a key of the officer's own session
    "dossiers:desk_bulk_print": STAFF,  # a staff account's own (empty) list
    "dossiers:submit_start": APPLICANT,
    "dossiers:personal_store": SIGNED_IN,  # a staff account's own (empty) list
    "dossiers:personal_download": APPLICANT,
    "dossiers:detail": APPLICANT,
    "dossiers:draft": APPLICANT,
    "dossiers:resubmit": APPLICANT,
    "dossiers:upload": APPLICANT,
    "dossiers:reuse": APPLICANT,
    # the applicant's files, also opened by the staff of the dossier's agencies
    "dossiers:component_download": SIGNED_IN,
    "dossiers:component_remove": APPLICANT,
    "dossiers:withdraw": APPLICANT,
    "dossiers:result": APPLICANT,
    "dossiers:result_download": APPLICANT,
    "dossiers:desk_queue": STAFF,
    "dossiers:counter_start": STAFF,
    "dossiers:counter_applicant": STAFF,
    "dossiers:desk_check": STAFF,
    "dossiers:desk_digitise": STAFF,
    "dossiers:desk_receive": STAFF,
    "dossiers:desk_request_completion": STAFF,
    "dossiers:desk_refuse": STAFF,
    "dossiers:desk_resubmit": STAFF,
    "dossiers:desk_transfer": STAFF,
    "dossiers:desk_returns": STAFF,
    "dossiers:desk_return": STAFF,
    # documents are shown to the applicant and to the dossier's agencies
    "dossiers:document_download": SIGNED_IN,
    "dossiers:document_status": SIGNED_IN,
    "dossiers:document_retry": SIGNED_IN,
    "dossiers:document_draft": STAFF,  # the unsigned result, for the staff who sign it
    "dossiers:lookup": PUBLIC,
    "dossiers:lookup_token": PUBLIC,
    "dossiers:payment_callback": MACHINE,
    "dossiers:payment_simulator": PUBLIC,
    "dossiers:payment_start": APPLICANT,
    "dossiers:payment_done": APPLICANT,
    "dossiers:payment_retry": APPLICANT,
    # feedback
    "feedback_api:pakn-submit": PUBLIC,
    "feedback_api:pakn-published-list": PUBLIC,
    "feedback_api:pakn-published-detail": PUBLIC,
    "feedback_api:pakn-react": PUBLIC,
    "feedback_api:pakn-staff-list": STAFF,
    "feedback_api:pakn-staff-detail": STAFF,
    "feedback_api:pakn-staff-action": STAFF,
    "feedback_api:pakn-criteria": STAFF,
    "feedback_api:rating-list": STAFF,
    "feedback_api:rating-summary": STAFF,
    "feedback_api:rating-by-link": PUBLIC,
    "feedback:kiosk": PUBLIC,
    "feedback:kiosk_rate": PUBLIC,
    "feedback:kiosk_done": PUBLIC,
    "feedback:rate_token": PUBLIC,  # retired address: one fixed 410 page
    "feedback:rate_mine": APPLICANT,
    "feedback:rate_link": PUBLIC,  # one-time link sent to the applicant
    "feedback:rate_link_done": PUBLIC,
    # the centre's floor: queue tickets and appointments
    "queueing:centres": PUBLIC,
    "queueing:kiosk": PUBLIC,
    "queueing:kiosk_ticket": PUBLIC,
    "queueing:display": PUBLIC,
    "queueing:display_data": PUBLIC,
    "queueing:counters": STAFF,
    "queueing:counter": STAFF,
    "queueing:statistics": STAFF,
    "queueing:statistics_export": STAFF,
    "queueing:book": APPLICANT,
    "queueing:my_appointments": APPLICANT,
    "queueing:appointment_cancel": APPLICANT,
    # fees at the counter with electronic receipts
    "receipts:desk_collect": STAFF,
    "receipts:receipt_detail": STAFF,
    "receipts:receipt_correct": STAFF,
    "receipts:receipt_send_again": STAFF,
    "receipts:receipt_download": SIGNED_IN,  # the desk, or the dossier's applicant
    "feedback:ratings": STAFF,
    "feedback:rating_detail": STAFF,
    "feedback:published": PUBLIC,
    "feedback:submit": PUBLIC,
    "feedback:track": PUBLIC,
    "feedback:published_detail": PUBLIC,
    "feedback:react": PUBLIC,
    "feedback:staff_inbox": STAFF,
    "feedback:staff_enter": STAFF,
    "feedback:staff_detail": STAFF,
    "feedback:attachment": STAFF,
    "feedback:staff_action": STAFF,
    "feedback:report": STAFF,
    "feedback:report_download": STAFF,
    # indicators
    "indicators_api:period-list": STAFF,
    "indicators_api:period-detail": STAFF,
    "indicators_api:period-results": STAFF,
    "indicators_api:period-summary": STAFF,
    "indicators_api:period-cases": STAFF,
    "indicators_api:period-predicted": STAFF,
    "indicators_api:period-at-risk": STAFF,
    "indicators_api:period-publish": OFFICE,
    "indicators_api:period-recompute": STAFF,
    "indicators_api:run-detail": STAFF,
    "indicators_api:periodic-report": STAFF,
    "indicators:dashboard": STAFF,
    "indicators:dashboard_download": STAFF,
    "indicators:province": STAFF,
    "indicators:province_download": STAFF,
    "indicators:unit": STAFF,
    "indicators:unit_download": STAFF,
    "indicators:province_cases": STAFF,
    "indicators:unit_cases": STAFF,
    "indicators:recompute": STAFF,
    "indicators:publish": OFFICE,
    "indicators:run_status": STAFF,
    "indicators:predicted": STAFF,
    "indicators:periodic_report": STAFF,
    "indicators:periodic_download": STAFF,
    "indicators:public_list": PUBLIC,
    "indicators:public_detail": PUBLIC,
    # national integration
    "integrations:file": MACHINE,
    "integrations:inbound_push": MACHINE,
    "integrations:paygov_notify": MACHINE,
    "integrations:paygov_return": PUBLIC,
    "integrations:datastore": STAFF,
    "integrations:sync_dashboard": OFFICE,
    "integrations:difference_resync": OFFICE,
    "integrations:dead_letter_resync": OFFICE,
    # the API's own 404 for unknown paths under each prefix
    "route:api/^(?:catalogue|publication)/(?:[\\s\\S]*/)?$": PUBLIC,
    "route:api/^(?:dossiers|desk|lookup)/(?:[\\s\\S]*/)?$": PUBLIC,
    "route:api/^(?:pakn|ratings)/(?:[\\s\\S]*/)?$": PUBLIC,
    "route:api/^(?:indicators)/(?:[\\s\\S]*/)?$": PUBLIC,
}

# Unnamed patterns cannot be reversed: the path the matrix requests instead.
UNNAMED_PATHS: dict[str, str] = {
    "route:api/^(?:catalogue|publication)/(?:[\\s\\S]*/)?$": "/api/catalogue/khong-co/",
    "route:api/^(?:dossiers|desk|lookup)/(?:[\\s\\S]*/)?$": "/api/dossiers/khong-co/",
    "route:api/^(?:pakn|ratings)/(?:[\\s\\S]*/)?$": "/api/pakn/khong-co/",
    "route:api/^(?:indicators)/(?:[\\s\\S]*/)?$": "/api/indicators/khong-co/",
}

# POST to these would end the test client's own session: GET only.
GET_ONLY = {"accounts:logout", "accounts:sessions_end_all", "accounts:sessions_end_others"}

# The object kind behind a kwarg (see objects.py). ``pk`` and ``code`` mean a
# different object on each URL, hence URL_KINDS.
KWARG_KINDS: dict[str, str] = {
    "item_pk": "disposal_item",
    "paper": "paper_kind",
    "dossier_id": "dossier",
    "procedure_pk": "procedure",
    "component_pk": "component",
    "requirement_pk": "requirement",
    "attachment_pk": "pakn_attachment",
    "agency_id": "indicator_agency",
    "period_id": "period",
    "run_id": "run",
    "reference": "payment",
    "token": "token",
    "serial": "crl_serial",
    "fmt": "fmt",
    "action": "action",
    "label": "period_label",
    "centre_id": "queue_centre",
    "counter_id": "queue_counter",
    "appointment_id": "queue_appointment",
}

URL_KINDS: dict[str, str] = {
    "queueing:device": "queue_device",
    "queueing:device_scan": "queue_device",
    "queueing:device_sign_in": "queue_device",
    "records:review": "disposal_list",
    "records:item_remove": "disposal_list",
    "records:approve": "disposal_list",
    "records:paper_download": "disposal_list",
    "records:hold_lift": "legal_hold",
    "receipts:desk_collect": "dossier",
    "receipts:receipt_detail": "receipt",
    "receipts:receipt_correct": "receipt",
    "receipts:receipt_send_again": "receipt",
    "receipts:receipt_download": "receipt",
    "accounts:second_factor_admin_reset": "staff_user",
    "accounts:session_end": "signin_session",
    "api_clients:revoke": "api_client",
    "api_clients:rotate": "api_client",
    "procedures:detail": "procedure",
    "procedures:detail_by_code": "procedure_code",
    "procedures:form_template": "form_template",
    "procedures:task": "publication_task",
    "procedures:task_decide": "publication_task",
    "procedures:item_draft": "publication_item",
    "procedures:version": "version",
    "procedures:version_action": "version",
    "procedures_api:catalogue-procedure-detail": "procedure",
    "procedures_api:publication-task-detail": "publication_task",
    "procedures_api:publication-task-decision": "publication_task",
    "procedures_api:publication-item-draft": "publication_item",
    "procedures_api:publication-version-detail": "version",
    "procedures_api:publication-version-submit": "version",
    "procedures_api:publication-version-approve": "version",
    "procedures_api:publication-version-return": "version",
    "dossiers_api:dossier-detail": "dossier",
    "dossiers_api:dossier-components": "dossier",
    "dossiers_api:dossier-submit": "dossier",
    "dossiers_api:dossier-resubmit": "dossier",
    "dossiers_api:desk-dossier-detail": "dossier",
    "dossiers_api:desk-dossier-receive": "dossier",
    "dossiers_api:desk-dossier-request-completion": "dossier",
    "dossiers_api:desk-dossier-refuse": "dossier",
    "dossiers:personal_download": "personal_document",
    "dossiers:document_download": "document",
    "dossiers:document_status": "document",
    "dossiers:document_retry": "document",
    "dossiers:document_draft": "document",
    "feedback_api:pakn-published-detail": "pakn_code",
    "feedback_api:pakn-react": "pakn_code",
    "feedback_api:pakn-staff-detail": "pakn",
    "feedback_api:pakn-staff-action": "pakn",
    "feedback:rating_detail": "rating",
    "feedback:published_detail": "pakn_code",
    "feedback:react": "pakn_code",
    "feedback:staff_detail": "pakn",
    "feedback:attachment": "pakn",
    "feedback:staff_action": "pakn",
    "indicators_api:period-detail": "period",
    "indicators_api:period-results": "period",
    "indicators_api:period-summary": "period",
    "indicators_api:period-cases": "period",
    "indicators_api:period-predicted": "period",
    "indicators_api:period-at-risk": "period",
    "indicators_api:period-publish": "period",
    "indicators_api:period-recompute": "period",
    "indicators_api:run-detail": "run",
    "indicators:province_cases": "criterion_code",
    "indicators:unit_cases": "criterion_code",
    "integrations:difference_resync": "difference",
    "integrations:dead_letter_resync": "sync_task",
}
# Every other URL whose ``pk`` names a dossier (citizen, desk and processing pages).
DOSSIER_PK_NAMESPACES = ("dossiers:", "processing:")


@dataclass(frozen=True)
class Route:
    name: str
    route: str
    kwargs: tuple[str, ...]
    view: str

    def kind_of(self, kwarg: str) -> str | None:
        if kwarg in ("pk", "code"):
            if self.name in URL_KINDS:
                return URL_KINDS[self.name]
            if kwarg == "pk" and self.name.startswith(DOSSIER_PK_NAMESPACES):
                return "dossier"
            return None
        return KWARG_KINDS.get(kwarg)


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            if entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
            else:  # unnamed (catch-alls): keyed by the route itself
                name = f"route:{prefix}{entry.pattern}"
                name = f"{namespace}:{name}" if namespace == "admin" else name
            kwargs = tuple(
                getattr(entry.pattern, "converters", None) or entry.pattern.regex.groupindex
            )
            callback = entry.callback
            view = f"{callback.__module__}.{getattr(callback, '__name__', repr(callback))}"
            yield Route(name=name, route=prefix + str(entry.pattern), kwargs=kwargs, view=view)


def routes_all() -> list[Route]:
    """Every URL pattern, the admin site's included (namespace ``admin``)."""
    return list(_walk(get_resolver().url_patterns))


def routes_portal() -> list[Route]:
    return [route for route in routes_all() if not route.name.startswith("admin:")]


def routes_admin() -> list[Route]:
    return [route for route in routes_all() if route.name.startswith("admin:")]
