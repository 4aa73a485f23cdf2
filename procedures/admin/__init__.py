"""Back-office for the catalogue and publication control.

The admin never bypasses the lifecycle: versions are created by the
publication workspace or the importer, a draft's edits go through
``version_update`` (audit, derived search text, content hash), and anything
that is no longer a draft is read-only. Decisions and tasks are read-only
records of the services; the deadline rules and fields are the configuration
a province edits here.
"""

from .base import ReadOnlyAdminMixin
from .catalogue import (
    CONTENT_NAMES,
    ComponentInline,
    DraftOnlyInline,
    FeeInline,
    FieldAdmin,
    LegalBasisInline,
    ProcedureAdmin,
    ProcedureVersionAdmin,
    VersionListInline,
    WorkflowStepInline,
)
from .publication import (
    DeadlineRuleForm,
    DecisionItemInline,
    MinistryDecisionAdmin,
    PublicationDeadlineRuleAdmin,
    PublicationTaskAdmin,
    TaskItemInline,
)
from .simplification import SimplificationPlanAdmin

__all__ = [
    "CONTENT_NAMES",
    "ComponentInline",
    "DeadlineRuleForm",
    "DecisionItemInline",
    "DraftOnlyInline",
    "FeeInline",
    "FieldAdmin",
    "LegalBasisInline",
    "MinistryDecisionAdmin",
    "ProcedureAdmin",
    "ProcedureVersionAdmin",
    "PublicationDeadlineRuleAdmin",
    "PublicationTaskAdmin",
    "ReadOnlyAdminMixin",
    "SimplificationPlanAdmin",
    "TaskItemInline",
    "VersionListInline",
    "WorkflowStepInline",
]
