"""The readiness probe of the file storage (registered in MediaConfig.ready, see core.health)."""

import os
from pathlib import Path

from django.core.files.storage import FileSystemStorage, default_storage

# A name no upload has: asking for it is one round trip to object storage.
PROBE_NAME = "images/.readiness-probe"


def storage_answers() -> bool:
    storage = default_storage
    if isinstance(storage, FileSystemStorage):
        # The first upload creates MEDIA_ROOT: until then the nearest existing parent must
        # let this process create it.
        folder = Path(storage.location)
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
            raise PermissionError(f"media folder {storage.location} is not writable")
    else:
        storage.exists(PROBE_NAME)  # object storage raises when it cannot be reached
    return True
