"""Checked inbound files → the dossier's components (system actor: the national portal)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dossiers.models import Dossier, SourceForm

# The storage primitive of component_attach (random private name, nothing half-stored
# on failure); component_attach itself checks a user's editor rights, which a message
# from the national portal does not have.
from dossiers.services.submission import component_store
from procedures.models import ComponentRequirement
from tthc_portal.audit.services import audit_record

from .files import InboundFile


def requirement_for(
    requirements: list[ComponentRequirement], code: str
) -> ComponentRequirement | None:
    """MaThanhPhanHoSo → the version's requirement: by id, else by order, else none."""
    code = (code or "").strip()
    if not code.isdigit():
        return None
    number = int(code)
    by_pk = next((r for r in requirements if r.pk == number), None)
    return by_pk or next((r for r in requirements if r.order == number), None)


def files_attach(dossier: Dossier, files: list[InboundFile]) -> set[int]:
    """Store every accepted file as a component; the indexes attached."""
    requirements = list(dossier.procedure_version.components.all())
    attached = set()
    for item in files:
        if not item.ok:
            continue
        checked = item.checked
        requirement = requirement_for(requirements, item.component_code)
        component = component_store(
            dossier, requirement, actor=None,
            name=(requirement.name if requirement else checked.filename)[:500],
            content=checked.content, filename=checked.filename,
            content_type=checked.content_type, size=checked.size, sha256=checked.sha256,
            page_count=checked.page_count, digitised=False, from_store=item.from_store,
            source=SourceForm.PERSONAL_STORE if item.from_store else SourceForm.UPLOAD,
        )  # fmt: skip
        audit_record(
            actor=None, action="dossier.component_attach", target=dossier,
            after={"component": component.pk, "sha256": checked.sha256,
                   "source": str(_("Cổng Dịch vụ công quốc gia"))},
        )  # fmt: skip
        attached.add(item.index)
    return attached
