"""Writers and Editors may add QR placements (writers to their own articles: `qr.admin`)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

WRITERS = ["add_placement", "change_placement", "view_placement"]
EDITORS = ["add_placement", "change_placement", "delete_placement", "view_placement"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("qr")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("Writers", WRITERS), ("Editors", EDITORS)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="qr", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("qr", "0001_placements"),
        ("articles", "0002_editorial_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    # Backwards: the groups go with articles.0002; the permissions stay with the model.
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
