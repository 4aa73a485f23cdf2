"""REST API: the public catalogue and the staff publication workspace, split by domain.

Views are thin: reads come from querysets scoped at the source (public
versions for everybody, ``agencies_for_user`` for staff), writes go through
the services. ``shared`` holds the error handling and access rules,
``catalogue`` the public views, ``publication`` the tasks and decisions,
``versions`` the drafting and review of versions. Every name stays importable
from ``procedures.api.views``.
"""

from __future__ import annotations

from .catalogue import (
    CatalogueExportCSVView,
    CatalogueExportJSONView,
    CatalogueFieldListView,
    CatalogueProcedureViewSet,
    catalogue_detail_queryset,
    catalogue_queryset,
    export_rows,
)
from .publication import (
    MinistryDecisionCreateView,
    PublicationItemDraftView,
    PublicationTaskViewSet,
    deadline_context,
    task_queryset,
)
from .shared import (
    ERRORS,
    ApiErrorsMixin,
    ControlsPublication,
    HasAgencyPermission,
    IsAgencyStaff,
    PublicMixin,
    StaffMixin,
)
from .versions import (
    VersionViewSet,
    staff_version_queryset,
)

__all__ = [
    "ERRORS",
    "ApiErrorsMixin",
    "CatalogueExportCSVView",
    "CatalogueExportJSONView",
    "CatalogueFieldListView",
    "CatalogueProcedureViewSet",
    "ControlsPublication",
    "HasAgencyPermission",
    "IsAgencyStaff",
    "MinistryDecisionCreateView",
    "PublicMixin",
    "PublicationItemDraftView",
    "PublicationTaskViewSet",
    "StaffMixin",
    "VersionViewSet",
    "catalogue_detail_queryset",
    "catalogue_queryset",
    "deadline_context",
    "export_rows",
    "staff_version_queryset",
    "task_queryset",
]
