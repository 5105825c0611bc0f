"""Keeping the search index current as articles and the images they show are saved.

PostgreSQL: the article's stored vector and its trigram row (search.pg_index) are rewritten
after each save. SQLite: its FTS5 row is rewritten after a save that touched its text, and
deleted with it. Saving a library image (its alt text or caption may have changed) or
deleting one reindexes the articles that show it.
"""

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.signals import post_delete, post_migrate, post_save, pre_delete

from articles.models import Article
from media.models import Image
from search import pg_index, postgres, sqlite_index
from search.image_text import articles_showing, image_text

# Fields whose change changes what an image adds to the articles showing it.
IMAGE_TEXT_FIELDS = {"alt_text", "caption", "file"}


def reindex(article, using=DEFAULT_DB_ALIAS):
    """Write `article`'s current text (and its pictures' words) into the database's index."""
    vendor = connections[using].vendor
    if vendor == "sqlite" and sqlite_index.is_ready(using):
        sqlite_index.write_row(article, using, images_text=image_text(article))
    elif vendor == "postgresql":
        images_text = image_text(article)
        postgres.update_vector(article, images_text, using)
        if pg_index.is_ready(using):
            pg_index.write_row(article, images_text, using)


def article_saved(sender, instance, raw=False, using=DEFAULT_DB_ALIAS, **kwargs):
    if raw and connections[using].vendor != "sqlite":  # update_search_vectors indexes them
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is None or sqlite_index.INDEXED_FIELDS & set(update_fields):
        reindex(instance, using)


def article_deleted(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    if sqlite_index.is_ready(using):
        sqlite_index.delete_row(instance.pk, using)
    elif pg_index.is_ready(using):
        pg_index.delete_row(instance.pk, using)


def _reindex_all(articles, using):
    for article in articles.using(using).defer("search_vector").iterator():
        reindex(article, using)


def image_saved(sender, instance, raw=False, using=DEFAULT_DB_ALIAS, **kwargs):
    update_fields = kwargs.get("update_fields")
    if raw or (update_fields is not None and not IMAGE_TEXT_FIELDS & set(update_fields)):
        return
    _reindex_all(articles_showing(instance), using)


def image_deleting(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    """Before the delete clears covers: remember who showed the image, to drop its words."""
    instance._shown_by = list(articles_showing(instance).using(using).values_list("pk", flat=True))


def image_deleted(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    _reindex_all(Article.objects.filter(pk__in=getattr(instance, "_shown_by", [])), using)


def connect():
    """Called from SearchConfig.ready()."""
    post_migrate.connect(sqlite_index.forget_readiness, dispatch_uid="search-forget-index")
    post_migrate.connect(pg_index.forget_readiness, dispatch_uid="search-forget-pg-index")
    post_save.connect(image_saved, sender=Image, dispatch_uid="search-image-saved")
    pre_delete.connect(image_deleting, sender=Image, dispatch_uid="search-image-deleting")
    post_delete.connect(image_deleted, sender=Image, dispatch_uid="search-image-deleted")
    post_save.connect(article_saved, sender=Article, dispatch_uid="search-article-saved")
    post_delete.connect(article_deleted, sender=Article, dispatch_uid="search-article-deleted")
