"""PostgreSQL: pg_trgm and the trigram-indexed `search_text` table (search.pg_index), so
Chinese queries read an index, not every article. Nothing on other databases (SQLite has its
FTS5 table, articles migration 0004).

Existing articles are indexed here from their stored text (tags stripped in SQL); their
pictures' words come with their next save or `manage.py update_search_vectors`.
"""

from django.db import migrations

# Not django.contrib.postgres's TrigramExtension: its reverse asks pg_extension on any database.
# Going back keeps the extension (something else may use it) and drops the table.
CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE TABLE IF NOT EXISTS search_text (article_id integer PRIMARY KEY, text text NOT NULL)",
    "CREATE INDEX IF NOT EXISTS search_text_trgm ON search_text USING gin (text gin_trgm_ops)",
    "INSERT INTO search_text (article_id, text) "
    "SELECT id, concat_ws(' ', title, summary, regexp_replace(body, '<[^>]*>', ' ', 'g')) "
    "FROM articles_article ON CONFLICT (article_id) DO NOTHING",
]


def create_table(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement)


def drop_table(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TABLE IF EXISTS search_text")


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_images_and_counts_moved_out")]

    operations = [migrations.RunPython(create_table, drop_table)]
