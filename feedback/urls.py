"""Feedback URLs. Mount with ``path("", include("feedback.urls"))``."""

from django.urls import path

from .views import public, rating_citizen, ratings, staff

app_name = "feedback"

urlpatterns = [
    # (a) evaluation of dossier handling
    path("danh-gia/ki-ot/", ratings.kiosk, name="kiosk"),
    path("danh-gia/ki-ot/phieu/", ratings.kiosk_rate, name="kiosk_rate"),
    path("danh-gia/ki-ot/cam-on/", ratings.kiosk_done, name="kiosk_done"),
    # The citizen: signed in on their own dossier, or the one-time link sent
    # when the result is returned. The old address took the lookup token (the
    # QR code on the papers) and now only explains that.
    path("danh-gia/ho-so-cua-toi/<int:dossier_id>/", rating_citizen.rate_mine, name="rate_mine"),
    path("danh-gia/lien-ket/<str:token>/", rating_citizen.rate_link, name="rate_link"),
    path("danh-gia/cam-on/", rating_citizen.rate_link_done, name="rate_link_done"),
    path("danh-gia/ho-so/<str:token>/", rating_citizen.rate_token_retired, name="rate_token"),
    path("danh-gia/ket-qua/", ratings.summary, name="ratings"),
    path("danh-gia/ket-qua/<int:pk>/", ratings.rating_detail, name="rating_detail"),
    # (b) PAKN: public
    path("phan-anh-kien-nghi/", public.published_list, name="published"),
    path("phan-anh-kien-nghi/gui/", public.submit, name="submit"),
    path("phan-anh-kien-nghi/theo-doi/<str:token>/", public.track, name="track"),
    path(
        "phan-anh-kien-nghi/cong-khai/<str:code>/", public.published_detail, name="published_detail"
    ),
    path("phan-anh-kien-nghi/cong-khai/<str:code>/danh-gia/", public.react, name="react"),
    # (b) PAKN: staff
    path("phan-anh-kien-nghi/xu-ly/", staff.inbox, name="staff_inbox"),
    path("phan-anh-kien-nghi/xu-ly/nhap-moi/", staff.enter, name="staff_enter"),
    path("phan-anh-kien-nghi/xu-ly/<int:pk>/", staff.detail, name="staff_detail"),
    path(
        "phan-anh-kien-nghi/xu-ly/<int:pk>/tep/<int:attachment_pk>/",
        staff.attachment,
        name="attachment",
    ),
    path("phan-anh-kien-nghi/xu-ly/<int:pk>/<slug:action>/", staff.action, name="staff_action"),
    path("phan-anh-kien-nghi/bao-cao/", staff.report, name="report"),
    path(
        "phan-anh-kien-nghi/bao-cao/tai-ve.<str:fmt>", staff.report_download, name="report_download"
    ),
]
