"""Indicator API routes. Mount with ``path("api/", include("indicators.api.urls"))``."""

from django.urls import path

from tthc_portal.api_errors import api_catch_all

from . import views

app_name = "indicators_api"

urlpatterns = [
    path("indicators/periods/", views.PeriodListView.as_view(), name="period-list"),
    path("indicators/periods/<int:pk>/", views.PeriodDetailView.as_view(), name="period-detail"),
    path(
        "indicators/periods/<int:pk>/results/",
        views.ResultListView.as_view(),
        name="period-results",
    ),
    path(
        "indicators/periods/<int:pk>/summary/", views.SummaryView.as_view(), name="period-summary"
    ),
    path("indicators/periods/<int:pk>/cases/", views.CaseListView.as_view(), name="period-cases"),
    path(
        "indicators/periods/<int:pk>/predicted/",
        views.PredictedView.as_view(),
        name="period-predicted",
    ),
    path(
        "indicators/periods/<int:pk>/predicted/dossiers/",
        views.AtRiskListView.as_view(),
        name="period-at-risk",
    ),
    path(
        "indicators/periods/<int:pk>/publish/", views.PublishView.as_view(), name="period-publish"
    ),
    path(
        "indicators/periods/<int:pk>/recompute/",
        views.RecomputeView.as_view(),
        name="period-recompute",
    ),
    path("indicators/runs/<int:pk>/", views.RunDetailView.as_view(), name="run-detail"),
    path(
        "indicators/periodic-report/",
        views.PeriodicReportView.as_view(),
        name="periodic-report",
    ),
    # Anything else under these prefixes (e.g. a non-integer id): a JSON 404, not HTML.
    api_catch_all("indicators"),
]
