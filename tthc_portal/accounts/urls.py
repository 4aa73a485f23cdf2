from django.urls import path

from . import views
from .oidc import urls as oidc_urls
from .oidc import views as oidc_views
from .second_factor import urls as second_factor_urls
from .signins import urls as signins_urls

app_name = "accounts"

urlpatterns = [
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", oidc_views.LogoutView.as_view(), name="logout"),
    path("ho-so/", views.profile, name="profile"),
    *oidc_urls.urlpatterns,
    *second_factor_urls.urlpatterns,
    *signins_urls.urlpatterns,
]
