"""A paginator that never counts a whole large table.

The audit log only grows; counting every row on each load would slow the list down as it
does. The count stops at COUNT_CAP rows (a LIMITed subquery), so the list offers that many
rows' worth of pages; filters (person, article, action) reach older entries.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_CAP = 10_000


class EstimatedCountPaginator(Paginator):
    @cached_property
    def count(self):
        return self.object_list[:COUNT_CAP].count()
