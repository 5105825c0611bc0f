"""Counts kept beside an article's own by an app above readership: the scans of each printed
QR placement (`qr`), for one.

Such a count goes with one of the article's counters (a placement's scan is also the article's
QR scan) and is stored the same way: a total column on its own row and one row per day. It is
changed in the same transaction as the article's count (database store), or by the same Redis
command and applied in the same batch (Redis store), so the two never disagree and neither is
lost or doubled. Apps register their counter at start-up; readership never imports them.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db import connection

# Field prefixes the article's own counters use in the Redis buffer (`redis.FIELD_CODES`).
RESERVED_CODES = frozenset({"v", "q"})

_registry = {}


@dataclass(frozen=True)
class LinkedCounter:
    """Where a linked count is kept: `model.<column>` (the total) and `daily_model` rows
    (`<fk>`, `day`, `<column>`), unique on (`<fk>`, `day`)."""

    code: str  # its field prefix in the Redis buffer: one letter readership does not use
    model: type
    daily_model: type
    fk: str  # the daily model's column naming the row, e.g. "placement_id"
    column: str  # the counted column, on both models
    article_field: str  # the article's counter it goes with, e.g. "qr_scans"

    def tables(self):
        qn = connection.ops.quote_name
        return (
            qn(self.model._meta.db_table),
            qn(self.daily_model._meta.db_table),
            qn(self.fk),
            qn(self.column),
        )


def register(counter):
    """Make `counter` known to the Redis buffer's flush (an app's `ready()` calls this)."""
    if counter.code in RESERVED_CODES or ":" in counter.code:
        raise ValueError(f"the code {counter.code!r} is taken or malformed")
    _registry[counter.code] = counter


def registered(code):
    """The counter of a Redis field prefix, or None."""
    return _registry.get(code)


def add_to_row(counter, row_id, amount, day):
    """Add `amount` to the row's total and its `day` row (inside the caller's transaction).

    Returns False when the row no longer exists (then nothing is written).
    """
    table, daily, fk, col = counter.tables()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {col} = {col} + %s WHERE id = %s",  # noqa: S608
            [amount, row_id],
        )
        if cursor.rowcount == 0:
            return False
        cursor.execute(
            f"INSERT INTO {daily} ({fk}, day, {col}) VALUES (%s, %s, %s) "  # noqa: S608
            f"ON CONFLICT ({fk}, day) DO UPDATE SET {col} = {daily}.{col} + excluded.{col}",
            [row_id, day, amount],
        )
    return True


def write_rows(counts):
    """Apply a Redis batch's linked counts, {(code, row_id, day or None): n}, inside the
    batch's transaction. Counts of rows deleted meanwhile are dropped."""
    by_code = defaultdict(dict)
    for (code, row_id, day), n in counts.items():
        by_code[code][(row_id, day)] = n
    for code, rows in by_code.items():
        counter = registered(code)
        if counter is not None:
            _write_counter_rows(counter, rows)


def _write_counter_rows(counter, rows):
    ids = {row_id for row_id, _day in rows}
    live = set(counter.model._default_manager.filter(pk__in=ids).values_list("pk", flat=True))
    table, daily, fk, col = counter.tables()
    totals = [(n, row_id) for (row_id, day), n in rows.items() if day is None and row_id in live]
    days = [(row_id, day, n) for (row_id, day), n in rows.items() if day and row_id in live]
    with connection.cursor() as cursor:
        if totals:
            cursor.executemany(
                f"UPDATE {table} SET {col} = {col} + %s WHERE id = %s",  # noqa: S608
                totals,
            )
        if days:
            cursor.executemany(
                f"INSERT INTO {daily} ({fk}, day, {col}) VALUES (%s, %s, %s) "  # noqa: S608
                f"ON CONFLICT ({fk}, day) DO UPDATE SET {col} = {daily}.{col} + excluded.{col}",
                days,
            )
