"""Daily counts and the flush ledger move here, keeping every row.

`DailyStat` keeps its table (`articles_dailystat`): only Django's state changes. The ledger's
table, made by the former `counter_ledger` app, is renamed to this app's; on a new database it
is made here.
"""

import django.db.models.deletion
from django.db import migrations, models

import core.migration_ops

OLD_LEDGER_TABLE = "counter_ledger_appliedbatch"


def adopt_ledger(apps, schema_editor):
    model = apps.get_model("readership", "AppliedBatch")
    tables = schema_editor.connection.introspection.table_names()
    if OLD_LEDGER_TABLE in tables:
        schema_editor.alter_db_table(model, OLD_LEDGER_TABLE, model._meta.db_table)
    elif model._meta.db_table not in tables:
        schema_editor.create_model(model)


def drop_ledger(apps, schema_editor):
    schema_editor.delete_model(apps.get_model("readership", "AppliedBatch"))


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("articles", "0004_sqlite_search_index"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DailyStat",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("day", models.DateField()),
                        ("views", models.PositiveBigIntegerField(default=0)),
                        ("qr_scans", models.PositiveBigIntegerField(default=0)),
                        (
                            "article",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="daily_stats",
                                to="articles.article",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "daily count",
                        "verbose_name_plural": "daily counts",
                        "db_table": "articles_dailystat",
                        "indexes": [models.Index(fields=["day", "article"], name="dailystat_day")],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("article", "day"), name="dailystat_article_day_unique"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="AppliedBatch",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=100, unique=True)),
                        ("applied_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                    ],
                    options={
                        "verbose_name": "applied count batch",
                        "verbose_name_plural": "applied count batches",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(adopt_ledger, drop_ledger),
        core.migration_ops.move_content_type("dailystat", "articles", "readership"),
        core.migration_ops.move_content_type("appliedbatch", "counter_ledger", "readership"),
    ]
