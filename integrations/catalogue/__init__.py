"""The procedure catalogue pulled from the National TTHC Database (``LayThuTuc``)."""

from .pull import catalogue_pull, catalogue_pull_due, procedure_review
from .shape import national_read, version_national

__all__ = [
    "catalogue_pull",
    "catalogue_pull_due",
    "national_read",
    "procedure_review",
    "version_national",
]
