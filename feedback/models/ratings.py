"""(a) Citizen evaluation of dossier handling (feedback.md, part a)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RatingSource(models.TextChoices):
    DESK_KIOSK = "desk_kiosk", _("Ki-ốt tại Bộ phận Một cửa")
    PORTAL = "portal", _("Cổng dịch vụ công của tỉnh")
    DVCQG = "dvcqg", _("Cổng Dịch vụ công quốc gia")
    PAPER = "paper", _("Phiếu giấy")


class Like(models.TextChoices):
    LIKE = "like", _("Hài lòng")
    DISLIKE = "dislike", _("Không hài lòng")


class Rating(models.Model):
    """One evaluation of one dossier from one source (unique per dossier and source)."""

    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        on_delete=models.PROTECT,
        related_name="ratings",
    )
    source = models.CharField(_("kênh đánh giá"), max_length=12, choices=RatingSource.choices)
    rule_set = models.ForeignKey(
        "feedback.RatingRuleSet", verbose_name=_("bộ tiêu chí"), on_delete=models.PROTECT
    )
    total = models.DecimalField(_("tổng điểm"), max_digits=6, decimal_places=2, default=0)
    band_code = models.CharField(_("mã xếp loại"), max_length=24, blank=True)
    band_label = models.CharField(_("xếp loại"), max_length=100, blank=True)
    # NULL: the sheet (paper, DVCQG import) gave no overall answer.
    like = models.CharField(  # noqa: DJ001
        _("hài lòng chung"), max_length=8, choices=Like.choices, null=True, blank=True
    )
    comment = models.TextField(_("ý kiến khác"), blank=True)
    submitted_at = models.DateTimeField(_("thời điểm đánh giá"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi / người nhập phiếu"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    needs_review = models.BooleanField(_("cần lãnh đạo xem xét"), default=False)
    reviewed_at = models.DateTimeField(_("đã xem xét lúc"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("đánh giá giải quyết hồ sơ")
        verbose_name_plural = _("đánh giá giải quyết hồ sơ")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "source"], name="one_rating_per_source"),
        ]
        indexes = [
            models.Index(fields=["submitted_at"], name="rating_submitted"),
            models.Index(fields=["dossier"], name="rating_dislike", condition=Q(like="dislike")),
            models.Index(
                fields=["submitted_at"], name="rating_to_review", condition=Q(needs_review=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier} – {self.get_source_display()}"


class RatingScore(models.Model):
    """One criterion of one rating.

    ``prefilled_score`` is what the system proposed (criteria with a rubric),
    ``score`` what the citizen (or the officer transcribing a sheet) gave,
    ``self_score`` the agency's own marking and ``appraised_score`` the value
    after review. The total uses the appraised score where there is one.
    """

    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        "feedback.RatingCriterion", on_delete=models.PROTECT, related_name="+"
    )
    prefilled_score = models.PositiveSmallIntegerField(_("điểm hệ thống đề xuất"), null=True)
    score = models.PositiveSmallIntegerField(_("điểm đánh giá"))
    self_score = models.PositiveSmallIntegerField(_("điểm tự chấm"), null=True, blank=True)
    appraised_score = models.PositiveSmallIntegerField(_("điểm thẩm định"), null=True, blank=True)

    class Meta:
        verbose_name = _("điểm theo tiêu chí")
        verbose_name_plural = _("điểm theo tiêu chí")
        ordering = ["criterion__order"]
        constraints = [
            models.UniqueConstraint(fields=["rating", "criterion"], name="one_score_per_criterion"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.effective}"

    @property
    def effective(self) -> int:
        return self.appraised_score if self.appraised_score is not None else self.score


class RatingRevision(models.Model):
    """Append-only history of a rating's edits and appraisals."""

    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="revisions")
    kind = models.CharField(
        max_length=12, choices=[("edit", _("Sửa đánh giá")), ("appraise", _("Thẩm định"))]
    )
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("lịch sử sửa đánh giá")
        verbose_name_plural = _("lịch sử sửa đánh giá")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.rating_id} {self.kind} {self.at:%d/%m/%Y %H:%M}"


class RatingLink(models.Model):
    """A one-time rating link sent to the applicant's phone or e-mail.

    The paper QR token is printed on receipts and results, so anyone holding a
    copy has it: it must never open the rating. This link is a separate random
    secret that only the applicant's own contact receives. Only its SHA-256 is
    stored (a leaked table does not give working links); it expires and is
    consumed by the first successful rating.
    """

    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        on_delete=models.PROTECT,
        related_name="rating_links",
    )
    token_hash = models.CharField(_("mã băm của đường dẫn"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("thời điểm tạo"))
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    used_at = models.DateTimeField(_("đã dùng lúc"), null=True, blank=True)
    rating = models.ForeignKey(
        Rating,
        verbose_name=_("đánh giá đã gửi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("đường dẫn đánh giá dùng một lần")
        verbose_name_plural = _("đường dẫn đánh giá dùng một lần")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.dossier} – {self.created_at:%d/%m/%Y}"
