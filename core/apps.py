from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app leans on and that knows no news: the page cache, the resilient Redis
    cache backend, the Content-Security-Policy, SQLite checkpoints and the login lockout page."""

    name = "core"
    verbose_name = "Core"

    def ready(self):
        # Importing core.checks registers the settings checks.
        from core import checkpoints, checks, csp, health, media_origin  # noqa: F401

        checkpoints.connect()
        csp.connect()
        health.connect()
        media_origin.connect()
