"""The Writers and Editors groups keep their image permissions under the `media` app.

A database made before the move already has them (its content type moved with the model); a new
one gets them here, as `articles.0002` gave them when images were part of `articles`.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

WRITERS = ["add_image", "view_image"]
EDITORS = ["add_image", "change_image", "delete_image", "view_image"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("media")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("Writers", WRITERS), ("Editors", EDITORS)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="media", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("media", "0001_initial"),
        ("articles", "0002_editorial_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    # Backwards: the groups go with articles.0002; the permissions stay with the model.
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
