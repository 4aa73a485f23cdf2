"""The registry of Decision 766 criteria (indicators-766.md §3): one entry each.

Every other module names a criterion through ``Code`` (a ``str`` enum, so a
member equals the code stored on ``Criterion.code`` and in results) and asks
``SPECS`` how it is judged: which items its drill-down lists, whether it is a
province-level value, whether it can be observed locally, and whether open
items make its score now differ from the forecast. A test fails on a criterion
code written as a string anywhere else in the code base.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Code(StrEnum):
    PUBLISH_ON_TIME = "1.1"
    POSTED_ON_TIME = "1.2"
    CONTENT_FULL = "1.3"
    DOSSIER_SYNC = "1.4"
    ON_TIME = "2.1"
    PROCESSING_TIME = "2.2"
    ONLINE_SERVICES = "3.1"
    ONLINE_SERVICES_USED = "3.2"
    ONLINE_SHARE = "3.3"
    FEE_LIST_SYNCED = "3.5"
    PAID_ONLINE_PROCEDURES = "3.5b"
    PAID_ONLINE_DOSSIERS = "3.6"
    E_RESULT = "4.1"
    DIGITISED = "4.2"
    REUSED_DATA = "4.3"
    PERSONAL_STORE = "4.4"
    POPULATION_PROCEDURES = "4.5a"
    POPULATION_DOSSIERS = "4.5b"
    CERTIFIED_COPY = "4.6"
    PAKN_BY_TYPE = "5.1"
    PAKN_ON_TIME = "5.2"
    PAKN_SATISFACTION = "5.3"
    RECEIVING_SATISFACTION = "5.4"


# What a criterion's drill-down lists (the ``kind`` stored with frozen cases).
DOSSIER, PROCEDURE, PUBLICATION_ITEM, FEEDBACK, NONE = (
    "dossier",
    "procedure",
    "publication_item",
    "feedback",
    "none",
)


@dataclass(frozen=True)
class CriterionSpec:
    code: Code
    items: str  # DOSSIER, PROCEDURE, PUBLICATION_ITEM, FEEDBACK or NONE
    # Computed once for the province; every unit shows the province value (§4).
    province_level: bool = False
    # Counted from the unit's catalogue and its dossiers' use of each procedure.
    catalogue: bool = False
    # No published formula: scored from its fallback ratio, or 0.
    observable: bool = True
    # Open items are judged at a time: the score now and the forecast differ.
    moving: bool = False


SPECS: dict[Code, CriterionSpec] = {
    spec.code: spec
    for spec in (
        CriterionSpec(Code.PUBLISH_ON_TIME, PUBLICATION_ITEM, province_level=True),
        CriterionSpec(Code.POSTED_ON_TIME, PUBLICATION_ITEM, province_level=True),
        CriterionSpec(Code.CONTENT_FULL, PROCEDURE, province_level=True),
        CriterionSpec(Code.DOSSIER_SYNC, DOSSIER),
        CriterionSpec(Code.ON_TIME, DOSSIER, moving=True),
        CriterionSpec(Code.PROCESSING_TIME, NONE),
        CriterionSpec(Code.ONLINE_SERVICES, PROCEDURE, catalogue=True),
        CriterionSpec(Code.ONLINE_SERVICES_USED, PROCEDURE, catalogue=True),
        CriterionSpec(Code.ONLINE_SHARE, DOSSIER),
        CriterionSpec(Code.FEE_LIST_SYNCED, PROCEDURE, catalogue=True),
        CriterionSpec(Code.PAID_ONLINE_PROCEDURES, PROCEDURE, catalogue=True),
        CriterionSpec(Code.PAID_ONLINE_DOSSIERS, DOSSIER),
        CriterionSpec(Code.E_RESULT, DOSSIER),
        CriterionSpec(Code.DIGITISED, DOSSIER),
        CriterionSpec(Code.REUSED_DATA, DOSSIER),
        CriterionSpec(Code.PERSONAL_STORE, DOSSIER),
        CriterionSpec(Code.POPULATION_PROCEDURES, PROCEDURE, catalogue=True),
        CriterionSpec(Code.POPULATION_DOSSIERS, DOSSIER),
        CriterionSpec(Code.CERTIFIED_COPY, NONE, observable=False),
        CriterionSpec(Code.PAKN_BY_TYPE, NONE),
        CriterionSpec(Code.PAKN_ON_TIME, FEEDBACK, moving=True),
        CriterionSpec(Code.PAKN_SATISFACTION, FEEDBACK, moving=True),
        CriterionSpec(Code.RECEIVING_SATISFACTION, DOSSIER, moving=True),
    )
}


def codes(**wanted: bool) -> tuple[Code, ...]:
    """The codes whose specs have every given flag, in registry order:
    ``codes(province_level=True)`` → 1.1, 1.2, 1.3."""
    return tuple(
        spec.code
        for spec in SPECS.values()
        if all(getattr(spec, name) == value for name, value in wanted.items())
    )


PROVINCE_LEVEL = codes(province_level=True)
CATALOGUE = codes(catalogue=True)
UNOBSERVABLE = codes(observable=False)
MOVING = codes(moving=True)
