"""The papers a dossier carries: progress while rendering, download, retry."""

from django.urls import path

from .views import documents

urlpatterns = [
    path("<int:pk>/tai-ve/", documents.document_download, name="document_download"),
    path("<int:pk>/du-thao/", documents.document_draft, name="document_draft"),
    path("<int:pk>/trang-thai/", documents.document_status, name="document_status"),
    path("<int:pk>/tao-lai/", documents.document_retry, name="document_retry"),
]
