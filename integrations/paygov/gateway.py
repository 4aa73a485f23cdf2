"""The PayGov gateway for the dossier payment pages.

Selected with ``settings.TTHC["PAYMENT_GATEWAY"] =
"integrations.paygov.gateway.PayGovGateway"``. The partner code and secret are
the PayGov target's (integrations.Target of kind "paygov" and its credential),
not gateway options: the options of the simulated gateway are ignored."""

from __future__ import annotations

from typing import Any

from dossiers.models import GatewayFlag, Payment
from dossiers.services.payments import CallbackData, PaymentGateway

from .services import GATEWAY_CODE, paygov_init


class PayGovGateway(PaymentGateway):
    code = GATEWAY_CODE
    flag = GatewayFlag.NATIONAL

    def __init__(self, **_options: Any) -> None:
        pass

    def start_url(self, payment: Payment, *, client_ip: str = "") -> str:
        return paygov_init(payment, client_ip=client_ip)

    def verify(self, data: CallbackData) -> bool:
        # PayGov confirms on its own endpoint with MaXacThuc; the form-style
        # callback of the simulated bank is never genuine here.
        return False
