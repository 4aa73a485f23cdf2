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
from .supplements import SupplementRequest, SupplementStage

__all__ = [
    "OPEN_STATUSES",
    "TERMINAL_STATUSES",
    "Channel",
    "ClockPause",
    "DailySequence",
    "DocumentKind",
    "Dossier",
    "DossierCodeFormat",
    "DossierComponent",
    "DossierDocument",
    "GatewayFlag",
    "NationalStatusMap",
    "Payment",
    "PaymentStatus",
    "PersonalDocument",
    "RenderStatus",
    "SourceForm",
    "Status",
    "StatusHistory",
    "SupplementRequest",
    "SupplementStage",
]
