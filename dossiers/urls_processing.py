"""The resolving units' processing pages, mounted at "xu-ly/" (namespace "processing")."""

from django.urls import path

from .views import processing, processing_worklist
from .views.processing_actions import ACTIONS

app_name = "processing"

urlpatterns = [
    path("", processing_worklist.worklist_page, name="worklist"),
    path("ho-so/<int:pk>/", processing.dossier_page, name="dossier"),
    path("ho-so/<int:pk>/phieu-kiem-soat/", processing.control_sheet, name="control_sheet"),
    *(
        path(f"ho-so/<int:pk>/{action.slug}/", processing.act, {"action": action.name},
             name=action.name)
        for action in ACTIONS
    ),
]  # fmt: skip
