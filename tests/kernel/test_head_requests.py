"""Uptime probes send HEAD: every public page that answers GET answers HEAD too."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


PUBLIC = ["/", "/healthz", "/cong-khai/chi-so-766/", "/phan-anh-kien-nghi/"]


@pytest.mark.parametrize("url", PUBLIC)
def test_head_is_answered_like_get(client: Client, url: str) -> None:
    get = client.get(url)
    head = client.head(url)

    assert get.status_code == 200
    assert head.status_code == 200
    assert head["Content-Type"] == get["Content-Type"]
    # The test client, like a server, sends no body for HEAD.
    assert head.content == b""


def test_head_on_the_dashboard_follows_the_sign_in_rule(client: Client) -> None:
    assert client.head("/bang-dieu-khien/").status_code == 302

    client.force_login(UserFactory())

    assert client.head("/bang-dieu-khien/").status_code == 200


@pytest.mark.parametrize("url", ["/", "/healthz"])
def test_writes_are_still_refused(client: Client, url: str) -> None:
    assert client.post(url).status_code == 405
    assert client.put(url).status_code == 405
