"""The dossier register (form 07). Mounted by the project at "so-theo-doi/":

path("so-theo-doi/", include("dossiers.urls_register")),
"""

from django.urls import path

from .views import register

app_name = "register"

urlpatterns = [
    path("", register.index, name="index"),
    path("tai-ve/<str:fmt>/", register.download, name="download"),
]
