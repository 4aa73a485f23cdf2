"""Celery tasks: reconcile (see integrations/reconcile)."""

__all__: list[str] = []
