"""`manage.py backup DIR`: the database and the media, consistent, with a manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backups.database import DatabaseError
from backups.taking import BackupError, take


class Command(BaseCommand):
    help = (
        "Back up the database (a consistent snapshot, while the site serves) and the media "
        "into DIR, a new or empty folder, with manifest.json (checksums and row counts)."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", metavar="DIR")

    def handle(self, folder, **options):
        try:
            found = take(Path(folder))
        except (BackupError, DatabaseError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(found["database"]["tables"].values())
        if options["verbosity"] < 1:
            return
        self.stdout.write(
            f"Backed up {rows} rows ({found['database']['vendor']}) and "
            f"{len(found['media'])} media files to {folder}"
        )
