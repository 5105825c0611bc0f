"""Paging the admin's long lists so that a page costs the same at any size of table.

Django's admin counts the filtered rows on every load and fetches a page with OFFSET over the
full joined rows. `CachedCountPaginator` instead keeps the count per query, built once per
change of content (core.pagecache's generation) and at most COUNT_SECONDS old, and loads a
page in two steps: the page's ids alone (an index-only walk up to the offset), then those rows
with their joins (even the first page: SQLite would otherwise join every row before
sorting them).
"""

from datetime import datetime

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

from core.pagecache import fragment_key, get_or_build

# A count shown in the admin may be this old when rows change behind the ORM's back (a bulk
# UPDATE or rows that do not move the cache generation); every save moves it at once.
COUNT_SECONDS = 60


def _to_minute(value):
    if isinstance(value, datetime):
        return value.replace(second=0, microsecond=0)
    return value


class CachedCountPaginator(Paginator):
    """A Paginator for ModelAdmin.paginator: cached counts, pages loaded by their ids."""

    @cached_property
    def count(self):
        rows = self.object_list
        if not isinstance(rows, QuerySet):
            return super().count
        try:
            sql, params = rows.order_by().query.sql_with_params()
        except EmptyResultSet:
            return 0
        # "Now" in a filter (live, scheduled) differs on every request: to the minute in the
        # key, so such a count is reused for as long as any count is.
        params = [_to_minute(value) for value in params]
        key = fragment_key(("admin-count", rows.db, rows.model._meta.label, sql, *params))
        return get_or_build(key, rows.count, timeout=COUNT_SECONDS)

    def page(self, number):
        number = self.validate_number(number)
        rows = self.object_list
        if not isinstance(rows, QuerySet):
            return super().page(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(rows.values_list("pk", flat=True)[bottom:top])
        # The same query over the page's ids only: the same order, joins for these rows alone
        # (still a queryset: list_editable builds its formset from it).
        return self._get_page(rows.filter(pk__in=ids), number, self)
