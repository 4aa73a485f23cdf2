from django.urls import path

from .views import booking, desk, kiosk, public, stats

app_name = "queueing"

urlpatterns = [
    path("xep-hang/", public.centres, name="centres"),
    path("xep-hang/<int:centre_id>/ki-ot/", public.kiosk, name="kiosk"),
    path("xep-hang/<int:centre_id>/ki-ot/ve/", public.kiosk_ticket, name="kiosk_ticket"),
    path("xep-hang/<int:centre_id>/man-hinh/", public.display, name="display"),
    path("xep-hang/<int:centre_id>/man-hinh/du-lieu/", public.display_data, name="display_data"),
    path("xep-hang/<int:centre_id>/thiet-bi/<slug:code>/", kiosk.device, name="device"),
    path("xep-hang/<int:centre_id>/thiet-bi/<slug:code>/quet-ma/", kiosk.scan, name="device_scan"),
    path(
        "xep-hang/<int:centre_id>/thiet-bi/<slug:code>/dang-nhap/",
        kiosk.sign_in,
        name="device_sign_in",
    ),
    path("xep-hang/quay/", desk.counters, name="counters"),
    path("xep-hang/quay/<int:counter_id>/", desk.counter, name="counter"),
    path("xep-hang/thong-ke/", stats.statistics, name="statistics"),
    path("xep-hang/thong-ke/xuat/", stats.statistics_export, name="statistics_export"),
    path("xep-hang/dat-lich/", booking.book, name="book"),
    path("xep-hang/dat-lich/cua-toi/", booking.my_appointments, name="my_appointments"),
    path("xep-hang/dat-lich/<int:appointment_id>/huy/", booking.cancel, name="appointment_cancel"),
]
