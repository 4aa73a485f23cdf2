"""Second-factor pages, spliced into the ``accounts`` namespace (/tai-khoan/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("xac-thuc-hai-buoc/", views.verify, name="second_factor_verify"),
    path("xac-thuc-hai-buoc/thiet-lap/", views.setup, name="second_factor_setup"),
    path(
        "xac-thuc-hai-buoc/ma-du-phong/", views.recovery_codes, name="second_factor_recovery_codes"
    ),
    path("quan-tri/xac-thuc-hai-buoc/", views.admin_list, name="second_factor_admin"),
    path(
        "quan-tri/xac-thuc-hai-buoc/<int:pk>/dat-lai/",
        views.admin_reset,
        name="second_factor_admin_reset",
    ),
]
