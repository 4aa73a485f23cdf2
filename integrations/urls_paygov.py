"""URLs: PayGov's confirmation (server-to-server) and the browser's return; the
citizen data store page of the desk."""

from django.urls import path

from .views import datastore, paygov

urlpatterns = [
    path("lien-thong/paygov/thong-bao/", paygov.paygov_notify, name="paygov_notify"),
    path("thanh-toan/paygov/tra-ve/", paygov.paygov_return, name="paygov_return"),
    path("lien-thong/kho-du-lieu/<int:dossier_id>/", datastore.datastore_page, name="datastore"),
]
