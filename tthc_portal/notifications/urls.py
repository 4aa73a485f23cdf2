"""The staff inbox, mounted at "thong-bao/" (namespace "notifications")."""

from django.urls import path

from . import staff_notices_views

app_name = "notifications"

urlpatterns = [
    path("", staff_notices_views.inbox, name="inbox"),
    path("da-doc/", staff_notices_views.mark_read, name="mark_read"),
]
