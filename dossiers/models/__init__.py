from .documents import (
    DocumentKind,
    DossierComponent,
    DossierDocument,
    PersonalDocument,
    RenderStatus,
    SourceForm,
)
from .dossier import (
    OPEN_STATUSES,
    TERMINAL_STATUSES,
    Channel,
    ClockPause,
    DailySequence,
    Dossier,
    DossierCodeFormat,
    NationalStatusMap,
    Status,
    StatusHistory,
)
from .payments import GatewayFlag, Payment, PaymentStatus
from .processing import Apology, DossierStep, StepKind, StepOutcome, Timeliness
from .supplements import SupplementRequest, SupplementStage, SupplementState

__all__ = [
    "OPEN_STATUSES",
    "TERMINAL_STATUSES",
    "Apology",
    "Channel",
    "ClockPause",
    "DailySequence",
    "DocumentKind",
    "Dossier",
    "DossierCodeFormat",
    "DossierComponent",
    "DossierDocument",
    "DossierStep",
    "GatewayFlag",
    "NationalStatusMap",
    "Payment",
    "PaymentStatus",
    "PersonalDocument",
    "RenderStatus",
    "SourceForm",
    "Status",
    "StatusHistory",
    "StepKind",
    "StepOutcome",
    "SupplementRequest",
    "SupplementStage",
    "SupplementState",
    "Timeliness",
]
