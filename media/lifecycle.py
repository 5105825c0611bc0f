"""An image's life cycle: its file is prepared on save, and old files go once they are unused.

Replacing or deleting an image removes its old file and renditions after the transaction
commits (never while a rollback could still need them); identical files share renditions, so
those stay while another image has the same content.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models.signals import post_delete, post_init, post_save, pre_save

from core import pagecache
from core.text import clean_text_fields
from media.models import Image
from media.processing import prepare_image
from media.renditions import delete_renditions
from media.signals import image_file_replaced

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoadedFile:
    """The file an Image had when it was loaded or last saved."""

    name: str | None
    file_hash: str | None
    renditions: dict | None


NOTHING_LOADED = LoadedFile(None, None, None)


def _loaded_state(instance) -> LoadedFile:
    value = instance.__dict__.get("file")
    name = value if isinstance(value, str) else getattr(value, "name", None)
    return LoadedFile(
        name=name or None,
        file_hash=instance.__dict__.get("file_hash"),
        renditions=instance.__dict__.get("renditions"),
    )


def remember_loaded(sender, instance, **kwargs):
    if instance.pk is not None:
        instance._loaded_file = _loaded_state(instance)


def before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and "file" not in update_fields):
        return
    if not instance.file:
        return
    loaded = getattr(instance, "_loaded_file", NOTHING_LOADED)
    if instance.file._committed and instance.file_hash and loaded.name == instance.file.name:
        return  # the same, already prepared file
    prepare_image(instance)


def after_save(sender, instance, raw=False, **kwargs):
    if raw:
        return
    old = getattr(instance, "_loaded_file", NOTHING_LOADED)
    if old.name and old.name != instance.file.name:
        storage = instance.file.storage
        new_name, pk = instance.file.name, instance.pk
        transaction.on_commit(lambda: _replaced(storage, old, new_name, instance, pk))
    instance._loaded_file = _loaded_state(instance)


def _replaced(storage, old: LoadedFile, new_name, instance, pk):
    """After a file is replaced: whoever points at the old file hears of it, then it goes."""
    image_file_replaced.send(sender=Image, instance=instance, old_name=old.name, new_name=new_name)
    _forget_files(storage, old, exclude_pk=pk)


def _forget_files(storage, old: LoadedFile, exclude_pk=None):
    """Delete a file no image uses any more, and its renditions unless another image shares them."""
    shared = Image.objects.filter(file__in=[old.name] if old.name else [])
    if exclude_pk is not None:
        shared = shared.exclude(pk=exclude_pk)
    if old.name and not shared.exists():
        try:
            storage.delete(old.name)
        except Exception:
            log.exception("Could not delete image file %s", old.name)
    if old.file_hash and Image.objects.filter(file_hash=old.file_hash).exists():
        return  # another library image has the same content and shares the renditions
    delete_renditions(storage, old.renditions)


def after_delete(sender, instance, **kwargs):
    storage = instance.file.storage
    gone = LoadedFile(instance.file.name, instance.file_hash, instance.renditions)
    transaction.on_commit(lambda: _forget_files(storage, gone))


def connect():
    """Called from MediaConfig.ready."""
    pre_save.connect(clean_text_fields, sender=Image, dispatch_uid="newsroom-text-Image")
    pagecache.invalidate_on_change(Image)
    post_init.connect(remember_loaded, sender=Image, dispatch_uid="images-remember")
    pre_save.connect(before_save, sender=Image, dispatch_uid="images-prepare")
    post_save.connect(after_save, sender=Image, dispatch_uid="images-replaced")
    post_delete.connect(after_delete, sender=Image, dispatch_uid="images-deleted")
