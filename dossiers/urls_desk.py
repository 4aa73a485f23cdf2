"""The one-stop desk's reception workspace (mounted at "mot-cua/")."""

from django.urls import path

from .views import desk, desk_refuse, desk_return

urlpatterns = [
    path("", desk.queue, name="desk_queue"),
    path("tiep-nhan-truc-tiep/", desk.counter_start, name="counter_start"),
    path("<int:pk>/nguoi-nop/", desk.counter_applicant, name="counter_applicant"),
    path("<int:pk>/kiem-tra/", desk.check, name="desk_check"),
    path("<int:pk>/so-hoa/", desk.digitise, name="desk_digitise"),
    path("<int:pk>/tiep-nhan/", desk.receive, name="desk_receive"),
    path("<int:pk>/yeu-cau-bo-sung/", desk.request_completion, name="desk_request_completion"),
    path("<int:pk>/tu-choi/", desk_refuse.refuse, name="desk_refuse"),
    path("<int:pk>/nhan-bo-sung/", desk.resubmit, name="desk_resubmit"),
    path("<int:pk>/chuyen-xu-ly/", desk_return.transfer, name="desk_transfer"),
    path("tra-ket-qua/", desk_return.returns, name="desk_returns"),
    path("<int:pk>/tra-ket-qua/", desk_return.return_result, name="desk_return"),
]
