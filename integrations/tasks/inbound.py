"""Celery tasks: inbound (see integrations/inbound)."""

__all__: list[str] = []
