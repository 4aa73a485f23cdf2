from django.urls import path

from .views import publication, simplification

urlpatterns = [
    path("", publication.board, name="board"),
    path("quyet-dinh/moi/", publication.decision_create, name="decision_create"),
    path("nhiem-vu/<int:pk>/", publication.task_detail, name="task"),
    path("nhiem-vu/<int:pk>/quyet-dinh/", publication.task_decide, name="task_decide"),
    path("muc/<int:pk>/du-thao/", publication.item_draft, name="item_draft"),
    path("phien-ban/<int:pk>/", publication.version_edit, name="version"),
    path("phien-ban/<int:pk>/<str:action>/", publication.version_action, name="version_action"),
    path("don-gian-hoa/", simplification.progress, name="simplification"),
    path(
        "don-gian-hoa/thu-tuc-noi-bo/",
        simplification.internal_procedures,
        name="internal_procedures",
    ),
]
