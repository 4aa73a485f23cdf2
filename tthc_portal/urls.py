from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from tthc_portal.accounts.language import language_set

urlpatterns = [
    path("i18n/setlang/", language_set, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("quan-tri/", admin.site.urls),
    path("tai-khoan/", include("tthc_portal.accounts.urls")),
    path("lich-lam-viec/", include("tthc_portal.workdays.urls")),
    path("chung-thu/", include("tthc_portal.signing.urls")),
    path("thu-tuc/", include("procedures.urls")),
    path("api/", include("procedures.api.urls")),
    path("api/", include("dossiers.api.urls")),
    path("api/", include("feedback.api.urls")),
    path("api/", include("indicators.api.urls")),
    path("xu-ly/", include("dossiers.urls_processing")),
    path("so-theo-doi/", include("dossiers.urls_register")),
    path("", include("dossiers.urls")),
    path("", include("feedback.urls")),
    path("", include("indicators.urls")),
    path("", include("integrations.urls")),
    path("", include("queueing.urls")),
    path("", include("receipts.urls")),
    path("", include("records.urls")),
    path("ket-noi/", include("tthc_portal.api_clients.urls")),
    path("thong-bao/", include("tthc_portal.notifications.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("tthc_portal.web.urls")),
]

# Nothing under /api/ answers HTML (see tthc_portal.web.views).
handler404 = "tthc_portal.web.views.page_not_found"
handler500 = "tthc_portal.web.views.server_error"
