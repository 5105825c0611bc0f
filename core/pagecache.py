"""Parts of pages built once per change, and how a change reaches every reader at once.

Invalidation is by generation: every save or delete of a watched model (`invalidate_on_change`)
moves one number kept in the shared cache on, and every part is stored with the generation it was
built under. A publish, edit or delete therefore shows on the next request, on every app server
sharing the cache. A part also expires after its timeout, at most NEWSROOM_CACHE_SECONDS, which
bounds changes made behind the ORM's back (a bulk UPDATE).

A whole page (`CachedPage`) is kept with a marker where each request's own values go
(PER_REQUEST_VARIABLES), filled in on the way out; the view count is taken before that.

One cache round trip per part: the generation and the part together, or the generation alone
when this process holds a copy of the part (`LocalCopies`).
"""

import hashlib
import secrets
import threading
import time
from collections import OrderedDict
from typing import NamedTuple

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
    """The generation every part is checked against (started if the cache has none)."""
    current = cache.get(GEN_KEY)
    if current is None:
        cache.add(GEN_KEY, _new_generation(), None)
        current = cache.get(GEN_KEY)
    return current


def invalidate_all(**signal_kwargs):
    """Make every cached part stale by moving the generation on (a signal receiver)."""
    try:
        cache.incr(GEN_KEY)
    except ValueError:
        cache.set(GEN_KEY, _new_generation(), None)


def invalidate_on_change(model):
    """Move the generation on whenever a `model` row is saved or deleted."""
    name = f"{model._meta.label_lower}"
    post_save.connect(invalidate_all, sender=model, dispatch_uid=f"pagecache-save-{name}")
    post_delete.connect(invalidate_all, sender=model, dispatch_uid=f"pagecache-delete-{name}")


# --- Parts -------------------------------------------------------------------------------


class Lookup(NamedTuple):
    """What `fetch` found: the current generation, and the part built under it (or None)."""

    generation: int
    value: object


class Stored(NamedTuple):
    """A part as the shared cache holds it (as a plain tuple: any release reads any other's)."""

    generation: int
    value: object
    deadline: float | None  # time.time() after which a copy is stale; None: never


def fetch(key):
    """The current generation, and `key`'s value if it was built under that generation.

    One round trip: the generation alone when this process holds a copy of the value, else
    the generation and the value together.
    """
    if local_copies.peek(key) is not None:
        current = cache.get(GEN_KEY)
        if current is None:
            return Lookup(generation(), None)
        value = local_copies.get(key, current)
        if value is not None:
            return Lookup(current, value)
        raw = cache.get(key)
    else:
        found = cache.get_many([GEN_KEY, key])
        current, raw = found.get(GEN_KEY), found.get(key)
        if current is None:
            return Lookup(generation(), None)
    stored = None if raw is None else Stored._make(raw)
    if stored is None or stored.generation != current:
        return Lookup(current, None)
    local_copies.put(key, stored.generation, stored.value, stored.deadline)
    return Lookup(current, stored.value)


def store(key, generation, value, timeout):
    """Keep `value` under `key` as built under `generation`, for `timeout` seconds (None:
    until the generation moves on; 0: not at all)."""
    if timeout is None or timeout > 0:
        deadline = None if timeout is None else time.time() + timeout
        cache.set(key, tuple(Stored(generation, value, deadline)), timeout)
        local_copies.put(key, generation, value, deadline)


def get_or_build(key, build, timeout=None):
    """The cached value of `key` under the current generation, else `build()` stored.

    `timeout` is seconds, a function giving them (asked after the build), or None for
    NEWSROOM_CACHE_SECONDS.
    """
    current, value = fetch(key)
    if value is None:
        value = build()
        if callable(timeout):
            timeout = timeout()
        store(key, current, value, cache_seconds() if timeout is None else timeout)
    return value


def seconds_until(when, now=None):
    """How long a part may live if it must change at `when`: at most NEWSROOM_CACHE_SECONDS."""
    if when is None:
        return cache_seconds()
    remaining = (when - (now or timezone.now())).total_seconds()
    return max(0, min(cache_seconds(), int(remaining) + 1))


# --- This process's copies ---------------------------------------------------------------


class LocalCopy(NamedTuple):
    generation: int
    value: object
    deadline: float | None
    size: int  # bytes counted against LocalCopies.max_bytes


class LocalCopies:
    """This process's copies of parts that cannot change in place (strings, bytes, numbers,
    tuples of them), each with its generation and deadline.

    A hit then reads only the generation from the shared cache, not a whole page to read and
    unpickle. Every copy is checked against the shared generation on each use, so a change
    made on any app server still reaches readers on the next request. Bounded in entries and
    bytes, least recently used first out.
    """

    def __init__(self, max_entries=512, max_bytes=16 * 1024 * 1024):
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self.items = OrderedDict()  # key -> LocalCopy
        self.size = 0
        self.lock = threading.Lock()

    def peek(self, key):
        """The copy of `key`, stale or not, or None; for a quick look without locking."""
        return self.items.get(key)

    def get(self, key, generation):
        """The value of `key` if this process holds it for `generation` and in time, else None."""
        with self.lock:
            copy = self.items.get(key)
            if copy is None:
                return None
            expired = copy.deadline is not None and copy.deadline <= time.time()
            if copy.generation != generation or expired:
                self._drop(key)
                return None
            self.items.move_to_end(key)
            return copy.value

    def put(self, key, generation, value, deadline):
        size = _immutable_size(value)
        if generation is None or size is None or size > self.max_bytes // 8:
            return
        with self.lock:
            self._drop(key)
            self.items[key] = LocalCopy(generation, value, deadline, size)
            self.size += size
            while len(self.items) > self.max_entries or self.size > self.max_bytes:
                _key, oldest = self.items.popitem(last=False)
                self.size -= oldest.size

    def clear(self):
        with self.lock:
            self.items.clear()
            self.size = 0

    def _drop(self, key):
        copy = self.items.pop(key, None)
        if copy is not None:
            self.size -= copy.size


def _immutable_size(value):
    """Bytes `value` holds if nothing in it can change in place, else None."""
    if isinstance(value, (str, bytes)):
        return len(value) + 64
    if value is None or isinstance(value, (int, float, bool)):
        return 32
    if isinstance(value, tuple):
        total = 64
        for item in value:
            size = _immutable_size(item)
            if size is None:
                return None
            total += size
        return total
    return None


local_copies = process_state.register(LocalCopies())


# --- Whole pages ------------------------------------------------------------------------

# Template variables whose values differ per request: a cached page holds markers for them.
PER_REQUEST_VARIABLES = ("views", "csp_nonce")


class RenderedPage(NamedTuple):
    """A page as cached: immutable, so each app process keeps a copy (`local_copies`)."""

    html: str  # with a marker in place of each PER_REQUEST_VARIABLES value
    markers: tuple[str, ...]  # one per PER_REQUEST_VARIABLES name, in the same order
    object_id: int | None  # what a hit needs besides the HTML: the article page's article


def new_markers():
    """One marker per PER_REQUEST_VARIABLES name, random per render so no content can forge one."""
    return tuple(f"nr{secrets.token_hex(12)}" for _name in PER_REQUEST_VARIABLES)


class CachedPage:
    """A reader's page for one language, rendered once per change and then served from the
    cache with each request's own values filled in:

        page = CachedPage("section", section.pk, number)
        if page.is_missing:
            page.render(request, template, context, timeout)
        return page.response(request)

    The generation is read before the content is, so a page built from rows that a save has
    since changed is stored under the old generation and never served.
    """

    def __init__(self, *key_parts):
        # "v3": the page became a RenderedPage; pages stored by an older release are never read.
        self.key = fragment_key(("page", "v3", *key_parts, get_language()))
        self.generation, self.rendered = fetch(self.key)

    @property
    def is_missing(self):
        return self.rendered is None

    @property
    def object_id(self):
        return self.rendered.object_id

    def render(self, request, template, context, timeout, object_id=None):
        """Render `template` once, with markers for PER_REQUEST_VARIABLES, and keep it for
        `timeout` seconds."""
        markers = new_markers()
        stand_ins = dict(zip(PER_REQUEST_VARIABLES, markers, strict=True))
        html = render_to_string(template, {**context, **stand_ins}, request)
        self.rendered = RenderedPage(html, markers, object_id)
        store(self.key, self.generation, self.rendered, timeout)

    def response(self, request, **values):
        """The page with this request's values in place of the markers: its CSP nonce, and
        `values` for the other PER_REQUEST_VARIABLES ("–" for one not given)."""
        values = {"csp_nonce": request.csp_nonce, **values}
        html = self.rendered.html
        for name, marker in zip(PER_REQUEST_VARIABLES, self.rendered.markers, strict=True):
            if marker in html:  # a lazy value (the CSP nonce) is made only if used
                value = values.get(name)
                html = html.replace(marker, "–" if value is None else str(value))
        return HttpResponse(html)


# --- Whole responses: feeds and sitemaps -----------------------------------------------

KEPT_HEADERS = ("Content-Type", "Last-Modified", "X-Robots-Tag")


def cached_response(key_parts, build, timeout):
    """The response `build()` makes, built once per change (and until `timeout`, seconds or a
    function giving them) and then served from the cache: for what robots and aggregators poll
    all day. Only a 200 is kept, with its content and KEPT_HEADERS."""
    key = fragment_key(key_parts)
    current, kept = fetch(key)
    if kept is None:
        response = build()
        if hasattr(response, "render"):
            response.render()  # a TemplateResponse
        if response.status_code != 200:
            return response
        headers = tuple((name, response[name]) for name in KEPT_HEADERS if name in response)
        kept = (response.content, headers)
        store(key, current, kept, timeout() if callable(timeout) else timeout)
    content, headers = kept
    return HttpResponse(content, headers=dict(headers))


# --- Keys -------------------------------------------------------------------------------


def fragment_key(parts):
    """A short cache key for any number of parts (hashed: a long list fits any cache)."""
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:40]
    return f"newsroom:fragment:{digest}"
