"""Finding an author's page by its slug without a query once cached."""

from typing import NamedTuple

from core.pagecache import cache_seconds, fetch, fragment_key, store
from people.models import Author


class AuthorKey(NamedTuple):
    """What an author page needs before it is built: which profile, whose articles."""

    pk: int
    user_id: int


def author_key(slug):
    """The AuthorKey of the profile with that slug, or None; cached per generation.

    Only found profiles are kept: a junk slug costs one indexed query and fills no cache.
    """
    key = fragment_key(("author-key", slug))
    current, found = fetch(key)
    if found is None:
        row = Author.objects.filter(slug=slug).values_list("pk", "user_id").first()
        if row is None:
            return None
        found = tuple(row)
        store(key, current, found, cache_seconds())
    return AuthorKey(*found)
