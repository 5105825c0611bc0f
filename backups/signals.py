"""Sent before a backup's snapshot, so apps that buffer writes (readership's Redis view store)
put them in the database first."""

from django.dispatch import Signal

backup_starting = Signal()
