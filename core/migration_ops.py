"""Migration helpers for models that moved from one app to another with their tables."""

from django.db import migrations


def _relabel(model, old_app, new_app):
    def relabel(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        types = ContentType.objects.using(schema_editor.connection.alias)
        if not types.filter(app_label=new_app, model=model).exists():
            types.filter(app_label=old_app, model=model).update(app_label=new_app)

    return relabel


def move_content_type(model, from_app, to_app):
    """Give `model`'s content type to `to_app`, so its permissions (and the groups holding
    them) and the admin's log entries follow the model; reversible."""
    return migrations.RunPython(
        _relabel(model, from_app, to_app), _relabel(model, to_app, from_app), elidable=False
    )
