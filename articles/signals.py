"""Cache invalidation: what readers see follows what editors save."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Section
from .sections import forget_tree


@receiver([post_save, post_delete], sender=Section)
def section_changed(sender, **kwargs):
    forget_tree()
