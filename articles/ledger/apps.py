from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "articles.ledger"
    label = "counter_ledger"
    verbose_name = "View count ledger"
    default_auto_field = "django.db.models.BigAutoField"
