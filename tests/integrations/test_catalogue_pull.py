"""The catalogue pull: a national procedure that differs becomes one new draft version
(never an edit of the published one); an unchanged one nothing; an unknown one waits in
the unmapped queue."""

from __future__ import annotations

import copy

import pytest

from integrations.catalogue import catalogue_pull, catalogue_pull_due, version_national
from integrations.catalogue.compare import differences
from integrations.catalogue.shape import national_read
from integrations.models import MapKind, UnmappedItem
from integrations.tasks import catalogue_pull_task
from procedures.models import Procedure, ProcedureVersion, VersionStatus
from tests.integrations.inbound_helpers import hub_target

pytestmark = pytest.mark.django_db


def _national(procedure: Procedure, updated: str = "20260101080000") -> dict:
    version = procedure.current_version
    return version_national(version, f"{procedure.code}.000.00.00.H99", updated)


def test_every_local_procedure_reads_back_unchanged_from_its_national_shape(province):
    procedures = Procedure.objects.filter(current_version__isnull=False)
    assert procedures.count() > 50
    for procedure in procedures:
        version = procedure.current_version
        assert differences(version, national_read(_national(procedure))) == [], procedure.code


def test_one_draft_for_a_changed_procedure_none_for_an_unchanged_one(
    national_hub,
    online_procedure,
):
    target = hub_target(national_hub.url)
    changed = (
        Procedure.objects.exclude(pk=online_procedure.pk)
        .filter(current_version__fees__amount_vnd__gt=0, current_version__time_limit__gt=0)
        .first()
    )
    published = changed.current_version
    item = _national(changed)
    way = item["CACHTHUCTHUCHIEN"][0]
    way["THOIGIAN"][0]["THOIGIANGIAIQUYET"] = "7"
    way["THOIGIAN"][0]["DONVITINH"] = "Ngày làm việc"
    for entry in (w["THOIGIAN"][0] for w in item["CACHTHUCTHUCHIEN"]):
        for fee in entry["PHILEPHI"]:
            fee["SOTIEN"] = str(int(fee["SOTIEN"]) + 10000)
    unknown = {**copy.deepcopy(item), "MATTHC": "2.000001", "TENTTHC": "Thủ tục chưa có ở tỉnh"}
    national_hub.control.set_catalogue([_national(online_procedure), item, unknown])

    report = catalogue_pull(target)

    assert report["errors"] == []
    assert (report["checked"], report["new_drafts"], report["unchanged"], report["unknown"]) == (
        3, 1, 1, 1,
    )  # fmt: skip
    draft = ProcedureVersion.objects.get(pk=report["drafts"][0])
    assert draft.procedure == changed and draft.status == VersionStatus.DRAFT
    assert draft.replaces == published and draft.number == published.number + 1
    assert draft.time_limit == 7 and draft.time_unit == "working_days"
    assert sorted(f.amount_vnd for f in draft.fees.all()) == sorted(
        f.amount_vnd + 10000 for f in published.fees.all() if f.amount_vnd
    )
    assert "phí, lệ phí" in draft.source_document and "thời hạn giải quyết" in draft.source_document
    # Everything else is the version in force; the published version is untouched.
    assert draft.name == published.name
    assert [c.name for c in draft.components.all()] == [c.name for c in published.components.all()]
    changed.refresh_from_db()
    assert changed.current_version == published and published.status == VersionStatus.PUBLISHED
    assert not online_procedure.versions.filter(status=VersionStatus.DRAFT).exists()
    assert UnmappedItem.objects.get(kind=MapKind.PROCEDURE, direction="in").value == "2.000001"

    # Pulled again — even re-stamped with a new date — the same content makes no second draft.
    restamped = {**item, "NGAYCAPNHAT": "20260201080000"}
    national_hub.control.set_catalogue([_national(online_procedure), restamped])
    again = catalogue_pull(target)
    assert again["new_drafts"] == 0 and again["pending"] == 1 and again["unchanged"] == 1
    assert changed.versions.filter(status=VersionStatus.DRAFT).count() == 1


def test_the_nightly_job_asks_only_for_what_changed_since_its_last_run(
    national_hub,
    online_procedure,
):
    target = hub_target(national_hub.url)
    older = _national(online_procedure, updated="20200101000000")
    national_hub.control.set_catalogue([older])

    first = catalogue_pull_due()
    assert first["checked"] == 1 and first["unchanged"] == 1
    target.refresh_from_db()
    assert len(target.options["catalogue_pulled_on"]) == 8
    assert target.options["push_token_sha256"]  # other options are kept

    second = catalogue_pull_task()  # the entry dated 2020 is older than the last run
    assert second["checked"] == 0 and second["errors"] == []
