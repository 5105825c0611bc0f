"""A consistent snapshot of the database, and loading one into an empty site.

SQLite: the online backup API copies the live file in one step, a consistent copy while the
site serves (WAL: writers go on meanwhile). PostgreSQL: `pg_dump` in the custom format of a
snapshot exported by a repeatable-read transaction, which also counts the rows, so the counts
in the manifest are those of the dump; `pg_restore` loads it in one transaction.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection, transaction

# Tables `migrate` fills on a new database: a site with rows only here is still empty.
SEED_TABLES = frozenset(
    {
        "django_migrations",
        "django_content_type",
        "auth_permission",
        "auth_group",
        "auth_group_permissions",
        "django_session",
    }
)


class DatabaseError(Exception):
    """The snapshot or the load could not be made; nothing was changed."""


def vendor() -> str:
    if connection.vendor not in ("sqlite", "postgresql"):
        raise DatabaseError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}")
    return connection.vendor


def model_tables() -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True))


def _count(cursor, tables) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        counts[table] = cursor.fetchone()[0]
    return counts


def tables_in_use() -> list[str]:
    """Tables holding rows of someone's work (not only what migrations seed)."""
    with connection.cursor() as cursor:
        counts = _count(cursor, [t for t in model_tables() if t not in SEED_TABLES])
    return [table for table, rows in counts.items() if rows]


def row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        return _count(cursor, model_tables())


def snapshot(path: Path) -> dict[str, int]:
    """Write the database to `path`; answer the rows per table of that same snapshot."""
    tables = model_tables()
    if vendor() == "sqlite":
        return _sqlite_snapshot(path, tables)
    return _postgres_snapshot(path, tables)


def _sqlite_snapshot(path, tables):
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        # pages=-1: the whole file in one step; copying in steps restarts at every write.
        connection.connection.backup(target, pages=-1)
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        return _count(target.cursor(), tables)
    finally:
        target.close()


def _postgres_snapshot(path, tables):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")  # the connection's health check, before the transaction
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot_id = cursor.fetchone()[0]
        counts = _count(cursor, tables)
        _postgres_tool(
            "pg_dump", "--format=custom", "--no-owner", "--no-privileges",
            f"--snapshot={snapshot_id}", f"--file={path}",
        )  # fmt: skip
    return counts


def load(path: Path, expected: dict[str, int]):
    """Replace the database's content with the dump at `path`, all or nothing."""
    if vendor() == "sqlite":
        _sqlite_load(path, expected)
    else:
        connection.close()  # hold no lock pg_restore's DROPs would wait for
        _postgres_tool(
            "pg_restore", "--single-transaction", "--exit-on-error", "--no-owner",
            "--no-privileges", "--clean", "--if-exists",
            f"--dbname={connection.settings_dict['NAME']}", str(path),
        )  # fmt: skip
    found = row_counts()
    wrong = {t: (rows, found.get(t)) for t, rows in expected.items() if found.get(t) != rows}
    if wrong:
        raise DatabaseError(f"Rows restored differ from the manifest (expected, found): {wrong}")
    if vendor() == "postgresql":
        # pg_restore leaves no planner statistics, and autovacuum gathers them only later:
        # until then PostgreSQL plans the restored tables as if they were empty.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _sqlite_load(path, expected):
    source = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise DatabaseError(f"{path.name} fails SQLite's integrity check")
        counts = _count(source.cursor(), sorted(expected))
        if counts != expected:
            raise DatabaseError(f"{path.name} does not hold the rows its manifest lists")
        connection.ensure_connection()
        # Into the live file through SQLite's locks (other processes see it whole), in one
        # step: the destination changes entirely or not at all.
        source.backup(connection.connection, pages=-1)
    finally:
        source.close()


def _postgres_env():
    params = connection.settings_dict
    env = dict(os.environ)
    for variable, key in [
        ("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD"),
    ]:  # fmt: skip
        if params.get(key):
            env[variable] = str(params[key])
    options = params.get("OPTIONS", {})
    for variable, key in [("PGSSLMODE", "sslmode"), ("PGCONNECT_TIMEOUT", "connect_timeout")]:
        if options.get(key):
            env[variable] = str(options[key])
    env["PGDATABASE"] = params["NAME"]
    return env


def _postgres_tool(name, *args):
    program = shutil.which(name)
    if program is None:
        raise DatabaseError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    done = subprocess.run(
        [program, *args], env=_postgres_env(), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise DatabaseError(f"{name} failed: {done.stderr.strip()[-2000:]}")
