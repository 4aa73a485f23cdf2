"""Which fees a dossier owes, from the version it was submitted under."""

from __future__ import annotations

from ..models import Channel, Dossier


def dossier_fee_items(dossier: Dossier) -> list[dict]:
    """Fee rows for the dossier: every fixed item plus the chosen tier, with the
    online amount when the dossier came online and one is published."""
    chosen = str(dossier.form_data.get("fee_choice") or "")
    items = []
    for fee in dossier.procedure_version.fees.all():
        if fee.is_alternative and str(fee.pk) != chosen:
            continue
        amount = fee.amount_vnd
        if dossier.channel == Channel.ONLINE and fee.online_amount_vnd is not None:
            amount = fee.online_amount_vnd
        if amount is None:
            continue
        items.append({"fee": fee.pk, "name": fee.name, "kind": fee.kind, "amount_vnd": amount})
    return items


def dossier_fee_total(dossier: Dossier) -> int:
    return sum(item["amount_vnd"] for item in dossier_fee_items(dossier))
