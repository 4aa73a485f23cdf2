"""Security headers and the content security policy (tightened further in production.py)."""

from urllib.parse import urlsplit

from .identity import IDENTITY

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
# Signing out after a national sign-on is a form post that redirects to the
# provider's end-session endpoint, which form-action must allow.
if IDENTITY["OIDC_DISCOVERY_URL"]:
    _sso = urlsplit(IDENTITY["OIDC_DISCOVERY_URL"])
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(f"{_sso.scheme}://{_sso.netloc}")
