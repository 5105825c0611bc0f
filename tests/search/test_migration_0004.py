"""Migration 0004: SQLite's FTS5 table made and filled, dropped on reverse, skipped elsewhere."""

import importlib

import pytest
from django.apps import apps
from django.db import OperationalError, connection

from articles.models import Article
from search import sqlite_index
from tests.search.helpers import index_row, index_size, search_sql, table_sql

pytestmark = pytest.mark.django_db


class FakeSchemaEditor:
    """What migration 0004 uses of a schema editor; runs its SQL inside the test's transaction
    (a real SQLite schema editor refuses to open inside one)."""

    def __init__(self, fail=None):
        self.connection = connection
        self.fail = fail
        self.executed = []

    def execute(self, sql, params=()):
        self.executed.append(sql)
        if self.fail:
            raise OperationalError(self.fail)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def migration_0004():
    return importlib.import_module("articles.migrations.0004_sqlite_search_index")


def test_migration_0004_reverses_and_refills(sqlite_index_ready, client, corpus):
    migration = migration_0004()
    migration.drop_index(apps, FakeSchemaEditor())
    assert table_sql() is None
    sqlite_index.forget_readiness()
    assert not sqlite_index.is_ready()
    _sql, found = search_sql(client, "railway")  # the old scan, still working
    assert found == [corpus["river"]]

    migration.create_index(apps, FakeSchemaEditor())
    sqlite_index.forget_readiness()
    assert sqlite_index.is_ready()
    assert index_size() == Article.objects.count()
    assert index_row(corpus["river"].pk)[2] == "The new railway serves six stations."
    sql, found = search_sql(client, "railway")
    assert found == [corpus["river"]]
    assert any("MATCH" in s for s in sql)


def test_migration_0004_without_fts5_does_not_fail(sqlite_index_ready, caplog):
    editor = FakeSchemaEditor(fail="no such module: fts5")
    migration_0004().create_index(apps, editor)  # no exception: the table is skipped
    assert len(editor.executed) == 1
    assert "no such module: fts5" in caplog.text


def test_migration_0004_text_is_the_index_text():
    """The migration keeps its own copy (migrations must not import app code that changes):
    it must give what search.text.body_text gives, so a rebuild changes nothing."""
    from search.text import body_text

    samples = [
        "<p>The new <strong>railway</strong> serves six stations.</p>",
        "<h2>Part</h2><p>A &amp; B &lt;c&gt; &#65;&#x42; &nbsp;x</p>",
        "<!-- c > d -->e",
        "",
    ]
    for sample in samples:
        assert migration_0004().text(sample) == body_text(sample), sample


def test_migration_0004_is_a_no_op_elsewhere(postgres_only):
    editor = FakeSchemaEditor()
    migration_0004().create_index(apps, editor)
    migration_0004().drop_index(apps, editor)
    assert editor.executed == []
    assert not sqlite_index.is_ready()
