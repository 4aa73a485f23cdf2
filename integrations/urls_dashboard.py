"""URLs: the provincial office's sync dashboard and its resync actions."""

from django.urls import path

from .views import dashboard

urlpatterns: list = [
    path("lien-thong/", dashboard.sync_dashboard, name="sync_dashboard"),
    path(
        "lien-thong/chenh-lech/<int:pk>/dong-bo-lai/",
        dashboard.difference_resync_view,
        name="difference_resync",
    ),
    path(
        "lien-thong/viec/<int:pk>/dong-bo-lai/",
        dashboard.dead_letter_resync_view,
        name="dead_letter_resync",
    ),
]
