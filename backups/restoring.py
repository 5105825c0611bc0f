"""Restoring a backup into an empty site, all or nothing.

Order: check the whole folder against its manifest, check the database is empty (or forced)
and plan the media, all before changing anything; then write the media, then load the database
in one step. If loading fails, the media written are taken back out.
"""

from pathlib import Path

from django.core.files.storage import default_storage
from django.db import connection

from backups import database, manifest
from backups.media_files import MediaRestore
from core import pagecache


class RestoreError(Exception):
    """Nothing was restored; the site is as it was."""


def restore(folder: Path, force: bool = False) -> dict:
    """Restore the backup in `folder`; answer its manifest."""
    folder = Path(folder)
    found = manifest.verify(folder)
    vendor = found["database"]["vendor"]
    if vendor != database.vendor():
        raise RestoreError(f"The backup is of {vendor}; this site runs {connection.vendor}")
    in_use = database.tables_in_use()
    if in_use and not force:
        raise RestoreError(
            f"The database is not empty ({', '.join(in_use[:5])} hold rows): restore into an "
            "empty site, or add --force to replace its content"
        )
    media = MediaRestore(default_storage, folder, found["media"], force=force)
    todo = media.plan()
    try:
        media.apply(todo)
        database.load(folder / found["database"]["name"], found["database"]["tables"])
    except BaseException:
        media.undo()
        raise
    finally:
        media.done()
    pagecache.invalidate_all()  # pages cached before the restore show the old content
    return found
