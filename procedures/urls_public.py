"""The public catalogue, mounted at /thu-tuc/ (namespace "procedures")."""

from django.urls import path

from .views import catalogue

urlpatterns = [
    path("", catalogue.catalogue, name="catalogue"),
    path("<int:pk>/", catalogue.detail, name="detail"),
    path("ma/<str:code>/", catalogue.detail_by_code, name="detail_by_code"),
    path("mau/<int:pk>/", catalogue.form_template, name="form_template"),
]
