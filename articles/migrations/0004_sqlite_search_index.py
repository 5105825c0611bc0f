"""SQLite: a full-text index of the articles for search (FTS5, trigram tokenizer).

`articles_search`: rowid = the article's id; title, summary and body as text (tags stripped,
entities unescaped), filled here from the existing articles and kept current by
search/indexing.py. The trigram tokenizer finds any substring of 3+ characters,
case-insensitively, Chinese included. A no-op on other databases (PostgreSQL searches its
stored vector, 0003) and on a SQLite build without FTS5 or the trigram tokenizer (search
then scans the articles, as before). Reversed by dropping the table.
"""

import html
import logging
import re

from django.core.exceptions import SuspiciousOperation
from django.db import OperationalError, migrations, transaction
from django.utils.html import strip_tags

logger = logging.getLogger(__name__)

TABLE = "articles_search"
CREATE = f"CREATE VIRTUAL TABLE {TABLE} USING fts5(title, summary, body, tokenize='trigram')"
INSERT = f"INSERT INTO {TABLE} (rowid, title, summary, body) VALUES (%s, %s, %s, %s)"  # noqa: S608
BATCH = 1000


def text(body):
    """As search.text.body_text: tags stripped, entities unescaped, spaces collapsed."""
    if not body:
        return ""
    try:
        stripped = strip_tags(body)
    except SuspiciousOperation:  # absurdly nested markup: keep the words anyway
        stripped = re.sub(r"<[^<>]*>", " ", body)
    return " ".join(html.unescape(stripped).split())


def create_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    try:
        with transaction.atomic(using=connection.alias):
            schema_editor.execute(CREATE)
    except OperationalError as error:  # "no such module: fts5", "no such tokenizer: trigram"
        logger.warning("No SQLite search index (%s): search will scan the articles.", error)
        return
    Article = apps.get_model("articles", "Article")
    rows = (
        Article.objects.using(connection.alias)
        .order_by("pk")
        .values_list("pk", "title", "summary", "body")
    )
    last = None
    with connection.cursor() as cursor:
        while True:
            batch = list((rows if last is None else rows.filter(pk__gt=last))[:BATCH])
            if not batch:
                break
            cursor.executemany(
                INSERT, [(pk, title, summary, text(body)) for pk, title, summary, body in batch]
            )
            last = batch[-1][0]


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}")


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_search_index")]

    operations = [migrations.RunPython(create_index, drop_index)]
