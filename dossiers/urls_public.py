"""Public pages: status lookup (no login) and the citizen's online payment."""

from django.urls import path

from .views import payments, public

urlpatterns = [
    path("tra-cuu/", public.lookup, name="lookup"),
    path("tra-cuu/<str:token>/", public.lookup_token, name="lookup_token"),
    path("thanh-toan/ket-qua/", payments.payment_callback, name="payment_callback"),
    path(
        "thanh-toan/gia-lap/<uuid:reference>/",
        payments.payment_simulator,
        name="payment_simulator",
    ),
    path("thanh-toan/<uuid:reference>/", payments.payment_start, name="payment_start"),
    path("thanh-toan/<uuid:reference>/xong/", payments.payment_done, name="payment_done"),
    path("thanh-toan/<uuid:reference>/thu-lai/", payments.payment_retry, name="payment_retry"),
]
