"""Receipt providers behind one interface: issue, view (look up by key), replace and
technical void. The real services are VNPT's and Viettel's; ``viettel`` is shaped on
Viettel's REST/JSON API, which the local simulator (``receipts.simulator``) serves.

An adapter is chosen per target: ``Target.options["adapter"]`` (default ``viettel``).
Paths, timeouts, retry budget and backoff are the target's; credentials are the
target's ``UnitCredential`` rows (never inside per-unit JSON)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from integrations.models import Target

    from ..models import Receipt


class Outcome(StrEnum):
    OK = "ok"  # done (issued, found, voided, replaced)
    NOT_FOUND = "not_found"  # view: the provider holds no receipt with this key
    EXISTS = "exists"  # issue: the key is already used at the provider
    TRANSIENT = "transient"  # timeout, 5xx, connection refused: the same call may succeed later
    REFUSED = "refused"  # the provider refused the data or the operation: do not retry as is


@dataclass(frozen=True)
class ProviderResult:
    outcome: Outcome
    provider_ref: str = ""
    number: int | None = None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.outcome == Outcome.OK


class ReceiptProvider(ABC):
    """One provider account of one collecting organisation. Every call is logged
    (``integrations.SyncAttempt``) by ``save_log``."""

    def __init__(self, target: Target) -> None:
        self.target = target

    @abstractmethod
    def issue(self, receipt: Receipt) -> ProviderResult: ...

    @abstractmethod
    def view(self, receipt: Receipt) -> ProviderResult:
        """Look the receipt up by its key: run before any retry of ``issue``."""

    @abstractmethod
    def replace(self, receipt: Receipt, original: Receipt) -> ProviderResult:
        """Issue ``receipt`` as the replacement of ``original`` (Circular 91, Art. 20)."""

    @abstractmethod
    def void(self, receipt: Receipt, reason: str) -> ProviderResult:
        """Technical void before the data reached the tax authority."""

    @abstractmethod
    def save_log(self) -> None:
        """Write the attempts collected so far."""


ADAPTERS = {
    "viettel": "receipts.providers.viettel.ViettelProvider",
}


def provider_for(target: Target) -> ReceiptProvider:
    name = (target.options or {}).get("adapter", "viettel")
    return import_string(ADAPTERS[name])(target)
