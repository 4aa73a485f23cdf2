"""Dump and load the database with its own tools: ``pg_dump -Fc`` / ``pg_restore``
on PostgreSQL, the online ``.backup`` API on SQLite. Both give one consistent
snapshot while the portal keeps running."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.db import connections

POSTGRES = "django.db.backends.postgresql"
SQLITE = "django.db.backends.sqlite3"


class DatabaseToolError(RuntimeError):
    pass


def _tool(name: str) -> str:
    """``pg_dump``/``pg_restore`` from TTHC_PG_BIN_DIR when set: their major
    version must be at least the server's (e.g. /usr/lib/postgresql/16/bin)."""
    folder = os.environ.get("TTHC_PG_BIN_DIR", "")
    return str(Path(folder) / name) if folder else name


def _engine(alias: str) -> str:
    engine = connections[alias].settings_dict["ENGINE"]
    if engine not in (POSTGRES, SQLITE):
        raise DatabaseToolError(f"Unsupported database engine {engine}")
    return engine


def _pg_env(settings: dict[str, Any], name: str | None = None) -> dict[str, str]:
    """libpq's variables, so no password ever appears on a command line."""
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if settings.get(key):
            env[var] = str(settings[key])
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    sslmode = (settings.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    env["PGDATABASE"] = name or settings["NAME"]
    return env


def _run(argv: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise DatabaseToolError(f"{argv[0]} failed ({done.returncode}): {done.stderr.strip()}")


def database_engine_label(alias: str = "default") -> str:
    return "postgresql" if _engine(alias) == POSTGRES else "sqlite"


def database_dump(target: Path, alias: str = "default") -> Path:
    """Write the dump to ``target`` (a single file) and return it."""
    settings = connections[alias].settings_dict
    if _engine(alias) == POSTGRES:
        # One transaction snapshot for the whole dump (pg_dump's own guarantee).
        _run(
            [_tool("pg_dump"), "-Fc", "--no-owner", "--no-privileges", "-f", str(target)],
            _pg_env(settings),
        )
        return target
    source = sqlite3.connect(settings["NAME"])
    dest = sqlite3.connect(target)
    try:
        with dest:
            source.backup(dest)  # all pages in one step: one read snapshot
    finally:
        dest.close()
        source.close()
    return target


def database_is_empty(alias: str = "default") -> bool:
    """True when the target database is missing or holds no tables at all."""
    settings = connections[alias].settings_dict
    if _engine(alias) == SQLITE:
        path = Path(settings["NAME"])
        if not path.exists():
            return True
        with sqlite3.connect(path) as db:
            return (
                db.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
                == 0
            )
    if not _pg_database_exists(settings):
        return True
    connection = connections[alias]
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def _pg_maintenance(settings: dict[str, Any]) -> Any:  # a psycopg2 connection
    import psycopg2

    env = _pg_env(settings, "postgres")
    connection = psycopg2.connect(
        dbname="postgres",
        host=env.get("PGHOST"),
        port=env.get("PGPORT"),
        user=env.get("PGUSER"),
        password=env.get("PGPASSWORD"),
    )
    connection.autocommit = True
    return connection


def _pg_database_exists(settings: dict[str, Any]) -> bool:
    maintenance = _pg_maintenance(settings)
    try:
        with maintenance.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [settings["NAME"]])
            return cursor.fetchone() is not None
    finally:
        maintenance.close()


def database_load(dump: Path, *, alias: str = "default", wipe: bool = False, jobs: int = 2) -> None:
    """Create the database if missing and load the dump; ``wipe`` empties it first."""
    connection = connections[alias]
    settings = connection.settings_dict
    connection.close()
    if _engine(alias) == SQLITE:
        target = Path(settings["NAME"])
        target.parent.mkdir(parents=True, exist_ok=True)
        if wipe and target.exists():
            target.unlink()
        source, dest = sqlite3.connect(dump), sqlite3.connect(target)
        try:
            with dest:
                source.backup(dest)
        finally:
            dest.close()
            source.close()
        return
    if not _pg_database_exists(settings):
        maintenance = _pg_maintenance(settings)
        try:
            with maintenance.cursor() as cursor:
                quoted = '"' + settings["NAME"].replace('"', '""') + '"'
                cursor.execute(f"CREATE DATABASE {quoted}")
        finally:
            maintenance.close()
    elif wipe:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        connection.close()
    _run(
        [
            _tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
            f"--jobs={max(1, jobs)}", "-d", settings["NAME"], str(dump),
        ],
        _pg_env(settings),
    )  # fmt: skip
