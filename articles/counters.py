"""View and QR-scan counting, database backend.

Every count is one short transaction of two atomic statements: an UPDATE of the
article's total (`col = col + n`, returning the new value) and an upsert of the
(article, day) row. Concurrent readers on any number of workers never lose an
update, and the page can show the total including its own view.
"""

from django.db import connection, transaction
from django.utils import timezone

from .models import Article, DailyStat

COUNTED_FIELDS = ("views", "qr_scans")


def add_counts(article_id, field, amount=1, day=None):
    """Add `amount` to `field` on the article and on its row for `day`; return the new total.

    Returns None when the article no longer exists.
    """
    if field not in COUNTED_FIELDS:
        raise ValueError(f"not a counter: {field}")
    day = day or timezone.localdate()
    qn = connection.ops.quote_name
    articles, daily, col = qn(Article._meta.db_table), qn(DailyStat._meta.db_table), qn(field)
    # Identifiers come from the model and are quoted by the backend; values are bound.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {articles} SET {col} = {col} + %s WHERE id = %s RETURNING {col}",  # noqa: S608
            [amount, article_id],
        )
        row = cursor.fetchone()
        if row is None:
            return None
        other = "qr_scans" if field == "views" else "views"
        cursor.execute(
            f"INSERT INTO {daily} (article_id, day, {col}, {qn(other)}) VALUES (%s, %s, %s, 0) "  # noqa: S608
            f"ON CONFLICT (article_id, day) DO UPDATE SET {col} = {daily}.{col} + excluded.{col}",
            [article_id, day, amount],
        )
    return row[0]


def count_view(article_id):
    """Count one view; return the article's new total."""
    return add_counts(article_id, "views")


def count_qr_scan(article_id):
    """Count one QR scan; return the article's new scan total."""
    return add_counts(article_id, "qr_scans")
