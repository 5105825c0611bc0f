"""Keeping the search index current as articles are saved and deleted.

PostgreSQL: the article's stored vector is recomputed after each save. SQLite: its FTS5 row
is rewritten after a save that touched its text, and deleted with it.
"""

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.signals import post_delete, post_migrate, post_save

from articles.models import Article
from search import postgres, sqlite_index


def article_saved(sender, instance, raw=False, using=DEFAULT_DB_ALIAS, **kwargs):
    vendor = connections[using].vendor
    if vendor == "sqlite":
        update_fields = kwargs.get("update_fields")
        if sqlite_index.is_ready(using) and (
            update_fields is None or sqlite_index.INDEXED_FIELDS & update_fields
        ):
            sqlite_index.write_row(instance, using)
    elif vendor == "postgresql" and not raw:
        postgres.update_vector(instance, using)


def article_deleted(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    if sqlite_index.is_ready(using):
        sqlite_index.delete_row(instance.pk, using)


def connect():
    """Called from SearchConfig.ready()."""
    post_migrate.connect(sqlite_index.forget_readiness, dispatch_uid="search-forget-index")
    post_save.connect(article_saved, sender=Article, dispatch_uid="search-article-saved")
    post_delete.connect(article_deleted, sender=Article, dispatch_uid="search-article-deleted")
