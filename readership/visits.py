"""One view per reader per window, and the "Views: N" figure the article page shows.

Where counting happens: the article view calls `views_for_page()` before the page, rendered or
from the cache, is filled in and sent (`articles/views/reader.py`, `article_detail`), so a page
served from the cache still counts and shows an exact figure. In NEWSROOM_VIEW_COUNTING=beacon
mode the page counts through the beacon instead (`beacon.py`); the content API's
`POST .../view` counts the same way (`report_view`). Which requests count is `rules.py`; the
window is the repeat-visit cookie (`visit_cookie.py`); the counts are `counts.py`.
"""

import time
from typing import NamedTuple

from django.conf import settings
from django.db import DatabaseError

from readership import beacon, counts, rules, visit_cookie


def count_once(request, article_id, db_total=None):
    """Count the view unless this reader's cookie shows it counted within the window.

    The caller has checked `rules.should_count`. Returns (total shown, counted).
    """
    window = settings.NEWSROOM_VIEW_WINDOW
    now = int(time.time())
    visit = visit_cookie.for_request(request) if window > 0 else None
    if visit is not None and visit.counted_recently(article_id, now, window):
        return counts.current_views(article_id, db_total), False
    try:
        total = counts.count_view(article_id, db_total=db_total)
    except counts.NotCounted:
        # Dropped and logged; not remembered in the cookie, so the next visit counts.
        return last_known_views(article_id, db_total), False
    if total is None:
        return None, False
    if visit is not None:
        visit.mark_counted(article_id, now)
    return total, True


def last_known_views(article_id, db_total=None):
    """The figure to show when the database did not take the count: a read if it answers."""
    try:
        return counts.current_views(article_id, db_total)
    except DatabaseError:
        return db_total


def views_for_page(request, article_id, db_total=None, preview=False):
    """The "Views: N" figure for the article page, counting this view when it should; None
    when the database could not tell (the page then shows a dash, not a false 0).

    In server mode a reader's GET counts here; in beacon mode the page shows the current total
    and its script counts. `db_total` is the stored figure when the caller has the row.
    """
    if beacon.is_on() or not rules.should_count(request, preview=preview):
        return counts.current_views(article_id, db_total)
    total, _ = count_once(request, article_id, db_total)
    return db_total if total is None else total


class ReportedView(NamedTuple):
    views: int
    counted: bool


def report_view(request, article_id, db_total):
    """A view a POST reports (the beacon, the API): counted by the same rules as a page's GET.

    Returns the total the page should show, including this view when it counted.
    """
    if not rules.should_count(request, method_ok=True):
        return ReportedView(counts.current_views(article_id, db_total), False)
    total, counted = count_once(request, article_id, db_total)
    return ReportedView(db_total if total is None else total, counted)
