"""Messages from the national portal (PROTOCOL.md §4): new dossiers, withdrawals,
supplements, payments and ratings, pushed to ``POST /api/lien-thong/dvcqg/ho-so/`` or
pulled with ``LayHoSoMoi``; both go through ``inbound_receive``."""

from .auth import push_token_check, push_token_set
from .envelope import InboundOutcome
from .pull import inbound_pull
from .receive import inbound_receive, inbound_retry_unmapped

__all__ = [
    "InboundOutcome",
    "inbound_pull",
    "inbound_receive",
    "inbound_retry_unmapped",
    "push_token_check",
    "push_token_set",
]
