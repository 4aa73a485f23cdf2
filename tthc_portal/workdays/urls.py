from django.urls import path

from . import views

app_name = "workdays"

urlpatterns = [
    path("", views.exception_list, name="list"),
    path("tinh-han/", views.calculator, name="calculator"),
]
