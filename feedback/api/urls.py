"""Feedback API routes. Mount with ``path("api/", include("feedback.api.urls"))``."""

from django.urls import path

from tthc_portal.api_errors import api_catch_all

from . import views

app_name = "feedback_api"

urlpatterns = [
    path("pakn/", views.FeedbackSubmitView.as_view(), name="pakn-submit"),
    path("pakn/published/", views.PublishedListView.as_view(), name="pakn-published-list"),
    path(
        "pakn/published/<str:code>/",
        views.PublishedDetailView.as_view(),
        name="pakn-published-detail",
    ),
    path("pakn/published/<str:code>/reaction/", views.ReactionView.as_view(), name="pakn-react"),
    path("pakn/staff/", views.StaffListView.as_view(), name="pakn-staff-list"),
    path("pakn/staff/<int:pk>/", views.StaffDetailView.as_view(), name="pakn-staff-detail"),
    path(
        "pakn/staff/<int:pk>/actions/<slug:action>/",
        views.StaffActionView.as_view(),
        name="pakn-staff-action",
    ),
    path("pakn/criteria/", views.CriteriaView.as_view(), name="pakn-criteria"),
    path("ratings/", views.RatingListView.as_view(), name="rating-list"),
    path("ratings/summary/", views.RatingSummaryView.as_view(), name="rating-summary"),
    path("ratings/by-link/<str:token>/", views.RatingByTokenView.as_view(), name="rating-by-link"),
    # Anything else under these prefixes (e.g. a non-integer id): a JSON 404, not HTML.
    api_catch_all("pakn", "ratings"),
]
