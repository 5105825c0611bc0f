"""Move pending view and QR-scan counts from Redis into the database.

Run it from cron or a systemd timer (README "Views"); `--every N` keeps it running and flushes
every N seconds instead. Safe to run on several machines at once: see backends/redis.py.
"""

import signal
import time

import redis
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from readership import counts


class Command(BaseCommand):
    help = "Move pending view and QR-scan counts from Redis into the database."

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=float,
            metavar="SECONDS",
            help="Keep running and flush every SECONDS (stop with SIGTERM or Ctrl-C).",
        )

    def handle(self, *args, every=None, verbosity=1, **options):
        if settings.NEWSROOM_VIEW_STORE != "redis":
            if verbosity:
                self.stdout.write(
                    "Nothing to flush: with NEWSROOM_VIEW_STORE=database views go straight "
                    "to the database."
                )
            return
        if every is None:
            self.flush_once(verbosity)
            return
        if every <= 0:
            raise CommandError("--every needs a positive number of seconds")
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        try:
            while not stopping:
                started = time.monotonic()
                self.flush_once(verbosity)
                while not stopping and time.monotonic() - started < every:
                    time.sleep(min(0.05, every))
        except KeyboardInterrupt:
            pass

    def flush_once(self, verbosity):
        try:
            result = counts.flush()
        except redis.RedisError as exc:
            raise CommandError(f"Redis is unreachable ({exc}); pending counts stay there.") from exc
        if verbosity and (result.batches or verbosity > 1):
            self.stdout.write(f"Flushed {result}.")
        if result.dropped:
            self.stderr.write(f"Dropped {result.dropped} counts of deleted articles.")
