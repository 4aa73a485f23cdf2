"""System checks of the integration tokens."""

from __future__ import annotations

from django.core.checks import Tags, Warning, register
from oauth2_provider.settings import oauth2_settings

# Beyond this a leaked token stays useful for too long.
MAX_TOKEN_SECONDS = 4 * 3600


@register(Tags.security, deploy=True)
def token_lifetime_check(app_configs, **kwargs) -> list[Warning]:
    seconds = oauth2_settings.ACCESS_TOKEN_EXPIRE_SECONDS
    if seconds > MAX_TOKEN_SECONDS:
        return [
            Warning(
                f"Integration access tokens live {seconds} s (TTHC_API_TOKEN_SECONDS).",
                hint=f"Keep them at {MAX_TOKEN_SECONDS} s or less; clients fetch a new one.",
                id="api_clients.W001",
            )
        ]
    return []
