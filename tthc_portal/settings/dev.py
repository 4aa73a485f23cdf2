"""Local development (`make run`): DEBUG on, embedded SQLite and broker."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)

# The demo keeps the citizens' password form beside the single sign-on button.
IDENTITY = {**IDENTITY, "CITIZEN_PASSWORD_LOGIN": env_bool("TTHC_CITIZEN_PASSWORD_LOGIN", True)}  # noqa: F405
