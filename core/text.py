"""Plain text as every model stores it: no control characters."""

import re

from django.db import models

# C0 controls (but tab, newline, carriage return) and DEL: XML 1.0 cannot carry them, so one
# in a title would break the feeds and sitemaps, and no reader wants them anywhere.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_control_characters(value):
    return CONTROL_CHARACTERS.sub("", value)


def clean_text_fields(sender, instance, **kwargs):
    """pre_save: drop control characters from every text field, whoever saves the row.

    At the model, not the form, so the admin, the API, imports and the shell share it.
    """
    for field in sender._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField):
            value = getattr(instance, field.attname)
            if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
                setattr(instance, field.attname, strip_control_characters(value))
