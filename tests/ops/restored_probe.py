"""Run inside a restored installation (its own DATABASE_URL and var folder): the
applicant fetches the signed result through the permission-checked view; prints
what the test compares as one JSON object.

    python tests/ops/restored_probe.py DOSSIER_PK APPLICANT_USERNAME
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tthc_portal.settings.test")


def main(dossier_pk: int, username: str) -> dict:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from dossiers.models import Dossier
    from tthc_portal.signing.services import pdf_verify

    setup_test_environment()
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    response = client.get(reverse("dossiers:result_download", args=[dossier_pk]))
    body = b"".join(response.streaming_content) if response.status_code == 200 else b""
    report = pdf_verify(body)
    dossier = Dossier.objects.get(pk=dossier_pk)
    return {
        "status_code": response.status_code,
        "sha256": hashlib.sha256(body).hexdigest(),
        "signed": report.signed,
        "intact": report.intact,
        "trusted": report.trusted,
        "valid": report.valid,
        "signer": report.signer,
        "dossier_status": dossier.status,
        "history": [
            [row.action, row.from_status, row.to_status, row.at.isoformat()]
            for row in dossier.history.order_by("at", "pk")
        ],
    }


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]), sys.argv[2]), ensure_ascii=False))
