import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

log = logging.getLogger(__name__)


def flush_before_backup(**kwargs):
    """Counts pending in Redis go into the database before a backup's snapshot."""
    from readership import counts

    try:
        counts.flush()
    except Exception:
        log.exception("Could not flush view counts before the backup: pending ones are not in it")


class ReadershipConfig(AppConfig):
    name = "readership"
    verbose_name = _("Readership")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from backups.signals import backup_starting
        from core import health
        from readership import checks  # noqa: F401  (registers the settings checks)
        from readership.health import view_store_answers

        health.register("view_store", view_store_answers)
        backup_starting.connect(flush_before_backup, dispatch_uid="readership-flush-backup")
