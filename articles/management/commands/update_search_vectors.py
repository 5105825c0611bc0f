"""Recompute every article's stored search vector (PostgreSQL; a no-op elsewhere).

Saves keep vectors current; run this after a bulk import that bypassed save(), or after
changing the text search configuration in articles/search.py.
"""

from django.core.management.base import BaseCommand
from django.db import connection

from articles.search import update_search_vectors


class Command(BaseCommand):
    help = "Recompute the stored full-text search vectors of all articles (PostgreSQL only)."

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            self.stdout.write("Not PostgreSQL: search uses the portable fallback, nothing to do.")
            return
        changed = update_search_vectors()
        self.stdout.write(self.style.SUCCESS(f"Updated search vectors of {changed} articles."))
