"""Cached parts of the reader's pages, and how a change reaches every reader at once.

What is cached: whole reader's pages (home, each page of a section, live articles), feeds and
sitemaps, the rendered article body, a section's live-article count. What never is: the view
count. A page is cached with markers where each request's own values go (the "Views: N" figure and
the CSP nonce; no reader's page holds a CSRF token: see views/language.py); the article view
counts the view first (`views/reader.py`, `article_detail`, through
`counting.views_for_page`) and then fills the markers in, so a page served from the cache
still counts, and its figure is exact.

Invalidation is by generation: every save or delete of an article, image or section
(`signals.py`) bumps one number kept in the cache, and every cached part is stored with the
generation it was built under. A publish, unpublish, edit or delete is therefore visible on
the next request, on every app server sharing the cache (Redis, or the file cache on a single
machine: see settings). Fragments also expire when the next scheduled article falls due, and
after `NEWSROOM_CACHE_SECONDS` at the latest (which bounds changes made behind the ORM's back,
such as a bulk UPDATE).

One cache round trip per cached part: the generation and the part are fetched together, or
the generation alone when this process already holds a copy of the part (`LocalCopies`).
"""

import hashlib
import secrets
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from core import process_state

GEN_KEY = "newsroom:gen"


def cache_seconds():
    return settings.NEWSROOM_CACHE_SECONDS


def _new_generation():
    # Unique across cache flushes and restarts: a cleared cache never revives old parts.
    return time.time_ns()


def generation():
    gen = cache.get(GEN_KEY)
    if gen is None:
        cache.add(GEN_KEY, _new_generation(), None)
        gen = cache.get(GEN_KEY)
    return gen


def bump(**kwargs):
    """Invalidate every cached part (a signal receiver: see signals.py)."""
    try:
        cache.incr(GEN_KEY)
    except ValueError:
        cache.set(GEN_KEY, _new_generation(), None)


def invalidate_on_change(model):
    """Move the generation on whenever a `model` row is saved or deleted."""
    name = f"{model._meta.label_lower}"
    post_save.connect(bump, sender=model, dispatch_uid=f"pagecache-save-{name}")
    post_delete.connect(bump, sender=model, dispatch_uid=f"pagecache-delete-{name}")


def fetch(key):
    """(generation, value or None): value only if it was built under the current generation.

    One cache round trip: the generation alone when this process holds a copy of the value
    (`local_copies`), else the generation and the value together.
    """
    copy = local_copies.peek(key)
    if copy is not None:
        gen = cache.get(GEN_KEY)
        if gen is None:
            return generation(), None
        value = local_copies.get(key, gen)
        if value is not None:
            return gen, value
        stored = cache.get(key)
    else:
        found = cache.get_many([GEN_KEY, key])
        gen, stored = found.get(GEN_KEY), found.get(key)
        if gen is None:
            return generation(), None
    if stored is not None and stored[0] == gen:
        if len(stored) > 2:
            local_copies.put(key, gen, stored[1], stored[2])
        return gen, stored[1]
    return gen, None


def store(key, gen, value, timeout):
    if timeout is None or timeout > 0:
        deadline = None if timeout is None else time.time() + timeout
        cache.set(key, (gen, value, deadline), timeout)
        local_copies.put(key, gen, value, deadline)


class LocalCopies:
    """This process's copies of cached parts that cannot change in place (strings, bytes,
    numbers, tuples of them), each with its generation and deadline.

    Why: a hit then reads only the generation from the shared cache, not a 20-40 kB page to
    read and unpickle (on the file cache that halves the time a cached page takes). Every
    copy is checked against the shared generation on each use, so a change made on any app
    server still reaches readers on the next request. Bounded in entries and bytes (LRU).
    """

    def __init__(self, max_entries=512, max_bytes=16 * 1024 * 1024):
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self.items = OrderedDict()  # key -> (generation, value, deadline, size)
        self.size = 0
        self.lock = threading.Lock()

    def peek(self, key):
        return self.items.get(key)

    def get(self, key, gen):
        with self.lock:
            item = self.items.get(key)
            if item is None:
                return None
            if item[0] != gen or (item[2] is not None and item[2] <= time.time()):
                self._drop(key)
                return None
            self.items.move_to_end(key)
            return item[1]

    def put(self, key, gen, value, deadline):
        size = _frozen_size(value)
        if gen is None or size is None or size > self.max_bytes // 8:
            return
        with self.lock:
            self._drop(key)
            self.items[key] = (gen, value, deadline, size)
            self.size += size
            while len(self.items) > self.max_entries or self.size > self.max_bytes:
                _key, old = self.items.popitem(last=False)
                self.size -= old[3]

    def clear(self):
        with self.lock:
            self.items.clear()
            self.size = 0

    def _drop(self, key):
        old = self.items.pop(key, None)
        if old is not None:
            self.size -= old[3]


def _frozen_size(value):
    """Bytes `value` holds if nothing in it can change in place, else None."""
    if isinstance(value, (str, bytes)):
        return len(value) + 64
    if value is None or isinstance(value, (int, float, bool)):
        return 32
    if isinstance(value, tuple):
        total = 64
        for item in value:
            size = _frozen_size(item)
            if size is None:
                return None
            total += size
        return total
    return None


local_copies = process_state.register(LocalCopies())


def seconds_until(when, now=None):
    if when is None:
        return cache_seconds()
    remaining = (when - (now or timezone.now())).total_seconds()
    return max(0, min(cache_seconds(), int(remaining) + 1))


def get_or_build(key, build, timeout=None):
    """The cached value of `key` under the current generation, else `build()` stored."""
    gen, value = fetch(key)
    if value is None:
        value = build()
        if callable(timeout):
            timeout = timeout()
        store(key, gen, value, cache_seconds() if timeout is None else timeout)
    return value


# --- Whole pages ------------------------------------------------------------------------

PAGE_HOLES = ("views", "csp_nonce")


def page_markers():
    """Stand-ins for each request's own values (PAGE_HOLES, in order), random per render so no
    content can forge one."""
    return tuple(f"nr{secrets.token_hex(12)}" for _name in PAGE_HOLES)


class CachedPage:
    """A reader's page (home, a section's page, a live article) for one language, rendered once
    per change and then served from the cache.

    `page` is (data, HTML with markers, markers) or None; `data` is what the view needs on a
    hit (an article's id). All of it is immutable, so each app process keeps a copy
    (`local_copies`). Read before the content is, so a page built from rows that a save
    has since changed is stored under the old generation and never served.
    """

    def __init__(self, *parts):
        # "v2": markers became a tuple; pages stored by an older release are never read.
        self.key = fragment_key(("page", "v2", *parts, get_language()))
        self.generation, self.page = fetch(self.key)

    def render(self, request, template, context, timeout, data=None):
        """Render `template` once, with markers for PAGE_HOLES, and keep it for `timeout`."""
        markers = page_markers()
        html = render_to_string(
            template, {**context, **dict(zip(PAGE_HOLES, markers, strict=True))}, request
        )
        self.page = (data, html, markers)
        store(self.key, self.generation, self.page, timeout)

    def fill(self, **values):
        """The page's HTML with this request's values (PAGE_HOLES) in place of the markers."""
        _data, html, markers = self.page
        for name, marker in zip(PAGE_HOLES, markers, strict=True):
            if marker in html:  # a lazy value (the CSP nonce) is made only if used
                value = values.get(name)
                html = html.replace(marker, "–" if value is None else str(value))
        return html


# --- Whole responses: feeds and sitemaps -----------------------------------------------

KEPT_HEADERS = ("Content-Type", "Last-Modified", "X-Robots-Tag")


def cached_response(parts, build, timeout):
    """The response `build()` makes, built once per change (and until the next scheduled
    article falls due) and then served from the cache: for what robots and aggregators poll
    all day. Only a 200 is kept, with its body and KEPT_HEADERS."""
    key = fragment_key(parts)
    gen, value = fetch(key)
    if value is None:
        response = build()
        if hasattr(response, "render"):
            response.render()  # a TemplateResponse
        if response.status_code != 200:
            return response
        value = (response.content, tuple((h, response[h]) for h in KEPT_HEADERS if h in response))
        store(key, gen, value, timeout() if callable(timeout) else timeout)
    return HttpResponse(value[0], headers=dict(value[1]))


# --- Keys -------------------------------------------------------------------------------


def fragment_key(parts):
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:40]
    return f"newsroom:fragment:{digest}"
