"""URLs: messages pushed by the national portal."""

from django.urls import path

from .views.inbound import inbound_push

urlpatterns = [
    path("api/lien-thong/dvcqg/ho-so/", inbound_push, name="inbound_push"),
]
