"""API routes, mounted under /api/ (documented at /api/docs/)."""

from django.urls import path

from tthc_portal.api_errors import api_catch_all

from . import views

app_name = "procedures_api"

catalogue_list = views.CatalogueProcedureViewSet.as_view({"get": "list"})
catalogue_detail = views.CatalogueProcedureViewSet.as_view({"get": "retrieve"})
fields_list = views.CatalogueFieldListView.as_view({"get": "list"})
tasks_list = views.PublicationTaskViewSet.as_view({"get": "list"})
task_detail = views.PublicationTaskViewSet.as_view({"get": "retrieve"})
task_decision = views.PublicationTaskViewSet.as_view({"post": "decision"})
version_detail = views.VersionViewSet.as_view({"get": "retrieve", "patch": "partial_update"})
version_submit = views.VersionViewSet.as_view({"post": "submit"})
version_approve = views.VersionViewSet.as_view({"post": "approve"})
version_return = views.VersionViewSet.as_view({"post": "return_to_draft"})

urlpatterns = [
    # public catalogue (anonymous, throttled)
    path("catalogue/procedures/", catalogue_list, name="catalogue-procedure-list"),
    path("catalogue/procedures/<int:pk>/", catalogue_detail, name="catalogue-procedure-detail"),
    path("catalogue/fields/", fields_list, name="catalogue-field-list"),
    path(
        "catalogue/export.json",
        views.CatalogueExportJSONView.as_view(),
        name="catalogue-export-json",
    ),
    path(
        "catalogue/export.csv",
        views.CatalogueExportCSVView.as_view(),
        name="catalogue-export-csv",
    ),
    # staff publication workspace (scoped to the user's agencies)
    path("publication/tasks/", tasks_list, name="publication-task-list"),
    path("publication/tasks/<int:pk>/", task_detail, name="publication-task-detail"),
    path("publication/tasks/<int:pk>/decision/", task_decision, name="publication-task-decision"),
    path(
        "publication/decisions/",
        views.MinistryDecisionCreateView.as_view(),
        name="publication-decision-create",
    ),
    path(
        "publication/items/<int:pk>/draft/",
        views.PublicationItemDraftView.as_view(),
        name="publication-item-draft",
    ),
    path("publication/versions/<int:pk>/", version_detail, name="publication-version-detail"),
    path(
        "publication/versions/<int:pk>/submit/", version_submit, name="publication-version-submit"
    ),
    path(
        "publication/versions/<int:pk>/approve/",
        version_approve,
        name="publication-version-approve",
    ),
    path(
        "publication/versions/<int:pk>/return/", version_return, name="publication-version-return"
    ),
    # Anything else under these prefixes (e.g. a non-integer id): a JSON 404, not HTML.
    api_catch_all("catalogue", "publication"),
]
