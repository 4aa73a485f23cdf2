from django.urls import path

from . import views

app_name = "receipts"

urlpatterns = [
    path("mot-cua/<int:pk>/thu-phi/", views.desk_collect, name="desk_collect"),
    path("bien-lai/<int:pk>/", views.receipt_detail, name="receipt_detail"),
    path("bien-lai/<int:pk>/dieu-chinh/", views.receipt_correct, name="receipt_correct"),
    path("bien-lai/<int:pk>/gui-lai/", views.receipt_send_again, name="receipt_send_again"),
    path("bien-lai/<int:pk>/tai-ve/", views.receipt_download, name="receipt_download"),
]
