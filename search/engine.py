"""Search over live articles' titles, summaries and bodies.

PostgreSQL: full-text search on the stored `search_vector` (GIN index, migration 0003),
ranked; title weighs A, summary B, body C. The vector is written after each save by a
queryset UPDATE (so `Article.save()` never has to know), with the language's text search
configuration: 'english' (stemmed) for English, 'simple' for the rest.
Chinese is written without spaces and PostgreSQL's parsers cannot split it, so a query
with CJK characters uses the portable fallback: each word must appear in the title,
summary or body (icontains), title hits first.

SQLite: an FTS5 table `articles_search` (migration 0004; rowid = article id) holds each
article's title, summary and body as text (tags stripped, entities unescaped), with the
trigram tokenizer: it finds any substring of 3+ characters, case-insensitively, Chinese
included. Words of 3+ characters narrow the articles through it (one MATCH of quoted
strings, so no input is FTS5 syntax); shorter words ("AI", "机器") cannot use trigrams and
are checked with icontains on the rows the long words left. Only a query whose words are
all short scans every article, as does any query on a SQLite build without FTS5/trigram
(the table is then missing; detected once per process). The index gives at most the newest
MAX_INDEXED_RESULTS (500) articles holding the words, so a word found in most of a big
site costs no more than a rare one; the page then says "the 500 newest results". Ranking
is the fallback's: per word 3 for a title hit, 2 for a summary hit, 1 otherwise; then newest.
The ranked ids of such a bounded search are cached per content change (`results()`), so a
query readers repeat, and each further page of it, reads only its ten rows. The rows are kept
current after each save and delete; `update_search_vectors()` rebuilds them in bulk.

Any input is safe: queries are cut to MAX_QUERY_CHARS, control characters (NUL breaks
PostgreSQL) dropped, and all values go to the database as parameters; on SQLite each
word goes to MATCH as a quoted string, so FTS5 operators and columns are plain words.
"""

import html
import logging
import re
import unicodedata

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.exceptions import SuspiciousOperation
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

from articles import cached
from articles.models import Article
from core import pagecache

logger = logging.getLogger(__name__)

MAX_QUERY_CHARS = 200
MAX_TERMS = 8
SNIPPET_CHARS = 220
CONFIGS = {"en": "english"}
DEFAULT_CONFIG = "simple"
CJK = re.compile(
    "[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u31ef\u3400-\u4dbf"
    "\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\U00020000-\U0002fa1f]"
)
# Characters with a meaning in websearch syntax or plain punctuation: not part of a term.
TERM_SPLIT = re.compile(r"[\s\"'()<>|!&:*+\-,.;?/\\]+")
# SQLite: the FTS5 table of migration 0004, and the shortest word its trigrams can find.
FTS_TABLE = "articles_search"
TRIGRAM = 3
# SQLite: a search ranks at most this many of the newest articles the index finds.
MAX_INDEXED_RESULTS = 500
INDEX_BATCH = 1000


def clean_query(raw):
    """The query as the reader meant it: no control characters, trimmed, at most 200 chars."""
    text = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") else ch
        for ch in (raw or "")[: MAX_QUERY_CHARS * 4]
    )
    return " ".join(text.split())[:MAX_QUERY_CHARS].strip()


def terms(query):
    """The distinct words of `query`, longest first (so highlighting prefers longer words)."""
    words = []
    for word in TERM_SPLIT.split(query):
        if word and word.lower() not in {w.lower() for w in words}:
            words.append(word)
    return sorted(words[:MAX_TERMS], key=len, reverse=True)


def has_cjk(text):
    return bool(CJK.search(text))


def uses_full_text(query):
    return connection.vendor == "postgresql" and not has_cjk(query)


def search(query):
    """Live articles matching `query`, best first, without bodies' vectors; [] when empty.

    On SQLite the FTS5 index finds the words of 3+ characters; shorter words are then
    checked with icontains on those rows only. When every word is shorter than 3
    characters, or the index is missing, each word is looked for with icontains in every
    live article (a full scan, as before the index).
    """
    query = clean_query(query)
    words = terms(query)
    if not words:
        return Article.objects.none()
    base = Article.objects.live().select_related("section", "cover").defer("search_vector")
    if uses_full_text(query):
        tsquery = SearchQuery(query, search_type="websearch", config="english") | SearchQuery(
            query, search_type="websearch", config=DEFAULT_CONFIG
        )
        return (
            base.filter(search_vector=tsquery)
            .annotate(rank=SearchRank(F("search_vector"), tsquery))
            .order_by("-rank", "-published_at", "-id")
        )
    scanned = words
    if uses_index(words):
        indexed = [word for word in words if len(word) >= TRIGRAM]
        # The index's rows drive the query, each checked for being live by its primary key.
        # With live()'s conditions on the outer query instead, SQLite (no statistics) would
        # walk the whole article_live index and test every live article against the matches.
        base = (
            Article.objects.filter(pk__in=indexed_ids(indexed))
            .filter(Exists(Article.objects.live().filter(pk=OuterRef("pk"))))
            .select_related("section", "cover")
            .defer("search_vector")
        )
        scanned = [word for word in words if len(word) < TRIGRAM]
    matches = Q()
    for word in scanned:
        matches &= Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
    score = Value(0)
    for word in words:
        score = score + Case(
            When(title__icontains=word, then=Value(3)),
            When(summary__icontains=word, then=Value(2)),
            default=Value(1),
            output_field=IntegerField(),
        )
    return base.filter(matches).annotate(rank=score).order_by("-rank", "-published_at", "-id")


def uses_index(words):
    """Whether search() finds `words` through the SQLite index: one of them has 3+ characters
    and the index is there. Its results are then bounded by MAX_INDEXED_RESULTS."""
    return any(len(word) >= TRIGRAM for word in words) and search_index_ready()


def results(query):
    """search(query) as the search page pages it.

    When the results are bounded (SQLite with its index and a word of 3+ characters: at
    most MAX_INDEXED_RESULTS), their ranked ids are worked out by one query and cached
    per change (and until the next scheduled article falls due), so a query readers repeat,
    and every further page of it, loads only its own ten rows: `RankedArticles`.
    Otherwise the queryset itself.
    """
    query = clean_query(query)
    if not uses_index(terms(query)):
        return search(query)
    ids = pagecache.get_or_build(
        pagecache.fragment_key(("search", query)),
        lambda: tuple(search(query).values_list("pk", flat=True)),
        timeout=cached.fragment_seconds,
    )
    return RankedArticles(ids)


class RankedArticles:
    """Search results known by their ranked ids: the paginator counts them with len(), and a
    page loads only its own rows, in rank order, with what the results list shows."""

    def __init__(self, ids):
        self.ids = ids

    def __len__(self):
        return len(self.ids)

    def count(self):
        return len(self.ids)

    def __getitem__(self, item):
        if not isinstance(item, slice):
            return self[item : item + 1][0]
        ids = self.ids[item]
        rows = Article.objects.select_related("section", "cover").defer("search_vector")
        by_id = rows.in_bulk(ids)
        return [by_id[pk] for pk in ids if pk in by_id]


def indexed_ids(words):
    """A subquery: ids of the newest MAX_INDEXED_RESULTS articles (by id) holding all `words`,
    from the index.

    Bounded so that words found in most of a big site (measured: "robot line" in 97,000 of
    100,000 articles, 0.7 s to count and rank them all) cost what a rare word costs: the
    FTS5 doclists are read newest first and stop at the limit (about 2 ms). A subquery of
    the query that ranks them, so the ids never travel to Python and back as 500 parameters:
    building and binding those took 10 ms at 100,000 articles, the match and the ranking of
    500 articles together 5 ms.
    """
    return RawSQL(  # noqa: S611 (fixed SQL; the words are one bound parameter)
        MATCH_SQL + " ORDER BY rowid DESC LIMIT %s",
        [match_expression(words), MAX_INDEXED_RESULTS],
    )


def capped(count):
    """Whether a result count of search() may have been cut at MAX_INDEXED_RESULTS."""
    return count >= MAX_INDEXED_RESULTS and search_index_ready()


def match_expression(words):
    """An FTS5 query that needs every one of `words`: each a quoted string, never syntax."""
    return " AND ".join('"' + word.replace('"', '""') + '"' for word in words)


# --- Showing results ------------------------------------------------------------------


def _pattern(words):
    return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE) if words else None


def highlight(text, words):
    """`text` escaped, with each of `words` wrapped in <mark>: split first, then escape."""
    pattern = _pattern(words)
    if not text:
        return ""
    if pattern is None:
        return escape(text)
    out, last = [], 0
    for found in pattern.finditer(text):
        out.append(escape(text[last : found.start()]))
        out.append("<mark>" + escape(found.group()) + "</mark>")
        last = found.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # every piece escaped above


def snippet(article, words):
    """A highlighted excerpt of the body around the first word found, or ''."""
    pattern = _pattern(words)
    if pattern is None or not article.body:
        return ""
    text = body_text(article.body)
    found = pattern.search(text)
    if found is None:
        return ""
    start = max(0, found.start() - SNIPPET_CHARS // 3)
    end = min(len(text), start + SNIPPET_CHARS)
    if start:  # do not cut a word in half
        space = text.find(" ", start, found.start())
        start = space + 1 if space != -1 else start
    excerpt = text[start:end]
    return highlight(("… " if start else "") + excerpt + (" …" if end < len(text) else ""), words)


def body_text(body):
    """The body as a reader sees it: tags stripped, entities unescaped, spaces collapsed.

    What snippet() shows and what the SQLite index holds, so markup ("figure", "class")
    is never found. strip_tags() parses with HTMLParser, slow enough to matter for
    100,000 bodies; markup as sanitize_html writes it (every "<" opens a plain tag, every
    "&" a complete reference, no comments or script) is stripped by a regular expression
    to the same text, and anything else goes through strip_tags().
    """
    if not body:
        return ""
    text = None
    if not _NOT_PLAIN.search(body):
        stripped = _TAG.sub("", body)
        if "<" not in stripped and ">" not in stripped:
            text = stripped
    if text is None:
        try:
            text = strip_tags(body)
        except SuspiciousOperation:  # absurdly nested markup: keep the words anyway
            text = _TAG.sub(" ", body)
    return " ".join(html.unescape(text).split())


_TAG = re.compile(r"<[^<>]*>")
# Where the regular expression and HTMLParser could disagree: a "<" not opening a plain tag
# (comments, doctypes, "a < b"), raw-text elements, and "&" not starting a whole reference.
_NOT_PLAIN = re.compile(
    r"<(?!/?[a-zA-Z])"
    r"|<(?:script|style|textarea|title|xmp|iframe|noembed|noframes|noscript|plaintext)\b"
    r"|&(?![a-zA-Z][-.a-zA-Z0-9]*;|#[0-9]+;|#[xX][0-9a-fA-F]+;)",
    re.IGNORECASE,
)


# --- Keeping the SQLite index current -------------------------------------------------

MATCH_SQL = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
WRITE_SQL = (
    f"INSERT OR REPLACE INTO {FTS_TABLE} (rowid, title, summary, body) "  # noqa: S608
    "VALUES (%s, %s, %s, %s)"
)
DELETE_SQL = f"DELETE FROM {FTS_TABLE} WHERE rowid = %s"  # noqa: S608
# As in migration 0004; update_search_index() remakes the table to rebuild all of it.
CREATE_SQL = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(title, summary, body, tokenize='trigram')"
)
INDEXED_FIELDS = {"title", "summary", "body"}
_index_ready = {}  # (alias, database name) -> bool: the table exists and FTS5 answers


def search_index_ready(using=DEFAULT_DB_ALIAS):
    """Whether `using` is SQLite with a working FTS5 index; asked once per process."""
    conn = connections[using]
    if conn.vendor != "sqlite":
        return False
    key = (using, str(conn.settings_dict["NAME"]))
    ready = _index_ready.get(key)
    if ready is None:
        ready = _index_ready[key] = _probe_index(conn)
    return ready


def _probe_index(conn):
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [FTS_TABLE]
        )
        if cursor.fetchone() is None:
            return False
        try:  # a database file made by a build with FTS5, opened by one without
            cursor.execute(MATCH_SQL + " LIMIT 1", ['"probe"'])
            cursor.fetchall()
        except DatabaseError as error:
            logger.warning("SQLite search index unusable, searching without it: %s", error)
            return False
    return True


def forget_search_index(**kwargs):
    """Migrations may have made or dropped the table: ask again."""
    _index_ready.clear()


def index_row(pk, title, summary, body):
    return (pk, title or "", summary or "", body_text(body))


def update_search_index(queryset=None, using=DEFAULT_DB_ALIAS):
    """Rewrite the SQLite index rows of `queryset` (of all articles, by default) in batches.

    For all articles the table is made anew and filled with plain INSERTs: FTS5 deletes a
    row by tokenizing its text again, so emptying it row by row would cost a second build.
    Returns how many articles were indexed (0 without the index).
    """
    if not search_index_ready(using):
        return 0
    everything = queryset is None
    queryset = Article.objects.using(using) if everything else queryset
    rows = queryset.order_by("pk").values_list("pk", "title", "summary", "body")
    done = 0
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        if everything:
            cursor.execute(f"DROP TABLE {FTS_TABLE}")
            cursor.execute(CREATE_SQL)
        last = None
        while True:
            batch = list((rows if last is None else rows.filter(pk__gt=last))[:INDEX_BATCH])
            if not batch:
                break
            cursor.executemany(WRITE_SQL, [index_row(*row) for row in batch])
            done += len(batch)
            last = batch[-1][0]
    return done


def article_deleted(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    if search_index_ready(using):
        with connections[using].cursor() as cursor:
            cursor.execute(DELETE_SQL, [instance.pk])


# --- Keeping the stored vector current (PostgreSQL) -----------------------------------


def vector_for(language):
    config = CONFIGS.get(language, DEFAULT_CONFIG)
    return (
        SearchVector("title", weight="A", config=config)
        + SearchVector("summary", weight="B", config=config)
        + SearchVector("body", weight="C", config=config)
    )


def update_search_vectors(queryset=None):
    """Recompute stored vectors on PostgreSQL, or the FTS5 index rows on SQLite, of
    `queryset` (all articles by default); returns how many articles were done. Cached
    search results are dropped (the cache generation moves on)."""
    if connection.vendor == "sqlite":
        changed = update_search_index(queryset)
    elif connection.vendor == "postgresql":
        queryset = Article.objects.all() if queryset is None else queryset
        changed = 0
        for language in queryset.values_list("language", flat=True).distinct().order_by():
            changed += queryset.filter(language=language).update(search_vector=vector_for(language))
    else:
        return 0
    pagecache.bump()
    return changed


def article_saved(sender, instance, raw=False, using=DEFAULT_DB_ALIAS, **kwargs):
    if connections[using].vendor == "sqlite":
        update_fields = kwargs.get("update_fields")
        if search_index_ready(using) and (update_fields is None or INDEXED_FIELDS & update_fields):
            row = index_row(instance.pk, instance.title, instance.summary, instance.body)
            with connections[using].cursor() as cursor:
                cursor.execute(WRITE_SQL, row)
        return
    if raw or connection.vendor != "postgresql":
        return
    Article.objects.filter(pk=instance.pk).update(search_vector=vector_for(instance.language))


def connect():
    """Keep the index current as articles change (called from SearchConfig.ready)."""
    post_migrate.connect(forget_search_index, dispatch_uid="search-forget-index")
    post_save.connect(article_saved, sender=Article, dispatch_uid="search-article-saved")
    post_delete.connect(article_deleted, sender=Article, dispatch_uid="search-article-deleted")
