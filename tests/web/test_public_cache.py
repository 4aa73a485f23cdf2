"""Public pages served from the shared cache until publication (issue #17).

Anonymous visitors of the catalogue, procedure pages and the public 766 report
get a cached copy; each still gets its own CSRF token (the language switch is a
form), signed-in users never get a cached copy, and bringing a version into
force invalidates every cached catalogue page at once."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone

from procedures.models import Procedure
from procedures.services.versions import versions_activate
from tthc_portal.web.public_cache import INDICATORS, public_pages_invalidate

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.TTHC = {**settings.TTHC, "PUBLIC_CACHE_SECONDS": 3600}


def test_the_second_anonymous_visit_is_served_from_the_cache(
    province, client, django_assert_num_queries
) -> None:
    first = client.get("/thu-tuc/", {"q": "khai sinh"})
    assert first.status_code == 200 and first["X-Public-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/thu-tuc/", {"q": "khai sinh"})
    assert second["X-Public-Cache"] == "hit"
    assert TOKEN.sub("", second.content.decode()) == TOKEN.sub("", first.content.decode())
    other_query = client.get("/thu-tuc/", {"q": "kết hôn"})
    assert other_query["X-Public-Cache"] == "miss"


def test_each_visitor_of_a_cached_page_gets_a_working_csrf_token(province) -> None:
    Client().get("/thu-tuc/")  # someone else fills the cache
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/thu-tuc/")
    assert page["X-Public-Cache"] == "hit"
    token = TOKEN.search(page.content.decode()).group(1)
    assert "__public_cache_csrf__" not in page.content.decode()
    switched = visitor.post("/i18n/setlang/", {"language": "en", "next": "/thu-tuc/",
                                              "csrfmiddlewaretoken": token})  # fmt: skip
    assert switched.status_code == 302
    english = visitor.get("/thu-tuc/")
    assert english["X-Public-Cache"] == "miss"  # one cached copy per language
    assert english.headers.get("Content-Language", "en") == "en"


def test_signed_in_users_never_get_a_cached_page(province, users, client) -> None:
    client.get("/thu-tuc/")
    client.force_login(users["motcua.tuphap"])
    page = client.get("/thu-tuc/")
    assert page.status_code == 200 and "X-Public-Cache" not in page


def test_a_catalogue_change_invalidates_every_cached_page(
    province, client, django_capture_on_commit_callbacks
) -> None:
    procedure = Procedure.objects.filter(current_version__isnull=False).first()
    for url in ("/thu-tuc/", f"/thu-tuc/{procedure.pk}/"):
        client.get(url)
        assert client.get(url)["X-Public-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        versions_activate(today=timezone.localdate())
    for url in ("/thu-tuc/", f"/thu-tuc/{procedure.pk}/"):
        assert client.get(url)["X-Public-Cache"] == "miss"


def test_the_public_766_report_is_cached_until_a_publication(province, client) -> None:
    client.get("/cong-khai/chi-so-766/")
    assert client.get("/cong-khai/chi-so-766/")["X-Public-Cache"] == "hit"
    public_pages_invalidate(INDICATORS)
    assert client.get("/cong-khai/chi-so-766/")["X-Public-Cache"] == "miss"
