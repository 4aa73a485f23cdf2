"""The lifecycle's signals → the sync outbox (same transaction)."""

from __future__ import annotations

from django.dispatch import receiver

from dossiers.signals import dossier_header_changed, dossier_transitioned

from .outbox import sync_header_changed, sync_record_transition


@receiver(dossier_transitioned, dispatch_uid="integrations-sync-transition")
def _on_transition(sender, *, dossier, history, action, before, **kwargs) -> None:
    sync_record_transition(dossier, history, action, before)


@receiver(dossier_header_changed, dispatch_uid="integrations-sync-header")
def _on_header_change(sender, *, dossier, reason="", **kwargs) -> None:
    sync_header_changed(dossier, reason)
