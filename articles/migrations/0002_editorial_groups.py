"""The Writers and Editors groups, with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

WRITERS = [
    "add_article", "change_article", "view_article",
    "view_section",
    "add_image", "view_image",
]  # fmt: skip
EDITORS = [
    "add_article", "change_article", "delete_article", "view_article", "publish_article",
    "add_section", "change_section", "delete_section", "view_section",
    "add_image", "change_image", "delete_image", "view_image",
]  # fmt: skip


def create_groups(apps, schema_editor):
    # Permissions are normally made after migrate; make them now so the groups can hold them.
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("Writers", WRITERS), ("Editors", EDITORS)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
        )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Writers", "Editors"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
