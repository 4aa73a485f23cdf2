"""Include with ``path("chung-thu/", include("tthc_portal.signing.urls"))``."""

from django.urls import path

from . import views

app_name = "signing"

urlpatterns = [
    path("goc.pem", views.root_pem, name="root_pem"),
    path("goc.cer", views.root_der, name="root_der"),
    path("thu-hoi/<str:serial>.crl", views.revocation_list, name="crl"),
]
