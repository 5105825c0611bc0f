"""A profile change reaches every page that shows it: author pages, bylines, JSON-LD."""

from django.db.models.signals import pre_save

from core import pagecache
from core.text import clean_text_fields
from people.models import Author


def connect():
    """Called from PeopleConfig.ready."""
    pre_save.connect(clean_text_fields, sender=Author, dispatch_uid="newsroom-text-Author")
    pagecache.invalidate_on_change(Author)
