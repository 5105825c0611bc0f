"""Images moved to `media`, daily counts to `readership`: in Django's state only, so the
tables, rows and foreign keys stay exactly as they are."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_sqlite_search_index"),
        ("media", "0002_editorial_groups"),
        ("readership", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="article",
                    name="cover",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="media.image",
                        verbose_name="cover image",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalarticle",
                    name="cover",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="media.image",
                        verbose_name="cover image",
                    ),
                ),
                migrations.DeleteModel(name="Image"),
                migrations.DeleteModel(name="DailyStat"),
            ],
            database_operations=[],
        ),
    ]
