"""Dossiers for the search tests: one received through the services, then
copies of its row with other people, codes, states and agencies (the search
reads only the row; how it got there is the other tests' business)."""

from __future__ import annotations

import re

from dossiers.models import Dossier
from tests.dossiers.casework import received

ROW = re.compile(r'<tr data-dossier="(\d+)">(.*?)</tr>', re.S)
SKIP = {"id", "code", "lookup_token", "search_name", "search_phone", "search_id", "current_step"}


def base_dossier(users, procedure, **people) -> Dossier:
    dossier = received(users, procedure)
    if people:
        Dossier.objects.filter(pk=dossier.pk).update(**people)
        dossier.refresh_from_db()
    return dossier


def copy_of(dossier: Dossier, *, code: str, **changes) -> Dossier:
    values = {
        f.attname: getattr(dossier, f.attname)
        for f in Dossier._meta.concrete_fields
        if f.name not in SKIP and f.attname not in SKIP
    }
    values.update(code=code, **changes)
    return Dossier.objects.create(**values)


def listed(response) -> dict[int, str]:
    assert response.status_code == 200, response.status_code
    return {int(pk): html for pk, html in ROW.findall(response.content.decode())}
