"""Public pages: status lookup (no login) and the citizen's online payment."""

from collections.abc import Callable
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path

from tthc_portal.web.checks import demo_parts_allowed

from .views import payments, public


def demo_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The simulated bank's pages exist only where demo parts are allowed
    (TTHC_DEMO_PARTS): asked at each request, so the answer follows the settings
    even if someone points the payment gateway at the simulator."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not demo_parts_allowed():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


urlpatterns = [
    path("tra-cuu/", public.lookup, name="lookup"),
    path("tra-cuu/<str:token>/", public.lookup_token, name="lookup_token"),
    # The simulated gateway's signed callback (PayGov answers on its own endpoints).
    path("thanh-toan/ket-qua/", demo_only(payments.payment_callback), name="payment_callback"),
    path(
        "thanh-toan/gia-lap/<uuid:reference>/",
        demo_only(payments.payment_simulator),
        name="payment_simulator",
    ),
    path("thanh-toan/<uuid:reference>/", payments.payment_start, name="payment_start"),
    path("thanh-toan/<uuid:reference>/xong/", payments.payment_done, name="payment_done"),
    path("thanh-toan/<uuid:reference>/thu-lai/", payments.payment_retry, name="payment_retry"),
]
