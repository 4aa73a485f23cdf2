"""A form sent twice with the same key acts once; the repeat gets the first
redirect and its messages (tthc_portal/web/idempotency.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.test import Client, RequestFactory
from django.utils import timezone

from tests.factories import UserFactory
from tests.web import idempotency_support as support
from tests.web.idempotency_support import KEY, idempotent_forms  # noqa: F401 (fixture)
from tthc_portal.web import idempotency
from tthc_portal.web.models import SubmittedForm

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.web.idempotency_support")]


@pytest.fixture(autouse=True)
def _fresh_runs():
    support.RUNS.clear()
    yield
    support.RUNS.clear()


@pytest.fixture
def signed_in(idempotent_forms) -> Client:  # noqa: F811
    client = Client()
    client.force_login(UserFactory())
    return client


def shown(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def browser_lost_first_answer(client: Client) -> None:
    """A double click: the browser drops the first response, its cookies too."""
    client.cookies.pop("messages", None)


def test_repeat_gets_the_first_redirect_and_message_without_running_again(signed_in):
    first = signed_in.post("/luu/", {"value": "a", support.FIELD_NAME: KEY})
    browser_lost_first_answer(signed_in)
    second = signed_in.post("/luu/", {"value": "a", support.FIELD_NAME: KEY})

    assert support.RUNS == ["a"]
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"] == "/xong/1/"
    assert second[idempotency.REPLAYED_HEADER] == "true"
    assert shown(second) == ["Đã lưu lần 1."]


def test_a_message_the_browser_already_holds_is_not_shown_twice(signed_in):
    signed_in.post("/luu/", {"value": "a", support.FIELD_NAME: KEY})
    second = signed_in.post("/luu/", {"value": "a", support.FIELD_NAME: KEY})

    assert support.RUNS == ["a"]
    assert shown(second) == ["Đã lưu lần 1."]


def test_without_a_key_or_signed_out_every_post_runs(signed_in):
    signed_in.post("/luu/", {"value": "a"})
    signed_in.post("/luu/", {"value": "a"})
    visitor = Client()
    visitor.post("/luu/", {"value": "b", support.FIELD_NAME: KEY})
    visitor.post("/luu/", {"value": "b", support.FIELD_NAME: KEY})

    assert support.RUNS == ["a", "a", "b", "b"]
    assert not SubmittedForm.objects.exists()


def test_form_errors_and_crashes_are_not_replayed(signed_in):
    for _ in range(2):
        assert signed_in.post("/loi/", {support.FIELD_NAME: KEY}).status_code == 400
    crashing = Client(raise_request_exception=False)
    crashing.cookies = signed_in.cookies
    for _ in range(2):
        assert crashing.post("/hong/", {support.FIELD_NAME: KEY}).status_code == 500

    assert support.RUNS == ["refused", "refused", "crash", "crash"]
    assert not SubmittedForm.objects.exists()


def test_same_key_with_other_content_other_path_or_other_user_runs(signed_in):
    signed_in.post("/luu/", {"value": "a", support.FIELD_NAME: KEY})
    # The form changed after going back to it: a new request.
    changed = signed_in.post("/luu/", {"value": "b", support.FIELD_NAME: KEY})
    other = Client()
    other.force_login(UserFactory())
    theirs = other.post("/luu/", {"value": "a", support.FIELD_NAME: KEY})

    assert support.RUNS == ["a", "b", "a"]
    assert changed["Location"] == "/xong/2/" and theirs["Location"] == "/xong/3/"


def test_keys_expire(signed_in, settings):
    settings.TTHC_IDEMPOTENCY_TTL_SECONDS = 60
    signed_in.post("/luu/", {"value": "a", support.FIELD_NAME: KEY})
    SubmittedForm.objects.update(created_at=timezone.now() - timedelta(seconds=61))

    again = signed_in.post("/luu/", {"value": "a", support.FIELD_NAME: KEY})

    assert support.RUNS == ["a", "a"]
    assert again["Location"] == "/xong/2/" and SubmittedForm.objects.count() == 1


def pending_row(
    client: Client, path: str, data: dict, *, age: timedelta = timedelta()
) -> SubmittedForm:
    """What a first request still running holds."""
    request = RequestFactory().post(path, data)
    user_id = int(client.session["_auth_user_id"])
    return SubmittedForm.objects.create(
        user_id=user_id,
        fingerprint=idempotency.submission_fingerprint(request, data[support.FIELD_NAME]),
        created_at=timezone.now() - age,
    )


def test_repeat_waits_for_the_first_and_gets_its_result(signed_in, monkeypatch):
    data = {"value": "a", support.FIELD_NAME: KEY}
    row = pending_row(signed_in, "/luu/", data)

    def first_finishes(seconds: float) -> None:
        SubmittedForm.objects.filter(pk=row.pk).update(
            completed_at=timezone.now(), status_code=302, location="/xong/1/",
            messages=[[25, "Đã lưu lần 1.", ""]],
        )  # fmt: skip

    monkeypatch.setattr(idempotency.time, "sleep", first_finishes)
    second = signed_in.post("/luu/", data)

    assert support.RUNS == []
    assert second.status_code == 302 and second["Location"] == "/xong/1/"
    assert shown(second) == ["Đã lưu lần 1."]


def test_repeat_runs_itself_when_the_first_fails_meanwhile(signed_in, monkeypatch):
    data = {"value": "a", support.FIELD_NAME: KEY}
    row = pending_row(signed_in, "/luu/", data)
    monkeypatch.setattr(
        idempotency.time, "sleep", lambda s: SubmittedForm.objects.filter(pk=row.pk).delete()
    )

    second = signed_in.post("/luu/", data)

    assert support.RUNS == ["a"] and second["Location"] == "/xong/1/"


def test_a_first_request_still_running_is_reported_not_repeated(signed_in, settings):
    settings.TTHC_IDEMPOTENCY_WAIT_SECONDS = 0.3
    data = {"value": "a", support.FIELD_NAME: KEY}
    pending_row(signed_in, "/luu/", data)

    back = signed_in.post("/luu/", data, HTTP_REFERER="http://testserver/ho-so/1/")
    alone = signed_in.post("/luu/", data)

    assert support.RUNS == []
    assert back.status_code == 302 and back["Location"] == "http://testserver/ho-so/1/"
    assert "vẫn đang được xử lý" in shown(back)[0]
    assert alone.status_code == 409
    assert 'data-testid="submission-pending"' in alone.content.decode()
    # Never back to another site.
    elsewhere = signed_in.post("/luu/", data, HTTP_REFERER="https://evil.example/")
    assert elsewhere.status_code == 409


def test_an_abandoned_claim_is_taken_over(signed_in, settings):
    settings.TTHC_IDEMPOTENCY_STALE_SECONDS = 60
    data = {"value": "a", support.FIELD_NAME: KEY}
    pending_row(signed_in, "/luu/", data, age=timedelta(seconds=61))

    response = signed_in.post("/luu/", data)

    assert support.RUNS == ["a"] and response["Location"] == "/xong/1/"
    assert SubmittedForm.objects.get().completed_at is not None


def test_odd_keys_are_ignored(signed_in):
    for key in ("short", "x" * 200, "<script>alert(1)</script>xxxxxxxx"):
        signed_in.post("/luu/", {"value": "a", support.FIELD_NAME: key})
        signed_in.post("/luu/", {"value": "a", support.FIELD_NAME: key})
    assert len(support.RUNS) == 6


def test_expired_keys_can_be_purged(signed_in, settings):
    settings.TTHC_IDEMPOTENCY_TTL_SECONDS = 60
    signed_in.post("/luu/", {"value": "a", support.FIELD_NAME: KEY})
    signed_in.post("/luu/", {"value": "b", support.FIELD_NAME: KEY})
    SubmittedForm.objects.filter(pk=SubmittedForm.objects.order_by("pk").first().pk).update(
        created_at=timezone.now() - timedelta(seconds=61)
    )

    assert idempotency.submissions_purge() == 1
    assert SubmittedForm.objects.count() == 1
