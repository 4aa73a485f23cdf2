"""Helpers for the public catalogue page tests."""

from __future__ import annotations

from django.test import Client


def page(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()
