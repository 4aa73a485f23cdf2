"""A national procedure against the local version: what differs, and the content of a
new draft that carries the national values for exactly those parts (everything else —
workflow, agencies, local notes — is copied from the version in force)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from procedures.models import ProcedureVersion
from tthc_portal.text import fold
from tthc_portal.workdays.calendar import TimeUnit

from .shape import CHANNEL_FLAGS, IN_PERSON, ONLINE, POSTAL, NationalProcedure, NationalTime

CHANNEL_NAMES = {IN_PERSON: "trực tiếp", ONLINE: "trực tuyến", POSTAL: "bưu chính"}
NO_LIMIT = (TimeUnit.SAME_DAY.value, TimeUnit.IMMEDIATE.value)
# Parts compared, in the order a note lists them.
NAME, CHANNELS, TIME, FEES, COMPONENTS, RESULTS, LEGAL = (
    "name", "channels", "time", "fees", "components", "results", "legal",
)  # fmt: skip


def _same_time(version: ProcedureVersion, time: NationalTime) -> bool:
    if time.unit is None or time.unit != version.time_unit:
        return False
    if time.unit in NO_LIMIT:
        return True
    local = None if version.time_limit is None else Decimal(version.time_limit)
    return local == time.limit  # None on both sides: no fixed limit


def _fee_pairs(rows: list[dict[str, Any]]) -> Counter:
    pairs = Counter()
    for row in rows:
        amount = row.get("amount_vnd") or 0
        online = row.get("online_amount_vnd")
        online = amount if online is None else online
        if amount or online:
            pairs[(int(amount), int(online))] += 1
    return pairs


def _local_fees(version: ProcedureVersion) -> list[dict[str, Any]]:
    return [
        {"amount_vnd": fee.amount_vnd, "online_amount_vnd": fee.online_amount_vnd}
        for fee in version.fees.all()
    ]


def _names(values: list[str]) -> Counter:
    return Counter(fold(value) for value in values)


def _legal_key(number: str, title: str) -> str:
    return fold(number) or fold(title)


def _legal_differs(version: ProcedureVersion, legal: list[tuple[str, str]]) -> bool:
    titles = [fold(basis.title) for basis in version.legal_bases.all()]
    if len(titles) != len(legal):
        return True
    return any(not any(_legal_key(n, t) in title for title in titles) for n, t in legal)


def differences(version: ProcedureVersion, national: NationalProcedure) -> list[str]:
    """The parts (NAME, TIME, …) where the national procedure says something else."""
    found = []
    if national.name and fold(national.name) != fold(version.name):
        found.append(NAME)
    if national.channels and national.channels != {
        channel for channel, flag in CHANNEL_FLAGS.items() if getattr(version, flag)
    }:
        found.append(CHANNELS)
    if any(not _same_time(version, time) for time in national.times.values()):
        found.append(TIME)
    if national.fees is not None and _fee_pairs(national.fees) != _fee_pairs(_local_fees(version)):
        found.append(FEES)
    if national.components is not None and _names(national.components) != _names(
        [component.name for component in version.components.all()]
    ):
        found.append(COMPONENTS)
    if national.results and any(
        fold(result) not in fold(version.result_text) for result in national.results
    ):
        found.append(RESULTS)
    if national.legal is not None and _legal_differs(version, national.legal):
        found.append(LEGAL)
    return found


def describe(parts: list[str], national: NationalProcedure) -> list[str]:
    labels = {
        NAME: _("tên thủ tục"),
        CHANNELS: _("cách thức thực hiện (kênh nộp)"),
        FEES: _("phí, lệ phí"),
        COMPONENTS: _("thành phần hồ sơ"),
        RESULTS: _("kết quả thực hiện"),
        LEGAL: _("căn cứ pháp lý"),
    }
    described = []
    for part in parts:
        if part != TIME:
            described.append(str(labels[part]))
            continue
        for channel, time in sorted(national.times.items()):
            described.append(
                _("thời hạn giải quyết (kênh %(c)s: %(v)s %(u)s)")
                % {"c": CHANNEL_NAMES[channel], "v": time.limit or "", "u": time.label}
            )
    return described


def _time_content(national: NationalProcedure) -> dict[str, Any]:
    channel = IN_PERSON if IN_PERSON in national.times else min(national.times)
    time = national.times[channel]
    content: dict[str, Any] = {"time_text": time.text or f"{time.limit or ''} {time.label}".strip()}
    if time.unit is not None:
        content["time_unit"] = time.unit
        content["time_limit"] = None if time.unit in NO_LIMIT else time.limit
    return content


def _components(version: ProcedureVersion, names: list[str]) -> list[dict[str, Any]]:
    """National list, keeping a local row's details where the names match."""
    local = {fold(c.name): c for c in version.components.all()}
    rows = []
    for order, name in enumerate(names, start=1):
        known = local.get(fold(name))
        row = {"order": order, "name": name}
        if known is not None:
            row.update(copy_kind=known.copy_kind, count=known.count, required=known.required,
                       form_template=known.form_template, must_digitise=known.must_digitise,
                       note=known.note)  # fmt: skip
        rows.append(row)
    return rows


def _legal(version: ProcedureVersion, legal: list[tuple[str, str]]) -> list[dict[str, Any]]:
    local = list(version.legal_bases.all())
    rows = []
    for number, title in legal:
        key = _legal_key(number, title)
        known = next((b for b in local if key in fold(b.title)), None)
        if known is not None:
            rows.append({"title": known.title, "effective_date": known.effective_date})
        elif number and fold(number) not in fold(title):
            rows.append({"title": f"{title} số {number}".strip()})
        else:
            rows.append({"title": title or number})
    return rows


def draft_content(
    version: ProcedureVersion, national: NationalProcedure, parts: list[str]
) -> tuple[dict[str, Any], dict[str, list[dict]]]:
    """(content, children) for ``version_create_draft(base=version, …)``."""
    content: dict[str, Any] = {}
    children: dict[str, list[dict]] = {}
    if NAME in parts:
        content["name"] = national.name[:500]
    if CHANNELS in parts:
        content.update({flag: channel in national.channels
                        for channel, flag in CHANNEL_FLAGS.items()})  # fmt: skip
    if TIME in parts:
        content.update(_time_content(national))
    if FEES in parts:
        children["fees"] = [{**row, "unit": "", "note": ""} for row in national.fees or []]
    if COMPONENTS in parts:
        children["components"] = _components(version, national.components or [])
    if RESULTS in parts:
        content["result_text"] = "; ".join(national.results or [])
    if LEGAL in parts:
        children["legal_bases"] = _legal(version, national.legal or [])
    return content, children
