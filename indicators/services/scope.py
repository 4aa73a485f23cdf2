"""Which units' indicators a user may see.

``view_indicators`` is granted per agency through the agency groups: a
department head holds it on the department, provincial staff on the whole
tree. A unit's figures cover its subtree, so holding the permission on a
unit shows that unit and every unit under it; the province row (all units
pooled) needs the permission on the province root.
"""

from __future__ import annotations

from dataclasses import dataclass

from tthc_portal.agencies.models import Agency
from tthc_portal.agencies.selectors import agencies_for_user, province_root


@dataclass(frozen=True)
class IndicatorScope:
    agency_ids: frozenset[int]  # every unit the user may see
    held_ids: frozenset[int]  # units where the permission is held
    whole_province: bool  # may see the pooled province row

    def allows(self, agency_id: int | None) -> bool:
        return self.whole_province if agency_id is None else agency_id in self.agency_ids


def indicator_scope(user, perm: str = "view_indicators") -> IndicatorScope:
    """Three queries whatever the size of the tree."""
    held = frozenset(agencies_for_user(user, perm).values_list("pk", flat=True))
    if not held:
        return IndicatorScope(frozenset(), held, False)
    visible = set()
    for pk, path in Agency.objects.values_list("pk", "path"):
        ancestors = {int(part) for part in path.strip("/").split("/") if part}
        if ancestors & held:
            visible.add(pk)
    root = province_root()
    return IndicatorScope(frozenset(visible), held, root is not None and root.pk in held)
