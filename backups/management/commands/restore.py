"""`manage.py restore DIR`: a backup into an empty site, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backups.database import DatabaseError
from backups.manifest import BrokenBackup
from backups.media_files import MediaConflict
from backups.restoring import RestoreError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` into this site's database and media storage. "
        "Every file is checked against the manifest first; a database that holds content, "
        "or stored files that differ, are refused unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", metavar="DIR")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the content of a database that is not empty, and differing files.",
        )

    def handle(self, folder, force=False, **options):
        try:
            found = restore(Path(folder), force=force)
        except (BrokenBackup, DatabaseError, MediaConflict, RestoreError, OSError) as exc:
            raise CommandError(f"Nothing restored: {exc}") from exc
        rows = sum(found["database"]["tables"].values())
        if options["verbosity"] < 1:
            return
        self.stdout.write(
            f"Restored {rows} rows and {len(found['media'])} media files "
            f"(backup of {found['created_at']})"
        )
