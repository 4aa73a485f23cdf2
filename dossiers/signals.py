"""What the lifecycle tells other apps, inside the transition's transaction.

Receivers run synchronously before the commit, so a row they write (the
national sync outbox) commits or rolls back with the change itself. Dossiers
never import the apps that listen."""

from django.dispatch import Signal

# kwargs: dossier (locked, saved), history (the StatusHistory row), action, before (status).
dossier_transitioned = Signal()
# kwargs: dossier, reason ("fees", "payment", "components", …): header fields changed
# without a status change.
dossier_header_changed = Signal()
