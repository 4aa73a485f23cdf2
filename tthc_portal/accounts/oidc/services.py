"""Accounts of people who sign in through the national single sign-on.

The identifier the provider vouches for (personal ID for citizens, tax code
for organisations) is the only key: the first sign-in links to the account
with that identifier or creates one, and two identifiers are never merged
into one account, whatever names, e-mails or phone numbers they share.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from tthc_portal.audit.services import audit_record

from ..models import User, UserKind
from .claims import IdentityError, NationalIdentity


def _find(identity: NationalIdentity) -> User | None:
    accounts = get_user_model()._default_manager.select_for_update()
    if identity.personal_id_number:
        return accounts.filter(personal_id_number=identity.personal_id_number).first()
    return accounts.filter(tax_code=identity.tax_code).first()


def _free_username(identifier: str) -> str:
    """The identifier itself, unless a local account already took it as a name."""
    accounts = get_user_model()._default_manager
    candidate, suffix = identifier, 1
    while accounts.filter(username__iexact=candidate).exists():
        suffix += 1
        candidate = f"{identifier}-{suffix}"
    return candidate


def _create(identity: NationalIdentity) -> User:
    user = get_user_model()(
        username=_free_username(identity.identifier),
        kind=identity.kind,
        personal_id_number=identity.personal_id_number,
        tax_code=identity.tax_code,
        **identity.profile(),
    )
    # Nobody can sign in to it with a password: the national portal vouches.
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(
        actor=user,
        action="accounts.created_from_national_sso",
        target=user,
        after={"kind": user.kind, "identifier": identity.identifier, **identity.profile()},
    )
    return user


def _update(user: User, identity: NationalIdentity) -> User:
    changed = {
        name: value for name, value in identity.profile().items() if getattr(user, name) != value
    }
    if not changed:
        return user
    before = {name: getattr(user, name) for name in changed}
    for name, value in changed.items():
        setattr(user, name, value)
    user.save(update_fields=list(changed))
    audit_record(
        actor=user,
        action="accounts.profile_updated_from_national_sso",
        target=user,
        before=before,
        after=changed,
    )
    return user


def account_link_national(identity: NationalIdentity) -> User:
    """The account for this identity: linked on the same identifier or created."""
    try:
        with transaction.atomic():
            user = _find(identity)
            if user is None:
                return _create(identity)
            if user.kind == UserKind.STAFF:
                # Staff sign in with their own account and second factor.
                raise IdentityError(
                    _(
                        "Số định danh này thuộc tài khoản cán bộ. Vui lòng đăng nhập bằng tài "
                        "khoản cán bộ, công chức."
                    )
                )
            if user.kind != identity.kind:
                raise IdentityError(
                    _("Loại tài khoản trên Cổng quốc gia không khớp với tài khoản đã có.")
                )
            if not user.is_active:
                raise IdentityError(_("Tài khoản này đã bị khóa."))
            return _update(user, identity)
    except IntegrityError:
        # Two first sign-ins of the same person at once: the other one won.
        with transaction.atomic():
            user = _find(identity)
            if user is None:
                raise
            return _update(user, identity)
