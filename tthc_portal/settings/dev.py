"""Local development (`make run`): DEBUG on, embedded SQLite and broker."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
