"""Every feedback model has an admin page that opens (configuration is edited there)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.urls import reverse

from feedback.demo import seed_feedback

pytestmark = pytest.mark.django_db


def test_every_model_is_registered_and_its_pages_open(client, users, catalogue):
    seed_feedback()
    client.force_login(users["quantri"])
    for model in apps.get_app_config("feedback").get_models():
        meta = model._meta
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert client.get(changelist).status_code == 200, meta.model_name
        first = model.objects.order_by("pk").first()
        if first is not None:
            change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk])
            assert client.get(change).status_code == 200, meta.model_name
