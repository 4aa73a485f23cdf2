"""`check --deploy`: citizens must have a way to sign in, over TLS."""

from __future__ import annotations

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def national_sso_configured(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    config = settings.IDENTITY
    messages: list[checks.CheckMessage] = []
    configured = bool(config["OIDC_DISCOVERY_URL"] and config["OIDC_CLIENT_ID"])
    if not configured and not config["CITIZEN_PASSWORD_LOGIN"]:
        messages.append(
            checks.Warning(
                "No national single sign-on is configured and the citizens' password form is "
                "off: citizens and businesses cannot sign in.",
                hint="Set OIDC_DISCOVERY_URL, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET (issued by "
                "the national portal's operators).",
                id="accounts.W001",
            )
        )
    if configured and not config["OIDC_DISCOVERY_URL"].startswith("https://"):
        messages.append(
            checks.Warning(
                "The national single sign-on is reached over plain HTTP.",
                hint="Use the provider's https:// discovery URL in production.",
                id="accounts.W002",
            )
        )
    if configured and not config["OIDC_CLIENT_SECRET"]:
        messages.append(
            checks.Warning(
                "OIDC_CLIENT_SECRET is empty: the provider will refuse the token request.",
                id="accounts.W003",
            )
        )
    return messages
