"""The image library moves here from `articles`, keeping its table (`articles_image`), rows,
files and permissions: the model changes app in Django's state only."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import core.migration_ops
import media.models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        # The table is made there, on a new database as on one made before the move.
        ("articles", "0004_sqlite_search_index"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Image",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "file",
                            models.ImageField(
                                max_length=255,
                                upload_to=media.models.image_upload_to,
                                verbose_name="file",
                            ),
                        ),
                        ("title", models.CharField(max_length=200, verbose_name="title")),
                        (
                            "alt_text",
                            models.CharField(
                                help_text="Describes the image for readers who cannot see it.",
                                max_length=300,
                                verbose_name="alt text",
                            ),
                        ),
                        (
                            "caption",
                            models.CharField(blank=True, max_length=500, verbose_name="caption"),
                        ),
                        (
                            "credit",
                            models.CharField(blank=True, max_length=200, verbose_name="credit"),
                        ),
                        (
                            "width",
                            models.PositiveIntegerField(
                                blank=True, editable=False, null=True, verbose_name="width"
                            ),
                        ),
                        (
                            "height",
                            models.PositiveIntegerField(
                                blank=True, editable=False, null=True, verbose_name="height"
                            ),
                        ),
                        (
                            "file_hash",
                            models.CharField(
                                blank=True, db_index=True, editable=False, max_length=64
                            ),
                        ),
                        (
                            "renditions",
                            models.JSONField(blank=True, default=dict, editable=False),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="uploaded"),
                        ),
                        (
                            "uploaded_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "image",
                        "verbose_name_plural": "images",
                        "db_table": "articles_image",
                        "ordering": ["-created_at", "-id"],
                    },
                ),
            ],
            database_operations=[],
        ),
        core.migration_ops.move_content_type("image", "articles", "media"),
    ]
