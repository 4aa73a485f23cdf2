from django.urls import path

from . import health, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("bang-dieu-khien/", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]
