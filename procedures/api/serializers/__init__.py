"""Serializers of the catalogue and publication API, split by domain.

``shared`` (version content, errors, references), ``catalogue`` (public read
serializers), ``versions`` (staff view and edit bodies of a version) and
``publication`` (ministry decisions and publication tasks). Every name stays
importable from ``procedures.api.serializers``.
"""

from __future__ import annotations

from .catalogue import (
    CatalogueExportSerializer,
    CatalogueFieldSerializer,
    CatalogueProcedureDetailSerializer,
    CatalogueProcedureSerializer,
    ComponentSerializer,
    FeeSerializer,
    LegalBasisSerializer,
    WorkflowStepSerializer,
)
from .publication import (
    ChairmanDecisionInputSerializer,
    DeadlineStateSerializer,
    MinistryDecisionInputSerializer,
    MinistryDecisionItemInputSerializer,
    MinistryDecisionRefSerializer,
    MinistryDecisionSerializer,
    PublicationItemSerializer,
    PublicationTaskSerializer,
)
from .shared import (
    VERSION_CONTENT,
    AgencyRefSerializer,
    ErrorSerializer,
    FieldRefSerializer,
)
from .versions import (
    ComponentInputSerializer,
    FeeInputSerializer,
    LegalBasisInputSerializer,
    StaffVersionSerializer,
    TransitionInputSerializer,
    VersionUpdateSerializer,
    WorkflowStepInputSerializer,
)

__all__ = [
    "VERSION_CONTENT",
    "AgencyRefSerializer",
    "CatalogueExportSerializer",
    "CatalogueFieldSerializer",
    "CatalogueProcedureDetailSerializer",
    "CatalogueProcedureSerializer",
    "ChairmanDecisionInputSerializer",
    "ComponentInputSerializer",
    "ComponentSerializer",
    "DeadlineStateSerializer",
    "ErrorSerializer",
    "FeeInputSerializer",
    "FeeSerializer",
    "FieldRefSerializer",
    "LegalBasisInputSerializer",
    "LegalBasisSerializer",
    "MinistryDecisionInputSerializer",
    "MinistryDecisionItemInputSerializer",
    "MinistryDecisionRefSerializer",
    "MinistryDecisionSerializer",
    "PublicationItemSerializer",
    "PublicationTaskSerializer",
    "StaffVersionSerializer",
    "TransitionInputSerializer",
    "VersionUpdateSerializer",
    "WorkflowStepInputSerializer",
    "WorkflowStepSerializer",
]
