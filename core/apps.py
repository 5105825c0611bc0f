from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app leans on and that knows no news: the page cache, the resilient Redis
    cache backend, the Content-Security-Policy, SQLite checkpoints and the login lockout page."""

    name = "core"
    verbose_name = "Core"

    def ready(self):
        from core import checkpoints

        checkpoints.connect()
