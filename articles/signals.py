"""What happens when news content is saved: text cleaned, caches invalidated, image links kept."""

from django.db.models.signals import post_delete, post_save, pre_save
from taggit.models import Tag, TaggedItem

from articles.library_images import follow_replaced_file
from articles.models import Article, Section
from articles.sections import forget_tree
from core import pagecache
from core.text import clean_text_fields
from media.signals import image_file_replaced


def section_changed(sender, **kwargs):
    forget_tree()


def connect():
    """Called from ArticlesConfig.ready."""
    # Everything an editor types reaches XML feeds and sitemaps: no control characters stored.
    for model in (Article, Section, Tag):
        pre_save.connect(
            clean_text_fields, sender=model, dispatch_uid=f"newsroom-text-{model.__name__}"
        )
    post_save.connect(section_changed, sender=Section, dispatch_uid="newsroom-section-tree")
    post_delete.connect(section_changed, sender=Section, dispatch_uid="newsroom-section-tree-del")
    # Any change to what pages show moves the cache generation on (core.pagecache): publish,
    # unpublish, edit and delete reach readers on the next request. Counting never saves.
    # Tags too: a tag renamed, or added to or taken off an article, changes tag pages.
    for model in (Article, Section, Tag, TaggedItem):
        pagecache.invalidate_on_change(model)
    image_file_replaced.connect(follow_replaced_file, dispatch_uid="articles-follow-image-file")
