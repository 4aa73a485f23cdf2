"""The smart kiosk is a device role distinct from the ticket printer
(Decree 309/2026 Art. 3(9)): it offers lookup by code or QR, a VNeID sign-in
for submission, payment and results, and result pick-up information; the
printer offers none of it. A session opened at the kiosk never outlives the
citizen: the kiosk's home ends it, it expires, and the pages it ends on lead
back to the kiosk."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from queueing.models import KioskDevice, KioskRole
from queueing.services.kiosk import KIOSK_SESSION_KEY
from tests.factories import UserFactory
from tests.queueing.dossier_helpers import dossier_with_code
from tests.queueing.helpers import make_centre

pytestmark = pytest.mark.django_db

MIDDLEWARE = [
    *settings.MIDDLEWARE[
        : settings.MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware")
    ],
    "queueing.middleware.KioskReturnMiddleware",
    *settings.MIDDLEWARE[
        settings.MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") :
    ],
]
SIGN_ON = {
    **settings.IDENTITY,
    "OIDC_DISCOVERY_URL": "http://127.0.0.1:9/.well-known/openid-configuration",
    "OIDC_CLIENT_ID": "tthc-portal",
}
KIOSK_SERVICES = ("Tra cứu theo mã QR", "Nộp hồ sơ trực tuyến", "Thanh toán phí, lệ phí",
                  "Nhận kết quả")  # fmt: skip


@pytest.fixture
def centre():
    return make_centre()


@pytest.fixture
def printer(centre) -> KioskDevice:
    return KioskDevice.objects.create(
        centre=centre.desk, code="may-lay-so", role=KioskRole.TICKET_PRINTER
    )


@pytest.fixture
def smart(centre) -> KioskDevice:
    return KioskDevice.objects.create(
        centre=centre.desk, code="ki-ot-1", role=KioskRole.SMART_KIOSK
    )


def _url(name: str, device: KioskDevice) -> str:
    return reverse(name, args=[device.centre_id, device.code])


@override_settings(IDENTITY=SIGN_ON)
def test_the_printer_offers_tickets_only_and_the_kiosk_its_services(client, printer, smart):
    response = client.get(_url("queueing:device", printer))
    assert response.status_code == 302
    assert response["Location"] == reverse("queueing:kiosk", args=[printer.centre_id])
    ticket_page = client.get(response["Location"]).content.decode()
    assert "Lấy số" in ticket_page
    assert not [service for service in KIOSK_SERVICES if service in ticket_page]
    assert "thiet-bi" not in ticket_page
    # The kiosk's own actions do not exist on a printer.
    assert client.post(_url("queueing:device_scan", printer), {"scan": "x"}).status_code == 404
    signing_in = client.post(_url("queueing:device_sign_in", printer), {"purpose": "submit"})
    assert signing_in.status_code == 404

    page = client.get(_url("queueing:device", smart))
    body = page.content.decode()
    assert page.status_code == 200
    assert all(service in body for service in KIOSK_SERVICES), body
    assert f'action="{reverse("dossiers:lookup")}"' in body
    assert 'name="last4"' in body and 'name="scan"' in body
    for purpose in ("submit", "pay", "results"):
        assert f'value="{purpose}"' in body


def test_without_vneid_the_kiosk_says_so_and_starts_no_sign_in(client, smart):
    body = client.get(_url("queueing:device", smart)).content.decode()
    assert 'data-testid="kiosk-no-vneid"' in body and 'value="submit"' not in body
    response = client.post(_url("queueing:device_sign_in", smart), {"purpose": "submit"})
    assert response.status_code == 404


def test_an_inactive_or_foreign_device_has_no_page(client, smart):
    other = make_centre()
    assert (
        client.get(reverse("queueing:device", args=[other.desk.pk, smart.code])).status_code == 404
    )
    KioskDevice.objects.filter(pk=smart.pk).update(is_active=False)
    assert client.get(_url("queueing:device", smart)).status_code == 404


def test_a_scanned_lookup_link_opens_the_lookup_and_anything_else_is_refused(client, centre, smart):
    dossier = dossier_with_code(centre.agency, "000.00.10.H99-261207-0001")
    link = f"https://dichvucong.example.vn/tra-cuu/{dossier.lookup_token}/"
    response = client.post(_url("queueing:device_scan", smart), {"scan": link})
    assert response.status_code == 302
    assert response["Location"] == reverse("dossiers:lookup_token", args=[dossier.lookup_token])
    assert client.get(response["Location"]).status_code == 200

    refused = client.post(_url("queueing:device_scan", smart), {"scan": "https://x.vn/khac/"})
    assert refused.status_code == 400
    assert 'data-testid="kiosk-scan-error"' in refused.content.decode()


@override_settings(IDENTITY=SIGN_ON, MIDDLEWARE=MIDDLEWARE, TTHC={**settings.TTHC,
                   "KIOSK_SESSION_SECONDS": 300})  # fmt: skip
def test_a_kiosk_session_is_short_and_ends_back_at_the_kiosk(client: Client, smart):
    home = _url("queueing:device", smart)
    client.get(home)  # the device is now known by its cookie

    response = client.post(_url("queueing:device_sign_in", smart), {"purpose": "pay"})
    assert response.status_code == 302
    start = urlsplit(response["Location"])
    assert start.path == reverse("accounts:national_sso_start")
    assert parse_qs(start.query)["next"] == [reverse("dossiers:my_dossiers")]
    assert client.session[KIOSK_SESSION_KEY]["device"] == smart.pk
    assert client.session.get_expiry_age() == 300

    # The identity flow signs in with django's login(), which keeps the kiosk's
    # marker and lifetime (only the key changes).
    citizen = UserFactory()
    client.force_login(citizen)
    assert client.session[KIOSK_SESSION_KEY]["device"] == smart.pk
    assert client.session.get_expiry_age() == 300
    mine = client.get(reverse("dossiers:my_dossiers"))
    assert mine.status_code == 200
    assert mine["Refresh"] == f"300; url={home}"

    # Signing out lands on the home page: on the kiosk, that is the kiosk.
    out = client.post(reverse("accounts:logout"))
    assert client.get(out["Location"])["Location"] == home
    # A timed-out session meets the sign-in page: back to the kiosk too.
    assert client.get(reverse("accounts:login"))["Location"] == home

    # The kiosk's home ends whatever session the previous person left.
    client.force_login(citizen)
    assert client.get(home).status_code == 200
    assert "_auth_user_id" not in client.session
    # A page left open goes back by itself, sooner when nobody is signed in.
    assert client.get(reverse("dossiers:lookup"))["Refresh"] == f"120; url={home}"


@override_settings(MIDDLEWARE=MIDDLEWARE)
def test_other_browsers_are_not_sent_to_any_kiosk(client: Client, smart):
    home = client.get(reverse("web:home"))
    assert home.status_code == 200 and "Refresh" not in home
    assert client.get(reverse("accounts:login")).status_code == 200
    # A forged cookie names no device.
    client.cookies["tthc_kiosk"] = str(smart.pk)
    assert client.get(reverse("web:home")).status_code == 200


@override_settings(MIDDLEWARE=MIDDLEWARE)
def test_a_signed_in_persons_own_browser_is_not_signed_out_by_a_kiosk_link(client: Client, smart):
    citizen = UserFactory()
    client.force_login(citizen)
    page = client.get(_url("queueing:device", smart))
    assert page.status_code == 200
    assert client.session.get("_auth_user_id") == str(citizen.pk)  # a GET ends no session
    assert "tthc_kiosk" not in page.cookies  # nor makes this browser a kiosk
