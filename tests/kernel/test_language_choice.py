"""The interface language is the person's choice, not the browser's (issue #15 item 15)."""

from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ENGLISH_BROWSER = {"accept-language": "en-US,en;q=0.9"}


def _lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def test_an_english_browser_still_gets_vietnamese(client: Client) -> None:
    response = client.get("/", headers=ENGLISH_BROWSER)
    assert _lang(response) == "vi"
    assert response["Content-Language"] == "vi"


def test_a_signed_in_person_gets_the_language_saved_on_the_account(client: Client) -> None:
    user = UserFactory(language="en")
    client.force_login(user)
    assert _lang(client.get("/")) == "en"
    # A Vietnamese browser does not override the account either.
    assert _lang(client.get("/", headers={"accept-language": "vi"})) == "en"


def test_switching_language_while_signed_in_is_kept_on_the_account(client: Client) -> None:
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    user.refresh_from_db()
    assert user.language == "en"
    # A new session (another device, no cookie) keeps the choice.
    other = Client()
    other.force_login(user)
    assert _lang(other.get("/")) == "en"


def test_a_visitor_picks_a_language_with_the_switcher(client: Client) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert _lang(client.get("/")) == "en"


@override_settings(DEBUG=False)
def test_production_error_pages_are_vietnamese_for_an_english_browser(client: Client) -> None:
    response = client.get("/khong-co-trang-nay/", headers=ENGLISH_BROWSER)
    assert response.status_code == 404
    assert _lang(response) == "vi"
    assert "Không tìm thấy" in response.content.decode()
