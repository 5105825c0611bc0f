"""What happens when content is saved: text cleaned, caches invalidated."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from taggit.models import Tag

from . import caching, images
from .models import Article, Image, Section
from .sanitize import clean_text_fields
from .sections import forget_tree

images.connect()  # image uploads: validation, cleaning, renditions, cleanup (images.py)

# Everything an editor types reaches XML feeds and sitemaps: no control characters stored.
for _model in (Article, Image, Section, Tag):
    pre_save.connect(
        clean_text_fields, sender=_model, dispatch_uid=f"newsroom-text-{_model.__name__}"
    )


@receiver([post_save, post_delete], sender=Section)
def section_changed(sender, **kwargs):
    forget_tree()


# Any change to what pages show bumps the cache generation (caching.py): publish, unpublish,
# edit and delete reach readers on the next request. Counting never saves, so never bumps.
for _model in (Article, Image, Section):
    post_save.connect(caching.bump, sender=_model, dispatch_uid=f"newsroom-bump-{_model.__name__}")
    post_delete.connect(
        caching.bump, sender=_model, dispatch_uid=f"newsroom-bump-del-{_model.__name__}"
    )
