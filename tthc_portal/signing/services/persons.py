"""Personal signing certificates of the officials who sign for an agency.

The demo root issues one to a head the first time they sign (as it does for
agencies); the subject carries the name, the title (chức vụ) and the agency,
so a reader's signature panel shows who signed, as what, for whom. When any
of these changes the next signature gets a fresh certificate; the old one is
only superseded, so what it signed stays valid.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.views.decorators.debug import sensitive_variables

from tthc_portal.agencies.models import Agency

from .. import crypto
from ..conf import demo_options, key_secrets
from ..models import PersonCertificate
from .certificates import _days, _renew_margin, ca_ensure_root, ca_private_key, crl_url


def person_subject(user: Any, *, agency: Agency, title: str) -> str:
    """The RFC 4514 subject the person's certificate must have now."""
    return crypto.person_name(
        user.display_name, title, agency.name, agency.code, settings.TTHC.get("PROVINCE_NAME", "")
    ).rfc4514_string()[:500]


@sensitive_variables("key", "issuer_key")
def person_certificate_issue(
    user: Any, *, agency: Agency, title: str, actor: Any = None
) -> PersonCertificate:
    """The person's active certificate for signing as ``title`` of ``agency``,
    issued by the demo root when there is none, it expires soon, it comes from
    an older root, or its subject no longer matches (new title or agency)."""
    from tthc_portal.accounts.models import User
    from tthc_portal.audit.services import audit_record

    root = ca_ensure_root(actor=actor)
    wanted = person_subject(user, agency=agency, title=title)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)  # one issuer per person
        current = PersonCertificate.objects.filter(user=locked, is_active=True).first()
        if (
            current is not None
            and current.authority_id == root.pk
            and current.subject == wanted
            and current.usable_at(crypto.wall_clock(), margin=_renew_margin())
        ):
            return current
        issuer_key = ca_private_key(root)
        key = crypto.key_generate(demo_options()["KEY_TYPE"])
        cert = crypto.agency_build(
            key,
            subject=crypto.person_name(
                user.display_name,
                title,
                agency.name,
                agency.code,
                settings.TTHC.get("PROVINCE_NAME", ""),
            ),
            issuer_cert=crypto.cert_load(root.certificate_pem),
            issuer_key=issuer_key,
            now=crypto.wall_clock(),
            days=_days("AGENCY_VALID_DAYS"),
            crl_url=crl_url(root),
        )
        facts = crypto.certificate_facts(cert)
        if current is not None:
            PersonCertificate.objects.filter(pk=current.pk).update(is_active=False)
        issued = PersonCertificate.objects.create(
            authority=root,
            user=locked,
            subject=facts.subject,
            certificate_pem=crypto.cert_pem(cert),
            private_key_pem=crypto.key_encrypt(key, key_secrets()[0]),
            serial=facts.serial,
            fingerprint_sha256=facts.fingerprint_sha256,
            not_before=facts.not_before,
            not_after=facts.not_after,
        )
        audit_record(
            actor=actor,
            action="signing.person_certificate_issue",
            target=issued,
            before={"serial": current.serial} if current is not None else None,
            after={
                "user": locked.pk,
                "agency": agency.code,
                "title": title,
                "serial": facts.serial,
                "fingerprint_sha256": facts.fingerprint_sha256,
                "not_after": facts.not_after,
            },
        )
        return issued
