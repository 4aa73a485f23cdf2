"""Only the receiving agency's desk officers see and decide a dossier."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dossiers.models import Dossier, Status, SupplementRequest
from tests.dossiers.files import make_pdf, upload
from tests.dossiers.test_desk_queue import listed, submit_online

pytestmark = pytest.mark.django_db
OUTSIDERS = ("motcua.yte", "chuyenvien.tuphap", "001085012345")


def url(name: str, dossier: Dossier) -> str:
    return reverse(f"dossiers:{name}", args=[dossier.pk])


@pytest.mark.parametrize("username", OUTSIDERS)
def test_outsiders_get_404_and_change_nothing(client, users, online_procedure, username):
    dossier = submit_online(users, online_procedure)
    requirement = online_procedure.current_version.components.first()
    client.force_login(users[username])

    assert client.get(url("desk_check", dossier)).status_code == 404
    assert client.get(url("counter_applicant", dossier)).status_code == 404
    posts = {
        "desk_receive": {},
        "desk_refuse": {"reason": "Không thuộc thẩm quyền"},
        "desk_request_completion": {
            f"item_{requirement.pk}": "on", f"reason_{requirement.pk}": "Thiếu chữ ký",
        },
        "desk_digitise": {"requirement": requirement.pk, "file": upload("x.pdf", make_pdf())},
        "counter_applicant": {"applicant_name": "Kẻ lạ", "applicant_id_number": "001190000999",
                              "applicant_address": "x", "result_delivery": "desk"},
        "desk_resubmit": {},
    }  # fmt: skip
    for name, data in posts.items():
        assert client.post(url(name, dossier), data).status_code == 404, name

    fresh = Dossier.objects.get(pk=dossier.pk)
    assert fresh.status == Status.SUBMITTED and fresh.code is None
    assert fresh.applicant_name == dossier.applicant_name
    assert fresh.components.count() == 2 and not fresh.documents.exists()
    assert not SupplementRequest.objects.filter(dossier=dossier).exists()
    assert not fresh.history.exclude(action="submit").exists()


def test_each_desk_sees_only_its_own_queue(client, users, online_procedure):
    dossier = submit_online(users, online_procedure)
    queue = reverse("dossiers:desk_queue")

    client.force_login(users["motcua.tuphap"])
    assert listed(client.get(queue)) == [dossier.pk]

    client.force_login(users["motcua.yte"])
    response = client.get(queue)
    assert response.status_code == 200
    assert listed(response) == []
    assert response.context["summary"].waiting == 0
    assert listed(client.get(queue, {"q": "1.001122"})) == []

    for username in ("chuyenvien.tuphap", "001085012345"):
        client.force_login(users[username])
        assert client.get(queue).status_code == 404
    client.logout()
    assert client.get(queue).status_code == 302  # to the login page
