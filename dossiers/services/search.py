"""The audit trail of searches by ID number.

Looking a person up by their identifier is a read of personal data: who asked,
when and how many dossiers it found is recorded. The identifier itself is not
written in clear — only its last 3 characters and a keyed hash, enough to answer
"who searched for this person?" when an investigator brings the number.
"""

from __future__ import annotations

from django.utils.crypto import salted_hmac

from tthc_portal.audit.models import AuditEvent
from tthc_portal.audit.services import audit_record

ID_SEARCH_ACTION = "dossiers.searched_by_id_number"
_HASH_SALT = "dossiers.search.id_number"


def id_number_digest(id_number: str) -> str:
    """The keyed hash stored in the audit log (SECRET_KEY-derived)."""
    return salted_hmac(_HASH_SALT, id_number, algorithm="sha256").hexdigest()


def id_search_record(*, actor, id_number: str, found: int, page: int = 1) -> AuditEvent:
    """One audit event per results page read by ID number; the target is the
    searching account (there is no single dossier to name)."""
    return audit_record(
        actor=actor,
        action=ID_SEARCH_ACTION,
        target=actor,
        after={
            "id_number_end": id_number[-3:],
            "id_number_hash": id_number_digest(id_number),
            "found": found,
            "page": page,
        },
    )
