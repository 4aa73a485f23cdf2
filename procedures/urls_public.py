"""The public catalogue, mounted at /thu-tuc/ (namespace "procedures")."""

from django.urls import path

from tthc_portal.web.public_cache import CATALOGUE, cached_public_page

from .views import catalogue

# Anonymous visitors get these pages from the shared cache until the catalogue
# changes (versions_activate invalidates on commit).
cached = cached_public_page(CATALOGUE)

urlpatterns = [
    path("", cached(catalogue.catalogue), name="catalogue"),
    path("<int:pk>/", cached(catalogue.detail), name="detail"),
    path("ma/<str:code>/", cached(catalogue.detail_by_code), name="detail_by_code"),
    path("mau/<int:pk>/", catalogue.form_template, name="form_template"),
]
