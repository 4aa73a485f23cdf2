"""Public catalogue at a province's scale: 2,000 published procedures."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from .harness import count_queries, measure, report

TARGET = 2000


def _populate() -> None:
    from django.conf import settings
    from django.db.models import OuterRef, Subquery
    from django.utils import timezone

    from procedures.models import (
        ComponentRequirement,
        FeeItem,
        Field,
        Procedure,
        ProcedureVersion,
        VersionStatus,
    )
    from tthc_portal.agencies.models import Agency, AgencyKind
    from tthc_portal.text import fold

    existing = Procedure.objects.filter(code__startswith="9.").count()
    if existing >= TARGET:
        return
    with open(settings.TTHC["PROCEDURES_SAMPLE_FILE"], encoding="utf-8") as handle:
        samples = json.load(handle)["procedures"]
    province, _ = Agency.objects.get_or_create(
        code="000.00.00.B99", defaults={"name": "UBND tỉnh Benchmark", "kind": AgencyKind.PROVINCE}
    )
    agencies = [
        Agency.objects.get_or_create(
            code=f"000.00.{i:02d}.B99",
            defaults={
                "name": f"Sở Benchmark {i}",
                "kind": AgencyKind.DEPARTMENT,
                "parent": province,
            },
        )[0]
        for i in range(1, 16)
    ]
    fields = [
        Field.objects.get_or_create(code=f"B-{i}", defaults={"name": name})[0]
        for i, name in enumerate(sorted({s["field"] for s in samples}))
    ]
    procedures = Procedure.objects.bulk_create(
        [Procedure(code=f"9.{n:06d}") for n in range(existing, TARGET)]
    )
    versions = []
    for n, procedure in enumerate(procedures):
        sample = samples[n % len(samples)]
        name = f"{sample['name']} ({n})"
        field = fields[n % len(fields)]
        agency = agencies[n % len(agencies)]
        versions.append(ProcedureVersion(
            procedure=procedure, number=1, status=VersionStatus.PUBLISHED,
            valid_from=date(2025, 1, 1), name=name, name_folded=fold(name),
            search_text=fold(f"{name} {procedure.code} {field.name} {agency.name}"),
            field=field, level="province", implementing_agency=agency,
            time_limit=Decimal(10), online_level=["full", "partial", "none"][n % 3],
            channel_online=n % 3 != 2, published_at=timezone.now(),
        ))  # fmt: skip
    versions = ProcedureVersion.objects.bulk_create(versions, batch_size=500)
    FeeItem.objects.bulk_create(
        [FeeItem(version=v, name="Lệ phí", amount_vnd=50_000) for v in versions], batch_size=500
    )
    ComponentRequirement.objects.bulk_create(
        [ComponentRequirement(version=v, name="Tờ khai") for v in versions], batch_size=500
    )
    Procedure.objects.filter(code__startswith="9.").update(
        current_version=Subquery(
            ProcedureVersion.objects.filter(procedure=OuterRef("pk")).values("pk")[:1]
        )
    )


def run() -> None:
    from django.test import Client

    from procedures.models import Procedure

    _populate()
    client = Client()
    total = Procedure.objects.filter(current_version__isnull=False).count()
    pages = {
        "list, first page": "/thu-tuc/",
        "search 'dang ky ho kinh doanh'": "/thu-tuc/?q=dang+ky+ho+kinh+doanh",
        "search 'chung thuc'": "/thu-tuc/?q=chung+thuc",
        "list, page 50": "/thu-tuc/?trang=50",
    }
    detail_pk = Procedure.objects.filter(code__startswith="9.").values_list("pk", flat=True).first()
    pages["detail page"] = f"/thu-tuc/{detail_pk}/"
    rows = []
    for label, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        with count_queries() as queries:
            client.get(url)
        query_count = len(queries.captured_queries)  # read before the log is reset
        stats = measure(lambda url=url: client.get(url), repeat=40)
        rows.append((label, f"median {stats['median_ms']:.1f} ms, p95 {stats['p95_ms']:.1f} ms, "
                            f"{query_count} queries"))  # fmt: skip
    report(f"Public catalogue ({total:,} current procedures, Django test client, in-process)", rows)
