"""Taking a backup: media, then the database snapshot, then the media added meanwhile.

A row in the snapshot was committed before it; its file was stored before that commit, so
the first copy has it or the second does. A file goes only after its row is deleted, so a file
missing from both copies belongs to no row of the snapshot (but one deleted in the short time
between the snapshot and the second listing; docs/decisions.md). The folder appears whole or
not at all: everything is written beside it and renamed into place at the end.
"""

import shutil
import uuid
from pathlib import Path

from django.core.files.storage import default_storage

from backups import database, manifest
from backups.media_files import copy_out, walk
from backups.signals import backup_starting


class BackupError(Exception):
    """The backup could not be taken; no backup folder was left behind."""


def take(folder: Path) -> dict:
    """Back the site up into `folder` (new or empty); answer the manifest."""
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise BackupError(f"{folder} exists and is not an empty folder")
    partial = folder.parent / f".{folder.name}.partial-{uuid.uuid4().hex[:8]}"
    partial.mkdir(parents=True)
    try:
        result = _write(partial)
        if folder.exists():
            folder.rmdir()
        partial.rename(folder)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return result


def _write(partial: Path) -> dict:
    vendor = database.vendor()
    backup_starting.send(sender=None)
    entries = copy_out(default_storage, list(walk(default_storage)), partial)
    tables = database.snapshot(partial / manifest.DATABASE_FILES[vendor])
    copied = {entry["name"] for entry in entries}
    later = [name for name in walk(default_storage) if name not in copied]
    entries += copy_out(default_storage, later, partial)
    return manifest.write(partial, vendor, tables, entries)
