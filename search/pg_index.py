"""PostgreSQL's index for words its full-text parsers cannot split (Chinese, Japanese, Korean).

The table `search_text` (search migration 0001) holds one row per article: its searched text
(title, summary, body as a reader sees it, its pictures' words) under a pg_trgm GIN index, so
`ILIKE '%机器人%'` reads the index instead of every article. Words go in as bound parameters
with LIKE's wildcards escaped. Words under three characters give pg_trgm no trigram: they are
checked on the rows the longer words leave, as on SQLite. As there, a search takes at most
query.MAX_INDEXED_RESULTS of the newest matches (by id).
"""

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.expressions import RawSQL

from articles.models import Article
from core import process_state
from search import postgres, query
from search.image_text import texts_of
from search.text import searched_text

TABLE = "search_text"
INDEX = "search_text_trgm"
WRITE_BATCH = 1000

WRITE_SQL = (
    f"INSERT INTO {TABLE} (article_id, text) VALUES (%s, %s) "  # noqa: S608
    "ON CONFLICT (article_id) DO UPDATE SET text = EXCLUDED.text"
)
DELETE_SQL = f"DELETE FROM {TABLE} WHERE article_id = %s"  # noqa: S608

# (alias, database name) -> bool: the table exists. Asked once per process; post_migrate
# forgets it (search.indexing).
_readiness = process_state.register({})


def is_ready(using=DEFAULT_DB_ALIAS):
    """Whether `using` is PostgreSQL with the trigram-indexed table."""
    conn = connections[using]
    if conn.vendor != "postgresql":
        return False
    key = (using, str(conn.settings_dict["NAME"]))
    if key not in _readiness:
        with conn.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [TABLE])
            _readiness[key] = cursor.fetchone()[0]
    return _readiness[key]


def forget_readiness(**kwargs):
    _readiness.clear()


def like_pattern(word):
    """`%word%` for ILIKE, with the reader's %, _ and backslash taken literally."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def matching(words, limit=None):
    """A filter: the article is one of the newest `limit` (default query.MAX_INDEXED_RESULTS),
    by id as on SQLite, whose searched text holds every one of `words`.

    Bounded so that words in most of a big site cost what a rare word costs: for those
    PostgreSQL walks the primary key backwards and stops at the limit; a rare word still reads
    the trigram index (docs/decisions.md, "Search"). An array: see search.postgres.pk_in_array.
    """
    conditions = " AND ".join(["text ILIKE %s"] * len(words))
    return postgres.pk_in_array(
        RawSQL(  # noqa: S611 (fixed SQL; the words and the limit are bound parameters)
            f"ARRAY(SELECT article_id FROM {TABLE} WHERE {conditions} "  # noqa: S608
            "ORDER BY article_id DESC LIMIT %s)",
            [*(like_pattern(word) for word in words), limit or query.MAX_INDEXED_RESULTS],
        )
    )


def _rows(batch):
    """(id, searched text) rows of (id, title, summary, body, cover id) article rows."""
    images = texts_of([(pk, cover_id, body) for pk, _t, _s, body, cover_id in batch])
    return [
        (pk, searched_text(title, summary, body, images.get(pk, "")))
        for pk, title, summary, body, cover_id in batch
    ]


def write_row(article, images_text, using=DEFAULT_DB_ALIAS):
    """Index `article`'s current text and its pictures' words (replacing its row)."""
    row = (article.pk, searched_text(article.title, article.summary, article.body, images_text))
    with connections[using].cursor() as cursor:
        cursor.execute(WRITE_SQL, row)


def delete_row(pk, using=DEFAULT_DB_ALIAS):
    with connections[using].cursor() as cursor:
        cursor.execute(DELETE_SQL, [pk])


def update_rows(queryset=None, using=DEFAULT_DB_ALIAS):
    """Rewrite the rows of `queryset` (all articles by default; then rows of deleted articles
    go too) in batches; returns how many articles were indexed (0 without the table)."""
    if not is_ready(using):
        return 0
    everything = queryset is None
    queryset = Article.objects.using(using) if everything else queryset
    rows = queryset.order_by("pk").values_list("pk", "title", "summary", "body", "cover_id")
    done, last = 0, None
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        if everything:
            cursor.execute(f"TRUNCATE {TABLE}")
        while batch := list((rows if last is None else rows.filter(pk__gt=last))[:WRITE_BATCH]):
            cursor.executemany(WRITE_SQL, _rows(batch))
            done += len(batch)
            last = batch[-1][0]
    return done
