"""Article bodies follow the image library: a replaced image file is replaced in every body.

Bodies name library images by URL (`<img src="/media/images/...">`), so when an editor uploads
a new file for an image, the bodies that showed the old file are pointed at the new one.
"""

import logging

from django.db.models import Value
from django.db.models.functions import Replace

from articles.models import Article

log = logging.getLogger(__name__)


def follow_replaced_file(sender, instance, old_name, new_name, **kwargs):
    """Receiver of `media.signals.image_file_replaced`: rewrite the bodies in one UPDATE."""
    storage = instance.file.storage
    old_src, new_src = f'src="{storage.url(old_name)}"', f'src="{storage.url(new_name)}"'
    updated = Article.objects.filter(body__contains=old_src).update(
        body=Replace("body", Value(old_src), Value(new_src))
    )
    if updated:
        log.info("Image %s replaced: updated %s article bodies", instance.pk, updated)
