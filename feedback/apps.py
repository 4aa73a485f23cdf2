from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Đánh giá và phản ánh kiến nghị")

    def ready(self) -> None:
        from dossiers.signals import dossier_transitioned

        dossier_transitioned.connect(_invite_rating, dispatch_uid="feedback-rating-invite")


def _invite_rating(sender, dossier, action: str, **kwargs) -> None:
    """Every returned dossier invites its applicant to rate the service."""
    if action == "return_result":
        from .services.ratings import rating_invite

        rating_invite(dossier)
