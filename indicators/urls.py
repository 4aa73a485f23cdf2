"""URLs of the 766 index. Mount with ``path("", include("indicators.urls"))``."""

from django.urls import path

from tthc_portal.web.public_cache import INDICATORS, cached_public_page

from .views import dashboard, drilldown, operations, public, reports

public_cached = cached_public_page(INDICATORS)

app_name = "indicators"

urlpatterns = [
    # staff
    path("chi-so-766/", dashboard.dashboard, name="dashboard"),
    path("chi-so-766/tai-ve.<str:fmt>", dashboard.dashboard_download, name="dashboard_download"),
    path("chi-so-766/toan-tinh/", dashboard.unit, name="province"),
    path(
        "chi-so-766/toan-tinh/tai-ve.<str:fmt>",
        dashboard.unit_download,
        name="province_download",
    ),
    path("chi-so-766/don-vi/<int:agency_id>/", dashboard.unit, name="unit"),
    path(
        "chi-so-766/don-vi/<int:agency_id>/tai-ve.<str:fmt>",
        dashboard.unit_download,
        name="unit_download",
    ),
    path("chi-so-766/toan-tinh/chi-tieu/<str:code>/", drilldown.cases, name="province_cases"),
    path(
        "chi-so-766/don-vi/<int:agency_id>/chi-tieu/<str:code>/",
        drilldown.cases,
        name="unit_cases",
    ),
    path("chi-so-766/ky/<int:period_id>/tinh-lai/", operations.recompute, name="recompute"),
    path("chi-so-766/ky/<int:period_id>/cong-bo/", operations.publish, name="publish"),
    path("chi-so-766/luot-tinh/<int:run_id>/", operations.run_status, name="run_status"),
    path("chi-so-766/du-bao/", reports.predicted, name="predicted"),
    path("chi-so-766/bao-cao-dinh-ky/", reports.periodic, name="periodic_report"),
    path(
        "chi-so-766/bao-cao-dinh-ky/tai-ve.<str:fmt>",
        reports.periodic_download,
        name="periodic_download",
    ),
    # public, no login
    # Cached for anonymous visitors until a period is published (period_publish).
    path("cong-khai/chi-so-766/", public_cached(public.period_list), name="public_list"),
    path(
        "cong-khai/chi-so-766/<str:label>/",
        public_cached(public.period_detail),
        name="public_detail",
    ),
]
