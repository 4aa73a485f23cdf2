"""Records retention and disposal pages."""

from django.urls import path

from . import views

app_name = "records"

urlpatterns = [
    path("luu-tru/huy-ho-so/", views.proposals, name="proposals"),
    path("luu-tru/huy-ho-so/<int:pk>/", views.review, name="review"),
    path("luu-tru/huy-ho-so/<int:pk>/loai/<int:item_pk>/", views.item_remove, name="item_remove"),
    path("luu-tru/huy-ho-so/<int:pk>/phe-duyet/", views.approve, name="approve"),
    path(
        "luu-tru/huy-ho-so/<int:pk>/tai-lieu/<str:paper>/",
        views.paper_download,
        name="paper_download",
    ),
    path("luu-tru/giu-ho-so/", views.holds, name="holds"),
    path("luu-tru/giu-ho-so/<int:pk>/go/", views.hold_lift, name="hold_lift"),
]
