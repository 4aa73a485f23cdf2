from django.urls import path

from . import views

urlpatterns = [
    path(
        "phien-dang-nhap/ket-thuc-thiet-bi-khac/",
        views.sessions_end_others,
        name="sessions_end_others",
    ),
    path("phien-dang-nhap/ket-thuc-tat-ca/", views.sessions_end_all, name="sessions_end_all"),
    path("phien-dang-nhap/<int:pk>/ket-thuc/", views.session_end, name="session_end"),
]
