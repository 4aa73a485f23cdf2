from .inbound import InboundKind, InboundMessage, InboundStatus
from .outbound import (
    BREAKING_CLASSES,
    TRANSIENT,
    DossierSync,
    EventKind,
    EventStatus,
    ReplyClass,
    SyncAttempt,
    SyncEvent,
    SyncTask,
)
from .payments import PaymentMessage, StoreEvidence, StoreLookup
from .reconcile import Difference, DifferenceKind, NationalFigure, ReconciliationRun
from .targets import CodeMap, MapKind, Target, TargetKind, Transport, UnitCredential, UnmappedItem

__all__ = [
    "BREAKING_CLASSES",
    "TRANSIENT",
    "CodeMap",
    "Difference",
    "DifferenceKind",
    "DossierSync",
    "EventKind",
    "EventStatus",
    "InboundKind",
    "InboundMessage",
    "InboundStatus",
    "MapKind",
    "NationalFigure",
    "PaymentMessage",
    "ReconciliationRun",
    "ReplyClass",
    "StoreEvidence",
    "StoreLookup",
    "SyncAttempt",
    "SyncEvent",
    "SyncTask",
    "Target",
    "TargetKind",
    "Transport",
    "UnitCredential",
    "UnmappedItem",
]
