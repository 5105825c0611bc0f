"""Migrations: every one is reversible, and a populated database goes to zero and back.

- `test_every_project_operation_is_reversible` reads the project's migration files (no database)
  and fails on any operation that cannot be unapplied: a RunPython without reverse_code, a RunSQL
  without reverse_sql, anything else Django marks irreversible. It fails the day someone adds one.
- The zero-and-back tests run `manage.py` in subprocesses against a database of their own (a
  temporary SQLite file; a fresh `newsroom_migr_<uuid>` database on TEST_DATABASE_URL's server),
  so the suite's test database is untouched. Filled by `load_demo` plus counted views and a
  ledger row, the project's apps are migrated to zero (their tables must be gone, the other apps'
  kept), then forward again (every migration applied, `load_demo` loads the demo again). On the
  way, 0003_search_index is unapplied and reapplied alone: on PostgreSQL its GIN index must go
  and come back while the table stays.
"""

import json
import os
import subprocess
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.apps import apps
from django.db import migrations
from django.db.migrations.loader import MigrationLoader

from tests.support.servers import ROOT, LiveSite

PG_SKIP = (
    "set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom to run PostgreSQL tests"
)
GIN_INDEX = "article_search_vector_gin"  # made by articles/migrations/0003_search_index.py
EDITORIAL_GROUPS = ["Writers", "Editors"]  # made by articles/migrations/0002_editorial_groups.py


def project_app_configs():
    """The apps whose code lives in this repository (not in site-packages)."""
    return [
        config
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(ROOT) and "site-packages" not in Path(config.path).parts
    ]


def migrated_app_labels():
    """The project's apps with migrations: those with models, and search (its PostgreSQL index)."""
    return {
        config.label
        for config in project_app_configs()
        if config.models_module or (Path(config.path) / "migrations").is_dir()
    }


def project_tables():
    return {
        model._meta.db_table
        for config in project_app_configs()
        for model in config.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def irreversible(operations):
    """Descriptions of the operations that cannot be unapplied (nested ones included)."""
    found = []
    for operation in operations:
        if isinstance(operation, migrations.SeparateDatabaseAndState):
            found += irreversible(operation.database_operations)
        elif not operation.reversible:
            found.append(operation.describe())
    return found


# --- Reversible, by reading the files -----------------------------------------------------


def test_every_project_operation_is_reversible():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    labels = migrated_app_labels()
    ours = {key: m for key, m in loader.disk_migrations.items() if key[0] in labels}
    assert {label for label, _ in ours} == labels, "a project app without migrations?"
    problems = [
        f"{label}.{name}: {description}"
        for (label, name), migration in sorted(ours.items())
        for description in irreversible(migration.operations)
    ]
    assert not problems, "irreversible migration operations:\n" + "\n".join(problems)


def test_the_check_catches_irreversible_operations():
    def forward(apps, schema_editor):
        pass

    assert irreversible([migrations.RunPython(forward), migrations.RunSQL("SELECT 1")]) == [
        "Raw Python operation",
        "Raw SQL operation",
    ]
    nested = migrations.SeparateDatabaseAndState(
        database_operations=[migrations.RunPython(forward)]
    )
    assert irreversible([nested]) == ["Raw Python operation"]
    assert not irreversible(
        [
            migrations.RunPython(forward, migrations.RunPython.noop),
            migrations.RunSQL("SELECT 1", "SELECT 1"),
        ]
    )


# --- A populated database to zero and back, through manage.py ------------------------------

STATE = """
import json
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

executor = MigrationExecutor(connection)
tables = connection.introspection.table_names()
indexes = []
if "articles_article" in tables:
    with connection.cursor() as cursor:
        indexes = list(connection.introspection.get_constraints(cursor, "articles_article"))
print(json.dumps({
    "vendor": connection.vendor,
    "tables": tables,
    "indexes": indexes,
    "unapplied": [str(m) for m, _ in executor.migration_plan(executor.loader.graph.leaf_nodes())],
    "groups": sorted(Group.objects.values_list("name", flat=True)),
}))
"""

POPULATE = """
from articles.models import Article, HistoricalArticle, Section
from media.models import Image
from readership import counts
from readership.models import AppliedBatch, DailyStat

article = Article.objects.filter(status="published").order_by("pk").first()
counts.count_view(article.pk)
counts.count_view(article.pk)
AppliedBatch.objects.create(name="test-migrations-batch")
assert Section.objects.exists() and Image.objects.exists() and DailyStat.objects.exists()
assert HistoricalArticle.objects.exists()
assert Article.objects.exclude(translation_of=None).exists()
print(Article.objects.get(pk=article.pk).views)
"""


def manage(site, *args):
    process = site.manage(*args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = process.communicate(timeout=180)
    assert process.returncode == 0, f"manage.py {' '.join(args)} failed:\n{out}\n{err}"
    return out


def state(site):
    return json.loads(site.django(STATE))


def load_demo(site):
    out = manage(site, "load_demo")
    return int(out.split(" new articles")[0].rsplit(" ", 1)[1])


def assert_fully_migrated(site, gin_index):
    now = state(site)
    assert now["unapplied"] == []
    assert project_tables() <= set(now["tables"])
    assert now["groups"] == sorted(EDITORIAL_GROUPS)
    assert (GIN_INDEX in now["indexes"]) == gin_index
    # SQLite's counter indexes for the admin's sort (articles migration 0007), not PostgreSQL's.
    assert ("article_views" in now["indexes"]) == (not gin_index)
    # PostgreSQL's trigram-indexed text for Chinese queries (search migration 0001).
    assert ("search_text" in now["tables"]) == gin_index
    return now


def zero_and_back(site):
    labels = sorted(migrated_app_labels())
    manage(site, "migrate", "--noinput", "-v0")
    gin_index = state(site)["vendor"] == "postgresql"
    assert_fully_migrated(site, gin_index)

    articles = load_demo(site)
    assert articles > 0
    assert int(site.django(POPULATE)) > 0

    # The search indexes alone, both ways (0003: PostgreSQL's GIN index; 0004: SQLite's FTS5
    # table): they go (the articles stay) and come back.
    fts_table = not gin_index
    assert ("articles_search" in state(site)["tables"]) == fts_table
    manage(site, "migrate", "articles", "0002", "--noinput", "-v0")
    now = state(site)
    # With them go the migrations that came after them (the apps split off from articles).
    assert sorted(now["unapplied"]) == [
        "articles.0003_search_index",
        "articles.0004_sqlite_search_index",
        "articles.0005_images_and_counts_moved_out",
        "articles.0006_article_expires_at",
        "articles.0007_sqlite_counter_indexes",
        "articles.0008_article_language_live",
        "media.0001_initial",
        "media.0002_editorial_groups",
        "media.0003_image_file_validators",
        "people.0001_initial",
        "previews.0001_preview_links",
        "qr.0001_placements",
        "qr.0002_editorial_groups",
        "readership.0001_initial",
        "search.0001_trigram_index",
    ]
    assert "articles_article" in now["tables"]
    assert GIN_INDEX not in now["indexes"]
    assert "articles_search" not in now["tables"]
    assert "search_text" not in now["tables"]
    manage(site, "migrate", "articles", "--noinput", "-v0")
    assert ("articles_search" in state(site)["tables"]) == fts_table
    # Later migrations of the apps split off (media.0003...) are not needed by articles.
    manage(site, "migrate", "--noinput", "-v0")
    assert_fully_migrated(site, gin_index)

    for label in labels:
        manage(site, "migrate", label, "zero", "--noinput", "-v0")
    now = state(site)
    assert not project_tables() & set(now["tables"]), "project tables left after zero"
    assert {"auth_group", "django_migrations", "taggit_tag"} <= set(now["tables"])
    assert {m.split(".")[0] for m in now["unapplied"]} == set(labels)
    assert now["groups"] == []  # 0002's reverse took its groups away

    manage(site, "migrate", "--noinput", "-v0")
    assert_fully_migrated(site, gin_index)
    assert load_demo(site) == articles  # the data went with the tables; the demo loads again


def scratch_site(db_url, tmp_path):
    site = LiveSite(db_url)
    site.env["MEDIA_ROOT"] = str(tmp_path / "media")  # load_demo's images
    return site


@pytest.mark.slow
def test_sqlite_populated_database_to_zero_and_back(tmp_path):
    zero_and_back(scratch_site(f"sqlite:///{tmp_path / 'migrations.sqlite3'}", tmp_path))


@contextmanager
def scratch_postgres(prefix):
    """A new, empty database on TEST_DATABASE_URL's server, dropped afterwards; yields its URL."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip(PG_SKIP)
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import make_conninfo

    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    server = make_conninfo(url, dbname="postgres")
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.mark.slow
@pytest.mark.postgres
def test_postgresql_populated_database_to_zero_and_back(tmp_path):
    with scratch_postgres("newsroom_migr") as db_url:
        zero_and_back(scratch_site(db_url, tmp_path))
