"""Counting the scans of printed codes: a reader arriving from outside through the short link."""

import contextlib

from django.conf import settings

from qr import placement_counts
from readership import counts, rules


def counts_as_scan(request):
    """A GET by a person's browser (readership's rules: not HEAD, bots, prefetches or staff),
    not a click on the short link printed on our own page (same-site navigation, our Referer)."""
    if not rules.should_count(request):
        return False
    if request.headers.get("Sec-Fetch-Site", "").lower() in ("same-origin", "same-site"):
        return False
    referer = request.headers.get("Referer", "")
    return not (referer == settings.SITE_URL or referer.startswith(settings.SITE_URL + "/"))


def record_scan(request, article, placement=None):
    """Count one scan of the live `article`'s code, or of its `placement`'s (which is also the
    article's scan), if `request` is one."""
    if counts_as_scan(request):
        with contextlib.suppress(counts.NotCounted):  # logged; the phone still gets there
            if placement is None:
                counts.count_qr_scan(article.pk)
            else:
                placement_counts.count_scan(placement)
