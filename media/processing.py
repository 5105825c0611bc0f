"""One path from an editor's file to a library image: validate, clean, store, make renditions.

Run on every save of a new file (`media.lifecycle`) and by `manage.py build_renditions` for
images saved before renditions existed, or whose renditions failed (their pages are served
from the cleaned original meanwhile).
"""

from __future__ import annotations

import hashlib
import io
import logging
import os

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image as PILImage

from media.metadata import Cleaned, clean_image
from media.models import Image
from media.renditions import delete_renditions, make_renditions
from media.validation import EXTENSIONS, check_size, inspect_image, read_bytes, validate_upload

log = logging.getLogger(__name__)


class StorageUnavailable(Exception):
    """The storage failed while an image was being stored: nothing of it was kept (the
    admin says so; `media.admin`)."""


def _read_and_inspect(field_file):
    """(bytes, Inspected) of `image.file`; a refused file already in storage is deleted."""
    storage = field_file.storage
    try:
        if field_file._committed:
            check_size(storage.size(field_file.name))
            with storage.open(field_file.name, "rb") as handle:
                data = handle.read()
            return data, inspect_image(data)
        info = validate_upload(field_file.file)
        return read_bytes(field_file.file), info
    except ValidationError:
        if field_file._committed:
            storage.delete(field_file.name)  # nothing half-saved
        raise


def _store_cleaned(image: Image, cleaned: Cleaned, data: bytes) -> None:
    """Put the cleaned file in storage under the name the upload had, with the right extension."""
    field_file = image.file
    storage = field_file.storage
    stem = os.path.splitext(os.path.basename(field_file.name))[0] or "image"
    filename = stem + EXTENSIONS[cleaned.format]
    if not field_file._committed:
        image.file = ContentFile(cleaned.data, name=filename)
        # Save now (as FileField.pre_save would) so renditions can point at the original.
        image.file.save(filename, image.file.file, save=False)
    elif cleaned.data != data or not field_file.name.endswith(EXTENSIONS[cleaned.format]):
        folder = os.path.dirname(field_file.name)
        storage.delete(field_file.name)
        image.file.name = storage.save(f"{folder}/{filename}", ContentFile(cleaned.data))


def prepare_image(image: Image) -> None:
    """Validate, clean and store `image.file`, fill width/height/hash and make renditions.

    Raises ValidationError (and leaves nothing in storage) for a file that is not acceptable.
    """
    data, info = _read_and_inspect(image.file)
    cleaned = clean_image(data, info)
    digest = hashlib.sha256(cleaned.data).hexdigest()
    try:
        _store_cleaned(image, cleaned, data)
    except Exception as exc:  # any storage backend's failure: the bucket went away mid-upload
        raise StorageUnavailable(image.file.name) from exc
    image.width, image.height, image.file_hash = cleaned.width, cleaned.height, digest
    try:
        image.renditions = make_renditions(cleaned, digest, image.file.storage, image.file.name)
    except Exception:
        # The page falls back to the cleaned original; `manage.py build_renditions` retries.
        log.exception("Could not make renditions for image %s", image.file.name)
        image.renditions = {}


def rebuild(image: Image, force: bool = True) -> None:
    """Rebuild one stored image's renditions (cleaning its file first if it never was).

    With `force` every file is encoded again; without, the files already stored are kept and
    only missing ones are made (say AVIF, once Pillow can write it).
    """
    storage = image.file.storage
    if not storage.exists(image.file.name):
        raise FileNotFoundError(image.file.name)
    old = dict(image.renditions or {})
    if not image.file_hash:
        # Never cleaned (saved before cleaning existed): validate, strip and store it properly.
        prepare_image(image)
    else:
        with storage.open(image.file.name, "rb") as handle:
            data = handle.read()
        info = inspect_image(data)
        with PILImage.open(io.BytesIO(data)) as source:
            width, height = source.size
        cleaned = Cleaned(data, info.format, width, height, info.frames > 1)
        if force:
            delete_renditions(storage, old)
        image.renditions = make_renditions(cleaned, image.file_hash, storage, image.file.name)
    stale = {e["name"] for e in old.values()} - {e["name"] for e in image.renditions.values()}
    delete_renditions(storage, {n: {"name": n} for n in stale})
    Image.objects.filter(pk=image.pk).update(
        file=image.file.name,
        width=image.width,
        height=image.height,
        file_hash=image.file_hash,
        renditions=image.renditions,
    )
