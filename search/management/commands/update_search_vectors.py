"""Rebuild the search index of all articles: PostgreSQL's stored vectors and trigram table
(search migration 0001), SQLite's FTS5 table; with the words of each article's pictures.

Saves and deletes keep both current; run this after a bulk import that bypassed save(), or
after changing the text search configuration (search/postgres.py) or the indexed text
(search/text.py). On SQLite the table (migration 0004) is made anew and filled; without it
(a SQLite build lacking FTS5) search scans the articles and there is nothing to do.
"""

from django.core.management.base import BaseCommand
from django.db import connection

from search import sqlite_index
from search.engine import update_search_vectors


class Command(BaseCommand):
    help = (
        "Rebuild the search index of all articles: the stored full-text vectors and the trigram "
        "table (search_text) on PostgreSQL, the FTS5 table (articles_search) on SQLite."
    )

    def handle(self, *args, **options):
        if connection.vendor == "sqlite":
            if not sqlite_index.is_ready():
                self.stdout.write(
                    "No SQLite search index (FTS5 missing?): search scans the articles, "
                    "nothing to do."
                )
                return
            done = update_search_vectors()
            self.stdout.write(self.style.SUCCESS(f"Rebuilt the search index of {done} articles."))
            return
        if connection.vendor != "postgresql":
            self.stdout.write("Not PostgreSQL or SQLite: search scans the articles, nothing to do.")
            return
        changed = update_search_vectors()
        self.stdout.write(self.style.SUCCESS(f"Updated search vectors of {changed} articles."))
