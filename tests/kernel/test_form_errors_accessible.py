"""Form errors are announced once, accessibly (issue #15 item 15).

Each field's error list is linked to its input (aria-describedby, aria-invalid)
and carries no live-region role, so a screen reader does not read every list at
once; portal.js builds one focused summary at the top of the form.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import AgencyFactory, make_staff
from tthc_portal.accounts.roles import Role


@pytest.mark.django_db
def test_field_errors_are_linked_and_not_live_regions(client) -> None:
    client.force_login(make_staff(Role.DESK_OFFICER, AgencyFactory()))
    page = client.get("/lich-lam-viec/tinh-han/", {"start": "hôm qua", "amount": "năm ngày"})
    html = page.content.decode()
    lists = re.findall(r'<ul class="errorlist"[^>]*>', html)
    assert len(lists) >= 2
    assert not [tag for tag in lists if "role=" in tag]
    for field in ("start", "amount"):
        assert f'id="id_{field}_error"' in html
        tag = re.search(rf'<input[^>]*name="{field}"[^>]*>', html).group(0)
        assert 'aria-invalid="true"' in tag
        assert f"id_{field}_error" in re.search(r'aria-describedby="([^"]*)"', tag).group(1)


def test_no_template_marks_an_error_list_as_an_alert() -> None:
    offenders = [
        str(path.relative_to(settings.BASE_DIR))
        for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
        if re.search(r'class="errorlist"[^>]*role=', path.read_text(encoding="utf-8"))
    ]
    assert not offenders, offenders
