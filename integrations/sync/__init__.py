"""Outbound synchronisation of dossiers: outbox rows at each transition, an
ordered per-dossier sender with reply classes, backoff and a circuit breaker."""
