"""PAKN services, split by domain: ``intake`` (public form, staff entry,
follow-ups, reactions), ``handling`` (the one transition service and the
actions built on it) and ``notify`` (outbox messages).

Callers use ``from feedback.services import pakn`` and ``pakn.feedback_…``.
"""

from .. import FeedbackError
from .handling import (
    actor_capabilities,
    feedback_answer,
    feedback_approve_publication,
    feedback_classify,
    feedback_forward,
    feedback_forward_out,
    feedback_publish,
    feedback_receive_transfer,
    feedback_refuse,
    feedback_request_info,
    feedback_return_answer,
    feedback_return_to_office,
    feedback_supplement,
    feedback_transition,
    lock,
    published_search_text,
)
from .intake import (
    REQUIRED_SUBMITTER_FIELDS,
    feedback_code_allocate,
    feedback_follow_up,
    feedback_react,
    feedback_submit,
    submission_errors,
)
from .notify import notify_agency, notify_submitter, tracking_path

__all__ = [
    "REQUIRED_SUBMITTER_FIELDS",
    "FeedbackError",
    "actor_capabilities",
    "feedback_answer",
    "feedback_approve_publication",
    "feedback_classify",
    "feedback_code_allocate",
    "feedback_follow_up",
    "feedback_forward",
    "feedback_forward_out",
    "feedback_publish",
    "feedback_react",
    "feedback_receive_transfer",
    "feedback_refuse",
    "feedback_request_info",
    "feedback_return_answer",
    "feedback_return_to_office",
    "feedback_submit",
    "feedback_supplement",
    "feedback_transition",
    "lock",
    "notify_agency",
    "notify_submitter",
    "published_search_text",
    "submission_errors",
    "tracking_path",
]
