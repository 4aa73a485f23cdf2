"""Per-target configuration read on hot paths, cached with explicit invalidation.

The cache is Django's (Redis in production, shared by every process); a save or
delete of a target, a code map or the status map drops the cached copy."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from dossiers.models import NationalStatusMap

from .models import CodeMap, MapKind, Target, TargetKind, UnmappedItem

_TTL = 300
# A header reads the maps several times and a drain builds hundreds of headers: each
# process keeps what it read for a few seconds instead of asking the cache every time
# (an edit reaches every process within this, and this process at once).
_LOCAL_SECONDS = 5.0
_local: dict[str, tuple[float, object]] = {}


def _key(name: str) -> str:
    return f"integrations:config:{name}"


def _memo(name: str, load):
    now = time.monotonic()
    held = _local.get(name)
    if held is not None and held[0] > now:
        return held[1]
    value = cache.get(_key(name))
    if value is None:
        value = load()
        cache.set(_key(name), value, _TTL)
    _local[name] = (now + _LOCAL_SECONDS, value)
    return value


def active_target(kind: str = TargetKind.HUB) -> Target | None:
    """The active target of a kind (one per kind), or None when not configured."""
    pk = cache.get(_key(f"target:{kind}"))
    if pk is None:
        target = Target.objects.filter(kind=kind, is_active=True).order_by("pk").first()
        cache.set(_key(f"target:{kind}"), target.pk if target else 0, _TTL)
        return target
    if pk == 0:
        return None
    return Target.objects.filter(pk=pk, is_active=True).first()


def active_target_id(kind: str = TargetKind.HUB) -> int | None:
    """Like ``active_target`` without loading the row (the transition's hot path)."""
    pk = cache.get(_key(f"target:{kind}"))
    if pk is None:
        target = active_target(kind)
        return target.pk if target else None
    return pk or None


def national_status_map() -> dict[str, tuple[int | None, bool]]:
    """internal status → (national code or None, synced for every dossier)."""

    def load() -> dict[str, tuple[int | None, bool]]:
        mapping = {}
        for row in NationalStatusMap.objects.all():
            code = int(row.national_code) if row.national_code.strip().isdigit() else None
            mapping[row.status] = (code, row.synced)
        return mapping

    return _memo("status-map", load)


def code_maps(target: Target) -> dict[tuple[str, str], str]:
    def load() -> dict[tuple[str, str], str]:
        rows = CodeMap.objects.filter(target=target).values_list("kind", "local", "remote")
        return {(kind, local): remote for kind, local, remote in rows}

    return _memo(f"codes:{target.pk}", load)


def code_local(target: Target, kind: str, remote: str) -> str | None:
    """The local code of a remote one (inbound), from the map only."""
    for (map_kind, local), mapped in code_maps(target).items():
        if map_kind == kind and mapped == remote:
            return local
    return None


def unmapped_record(
    target: Target, kind: str, value: str, *, direction: str, context: dict | None = None
) -> UnmappedItem:
    """Put a value in the administrator's unmapped queue (counted, never dropped)."""
    item = UnmappedItem.objects.filter(
        target=target, kind=kind, value=value[:200], direction=direction, resolved_at__isnull=True
    ).first()
    if item is None:
        return UnmappedItem.objects.create(
            target=target, kind=kind, value=value[:200], direction=direction,
            context=context or {},
        )  # fmt: skip
    UnmappedItem.objects.filter(pk=item.pk).update(
        count=item.count + 1, last_seen=timezone.now(), context=context or item.context
    )
    return item


def config_forget_local() -> None:
    """Drop this process's copies (tests, whose rollbacks send no signals)."""
    _local.clear()


def config_forget(**_kwargs) -> None:
    _local.clear()
    keys = [_key("status-map"), *(_key(f"target:{kind}") for kind in TargetKind.values)]
    keys += [_key(f"codes:{pk}") for pk in Target.objects.values_list("pk", flat=True)]
    cache.delete_many(keys)


for _model in (Target, CodeMap, NationalStatusMap):
    receiver(post_save, sender=_model, dispatch_uid=f"integrations-forget-{_model.__name__}")(
        config_forget
    )
    receiver(post_delete, sender=_model, dispatch_uid=f"integrations-forget-d-{_model.__name__}")(
        config_forget
    )

__all__ = ["MapKind"]
