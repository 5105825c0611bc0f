"""`backup` under load and `restore` into an empty site, on PostgreSQL (pg_dump / pg_restore).

The test makes its own two databases beside TEST_DATABASE_URL's (`<name>_src`, `<name>_restore`)
and drops them afterwards.
"""

import json
import os
import shutil
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.backups.sites import Site, assert_restored

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def server_url(name):
    base = os.environ.get("TEST_DATABASE_URL", "")
    if not base.startswith("postgres"):
        pytest.skip("set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom")
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip(
            "PostgreSQL backups need pg_dump and pg_restore: apt-get install postgresql-client"
        )
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path="/" + name)), parts.path.lstrip("/")


@pytest.fixture(scope="module")
def databases():
    import psycopg

    admin_url, base = server_url("postgres")
    names = [f"{base}_src", f"{base}_restore"]
    with psycopg.connect(admin_url, autocommit=True) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
    yield [server_url(name)[0] for name in names]
    with psycopg.connect(admin_url, autocommit=True) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_under_load_restores_whole_into_an_empty_site(databases, tmp_path):
    source_url, target_url = databases
    source = Site(tmp_path / "source", source_url)
    source.manage("migrate", "--noinput")
    load = source.workload("load", str(tmp_path / "backup"))
    assert not load["errors"]
    assert len(load["after"]) > len(load["before"]), "no article was published during the backup"
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["database"]["vendor"] == "postgresql"

    target = Site(tmp_path / "target", target_url)
    target.manage("migrate", "--noinput")  # an empty site, as `make install` leaves it
    assert "Restored" in target.manage("restore", str(tmp_path / "backup")).stdout
    restored = target.workload("state")
    assert_restored(source.workload("state"), restored, load)
    assert manifest["database"]["tables"]["articles_article"] == len(restored["articles"])

    again = target.manage("restore", str(tmp_path / "backup"), check=False)
    assert again.returncode != 0
    assert "--force" in again.stderr
    assert "Restored" in target.manage("restore", str(tmp_path / "backup"), "--force").stdout
    assert target.workload("state") == restored
