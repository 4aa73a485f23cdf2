"""An agency administrator cannot make itself a superuser through the admin.

``membership_grant`` gives the administrator role ``is_staff`` and the global
``accounts.change_user`` permission; the admin's user form must then not offer
``is_superuser`` (nor ``is_staff``) to someone who is not a superuser. The POST
is built from the change form the admin itself renders, with one box ticked.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.test import Client

KNOWN_LEAK = (
    "LEAK (issue 18, fixed): POST /quan-tri/accounts/user/<own pk>/change/ with is_superuser=on "
    "by an agency administrator (not a superuser) makes it a superuser of the whole province"
)


def _form_data(response) -> dict:
    """The change form as the browser would send it back, unchanged."""
    data: dict = {}
    for field in response.context["adminform"].form:
        value = field.value()
        if field.field.disabled or value is None:
            continue
        if isinstance(value, datetime):
            data[f"{field.html_name}_0"] = value.strftime("%d/%m/%Y")
            data[f"{field.html_name}_1"] = value.strftime("%H:%M:%S")
        elif isinstance(value, bool):
            if value:
                data[field.html_name] = "on"
        elif isinstance(value, (list, tuple)):
            data[field.html_name] = [str(item) for item in value]
        else:
            data[field.html_name] = str(value)
    for formset in response.context.get("inline_admin_formsets", []):
        for field in formset.formset.management_form:
            data[field.html_name] = str(field.value())
    return data


def test_agency_administrator_cannot_tick_its_own_superuser_box(world) -> None:
    admin = get_user_model().objects.get(username="quantri.yte")  # not the shared instance
    assert admin.is_staff and not admin.is_superuser
    client = Client()
    client.force_login(admin)
    url = f"/quan-tri/accounts/user/{admin.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    # The box is not offered any more; sent anyway, it must change nothing.
    assert "is_superuser" not in page.context["adminform"].form.fields
    data = _form_data(page)
    data["is_superuser"] = "on"
    data["is_staff"] = "on"

    client.post(url, data)

    admin.refresh_from_db()
    assert not admin.is_superuser, KNOWN_LEAK


def test_agency_administrator_sees_only_its_staff_in_the_admin(world) -> None:
    admin = get_user_model().objects.get(username="quantri.yte")
    client = Client()
    client.force_login(admin)
    superuser = get_user_model().objects.get(username="quantri")
    citizen = get_user_model().objects.filter(kind="citizen").first()
    for other in (superuser, citizen):
        response = client.get(f"/quan-tri/accounts/user/{other.pk}/change/")
        assert response.status_code in (302, 404), other.username
