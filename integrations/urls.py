from django.urls import include, path

from .views.files import file_download

app_name = "integrations"

urlpatterns = [
    path("lien-thong/tep/<str:token>/", file_download, name="file"),
    path("", include("integrations.urls_inbound")),
    path("", include("integrations.urls_paygov")),
    path("", include("integrations.urls_dashboard")),
]
