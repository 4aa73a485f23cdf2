"""Dossier URLs, one module per user group."""

from django.urls import include, path

from .views import desk_bulk, search

app_name = "dossiers"

urlpatterns = [
    path("ho-so/", include("dossiers.urls_citizen")),
    path("mot-cua/", include("dossiers.urls_desk")),
    # Bulk actions at the desk (select → apply → result; receipts merged to print).
    path("mot-cua/hang-loat/", desk_bulk.select, name="desk_bulk"),
    path("mot-cua/hang-loat/thuc-hien/", desk_bulk.apply, name="desk_bulk_apply"),
    path("mot-cua/hang-loat/ket-qua/<str:token>/", desk_bulk.result, name="desk_bulk_result"),
    path("mot-cua/hang-loat/in-phieu/", desk_bulk.print_receipts, name="desk_bulk_print"),
    path("giay-to/", include("dossiers.urls_documents")),
    path("", include("dossiers.urls_public")),
    path("tim-ho-so/", search.staff_search, name="staff_search"),
]
