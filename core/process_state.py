"""The one list of what each app process keeps in memory between requests.

Copies of cached pages, stored totals, memos of settings: each is a speed-up whose truth lives
in the shared cache or the database. Registering it here gives tests (and anything that must
start from a clean process, such as a settings change) one call that forgets all of it.
"""

_kept = []


def register(store):
    """Remember `store` (anything with a `clear()` method) and return it."""
    _kept.append(store)
    return store


def clear():
    """Forget everything this process keeps: the next request rebuilds it from shared state."""
    for store in _kept:
        store.clear()
