"""A demo national identity provider (DVCQG / VNeID single sign-on, simulated).

A tiny, separate Django project built on django-oauth-toolkit's OpenID Connect
support. It runs as its own process (``python -m idp_demo``) with its own settings
and SQLite database, and imports nothing from the portal, so the portal's OIDC client
talks to it over a real socket exactly as it would to the national portal.
"""
