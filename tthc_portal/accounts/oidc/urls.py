from django.urls import path

from . import views

urlpatterns = [
    path("dang-nhap/vneid/", views.national_sso_start, name="national_sso_start"),
    path("dang-nhap/vneid/xong/", views.national_sso_callback, name="national_sso_callback"),
]
