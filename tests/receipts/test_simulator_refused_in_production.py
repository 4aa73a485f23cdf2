"""Production refuses the local receipt simulator: from the settings (tthc.E006,
also at import of production.py through ``demo_parts_configured``) and from the
provider target row in the database (receipts.E001, ``check --deploy --database``),
unless TTHC_DEMO_PARTS says this is a demonstration."""

from __future__ import annotations

import pytest
from django.core.checks import ERROR
from django.core.management import CommandError, call_command

from receipts.checks import receipt_simulator_target_check
from tests.receipts.helpers import provider_target
from tthc_portal.web.checks import demo_parts_check, demo_parts_configured, demo_parts_refusal


@pytest.mark.parametrize(
    ("url", "refused"),
    [
        ("http://127.0.0.1:8300", True),
        ("http://localhost:8300/", True),
        ("http://[::1]:8300", True),
        ("https://bienlai.viettel.vn", False),
        ("https://admin-demo.vnpt-invoice.com.vn", False),
        ("", False),
    ],
)
def test_a_receipt_provider_on_this_machine_is_a_demo_part(url: str, refused: bool) -> None:
    found = demo_parts_configured(tthc={"RECEIPT_PROVIDER_URL": url}, sms_gateway="", identity={})
    assert [part.id for part in found] == (["tthc.E006"] if refused else [])
    if refused:
        text = demo_parts_refusal(found)
        assert url in text and "TTHC_RECEIPT_PROVIDER_URL" in text
        assert "TTHC_DEMO_PARTS=true" in text


def test_the_deploy_check_reports_the_setting(settings) -> None:
    settings.DEMO_PARTS = False
    settings.TTHC = {**settings.TTHC, "RECEIPT_PROVIDER_URL": "http://127.0.0.1:8300"}

    errors = [error for error in demo_parts_check() if error.id == "tthc.E006"]

    assert len(errors) == 1 and errors[0].level == ERROR
    assert "127.0.0.1:8300" in errors[0].msg
    settings.DEMO_PARTS = True
    assert demo_parts_check() == []


@pytest.mark.django_db
def test_the_database_check_refuses_an_active_simulator_target(settings) -> None:
    settings.DEMO_PARTS = False
    local = provider_target("http://127.0.0.1:8300")
    provider_target("https://bienlai.viettel.vn", code="bien-lai-that")
    provider_target("http://localhost:8301", code="bien-lai-cu", is_active=False)

    errors = receipt_simulator_target_check(databases=["default"])

    assert [error.id for error in errors] == ["receipts.E001"]
    assert local.code in errors[0].msg and "127.0.0.1:8300" in errors[0].msg
    # Without --database the check reads nothing (checks run before migrations too).
    assert receipt_simulator_target_check(databases=None) == []
    with pytest.raises(CommandError, match=r"receipts\.E001"):
        call_command("check", deploy=True, databases=["default"])

    settings.DEMO_PARTS = True
    assert receipt_simulator_target_check(databases=["default"]) == []
