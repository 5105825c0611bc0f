"""SQLite's search index: the FTS5 table `articles_search` of migration 0004.

One row per article (rowid = its id): title, summary and body as text (search.text), the
body followed by the words of the article's pictures (search.image_text), with
the trigram tokenizer, which finds any substring of 3+ characters case-insensitively,
Chinese included. Words go to MATCH as quoted strings, so no input is FTS5 syntax. A SQLite
build without FTS5 or the trigram tokenizer has no table: search then scans the articles.
"""

import logging

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.models.expressions import RawSQL

from articles.models import Article
from core import process_state
from search import query
from search.image_text import texts_of
from search.text import body_text

logger = logging.getLogger(__name__)

TABLE = "articles_search"
# The shortest word trigrams can find.
TRIGRAM = 3
WRITE_BATCH = 1000
# What an article's index entries are made of (language: PostgreSQL's configuration); a save
# touching none of them leaves them alone.
INDEXED_FIELDS = {"title", "summary", "body", "cover", "language"}

MATCH_SQL = f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s"  # noqa: S608
WRITE_SQL = (
    f"INSERT OR REPLACE INTO {TABLE} (rowid, title, summary, body) "  # noqa: S608
    "VALUES (%s, %s, %s, %s)"
)
DELETE_SQL = f"DELETE FROM {TABLE} WHERE rowid = %s"  # noqa: S608
# As in migration 0004; update_rows() remakes the table to rebuild all of it.
CREATE_SQL = f"CREATE VIRTUAL TABLE {TABLE} USING fts5(title, summary, body, tokenize='trigram')"

# (alias, database name) -> bool: the table exists and FTS5 answers. Asked once per process;
# migrations may make or drop the table, so post_migrate forgets it (search.indexing).
_readiness = process_state.register({})


def is_ready(using=DEFAULT_DB_ALIAS):
    """Whether `using` is SQLite with a working FTS5 index."""
    conn = connections[using]
    if conn.vendor != "sqlite":
        return False
    key = (using, str(conn.settings_dict["NAME"]))
    ready = _readiness.get(key)
    if ready is None:
        ready = _readiness[key] = _probe(conn)
    return ready


def _probe(conn):
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [TABLE])
        if cursor.fetchone() is None:
            return False
        try:  # a database file made by a build with FTS5, opened by one without
            cursor.execute(MATCH_SQL + " LIMIT 1", ['"probe"'])
            cursor.fetchall()
        except DatabaseError as error:
            logger.warning("SQLite search index unusable, searching without it: %s", error)
            return False
    return True


def forget_readiness(**kwargs):
    """Ask again whether the index is there (a post_migrate receiver)."""
    _readiness.clear()


# --- Finding ---------------------------------------------------------------------------


def narrows(words):
    """Whether the index can find `words`: one of them has 3+ characters and the index is
    there. A search through it gives at most query.MAX_INDEXED_RESULTS articles."""
    return any(len(word) >= TRIGRAM for word in words) and is_ready()


def match_expression(words):
    """An FTS5 query that needs every one of `words`: each a quoted string, never syntax."""
    return " AND ".join('"' + word.replace('"', '""') + '"' for word in words)


def matching_ids(words):
    """A subquery: ids of the newest query.MAX_INDEXED_RESULTS articles (by id) holding all
    `words`.

    Bounded so that words found in most of a big site cost what a rare word costs: FTS5
    reads its doclists newest first and stops at the limit. A subquery of the query that
    ranks them, so the ids never travel to Python and back as parameters.
    """
    return RawSQL(  # noqa: S611 (fixed SQL; the words are one bound parameter)
        MATCH_SQL + " ORDER BY rowid DESC LIMIT %s",
        [match_expression(words), query.MAX_INDEXED_RESULTS],
    )


# --- Writing ---------------------------------------------------------------------------


def _row(pk, title, summary, body, images_text=""):
    text = " ".join(part for part in (body_text(body), images_text) if part)
    return (pk, title or "", summary or "", text)


def write_row(article, using=DEFAULT_DB_ALIAS, images_text=""):
    """Index `article`'s current text and its pictures' words (replacing its row)."""
    row = _row(article.pk, article.title, article.summary, article.body, images_text)
    with connections[using].cursor() as cursor:
        cursor.execute(WRITE_SQL, row)


def delete_row(pk, using=DEFAULT_DB_ALIAS):
    with connections[using].cursor() as cursor:
        cursor.execute(DELETE_SQL, [pk])


def update_rows(queryset=None, using=DEFAULT_DB_ALIAS):
    """Rewrite the index rows of `queryset` (of all articles, by default) in batches.

    For all articles the table is made anew and filled with plain INSERTs: FTS5 deletes a
    row by tokenizing its text again, so emptying it row by row would cost a second build.
    Returns how many articles were indexed (0 without the index).
    """
    if not is_ready(using):
        return 0
    everything = queryset is None
    queryset = Article.objects.using(using) if everything else queryset
    rows = queryset.order_by("pk").values_list("pk", "title", "summary", "body", "cover_id")
    done = 0
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        if everything:
            cursor.execute(f"DROP TABLE {TABLE}")
            cursor.execute(CREATE_SQL)
        last = None
        while True:
            batch = list((rows if last is None else rows.filter(pk__gt=last))[:WRITE_BATCH])
            if not batch:
                break
            images = texts_of([(pk, cover_id, body) for pk, _t, _s, body, cover_id in batch])
            cursor.executemany(WRITE_SQL, [_row(*row[:4], images.get(row[0], "")) for row in batch])
            done += len(batch)
            last = batch[-1][0]
    return done
