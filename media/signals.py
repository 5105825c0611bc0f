"""Signals the image library sends, for apps that point at its files (media knows none of them)."""

from django.dispatch import Signal

# Sent (sender=Image) after the transaction that replaced an image's file commits, before the old
# file is deleted. Arguments: `instance` (the Image), `old_name` and `new_name` (storage names).
image_file_replaced = Signal()
