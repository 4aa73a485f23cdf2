"""The citizen's online submission pages, mounted at /ho-so/ (namespace "dossiers")."""

from django.urls import path

from .views import citizen, citizen_drafts, citizen_result, citizen_store, citizen_uploads

urlpatterns = [
    path("", citizen.my_dossiers, name="my_dossiers"),
    path("nop/<int:procedure_pk>/", citizen_drafts.submit_start, name="submit_start"),
    path("kho-du-lieu/", citizen_store.personal_store, name="personal_store"),
    path("kho-du-lieu/<int:pk>/tai-ve/", citizen_store.personal_download, name="personal_download"),
    path("<int:pk>/", citizen.detail, name="detail"),
    path("<int:pk>/soan/", citizen_drafts.draft, name="draft"),
    path("<int:pk>/nop-lai/", citizen_drafts.resubmit, name="resubmit"),
    path("<int:pk>/tai-len/<int:requirement_pk>/", citizen_uploads.upload, name="upload"),
    path("<int:pk>/kho/<int:requirement_pk>/", citizen_uploads.reuse, name="reuse"),
    path(
        "<int:pk>/giay-to/<int:component_pk>/",
        citizen.component_download,
        name="component_download",
    ),
    path(
        "<int:pk>/giay-to/<int:component_pk>/xoa/", citizen_uploads.remove, name="component_remove"
    ),
    path("<int:pk>/rut-ho-so/", citizen_result.withdraw, name="withdraw"),
    path("<int:pk>/ket-qua/", citizen_result.result, name="result"),
    path("<int:pk>/ket-qua/tai-ve/", citizen_result.result_download, name="result_download"),
]
