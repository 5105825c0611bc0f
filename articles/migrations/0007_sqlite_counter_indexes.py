"""SQLite: indexes on the counters, so the admin's list sorts by views or QR scans without
reading every article. Not on PostgreSQL: an index on a column that every counted view updates
ends its HOT updates (docs/decisions.md, "Sorting the article list by views").

Outside the model's state, like the FTS5 table: a later migration that makes SQLite rebuild
`articles_article` must create them again (tests/articles/test_admin_scale.py checks the plan).
"""

from django.db import migrations

INDEXES = {
    "article_views": "articles_article (views, id)",
    "article_qr_scans": "articles_article (qr_scans, id)",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for name, columns in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {columns}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_article_expires_at")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
