"""Generate a large newsroom for scale tests and the benchmark: fast and reproducible.

`python manage.py generate_articles --count 100000 --seed 1` adds 100,000 live articles
spread over the last year in the existing sections (the demo's, or a few it makes), each
with a daily view row for its first days online, so "most read" and the editors' charts
work on realistic data. bulk_create in batches inside one transaction, then the search
index in bulk, so a large site is made in minutes. The same seed gives the same site.
"""

import random
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from articles.models import SHORT_CODE_ALPHABET, SHORT_CODE_LENGTH, Article, Section
from readership.models import DailyStat

WORDS = (  # noqa: SIM905  (a paragraph reads better than 60 quoted words)
    "harbor automation robot line factory port city council forum supply chain energy solar "
    "grid battery vision sensor welding paint logistics crane container training apprentice "
    "export order plant upgrade safety record quarter growth partner award research lab "
    "prototype software platform network cloud data river bridge district school hospital "
    "market price steel chip motor drive conveyor warehouse fleet drone inspection quality"
).split()
PARAGRAPH_WORDS = (30, 70)
BATCH = 2000
DEFAULT_SECTIONS = [
    ("generated-news", "Generated news", None),
    ("generated-business", "Business", "generated-news"),
    ("generated-technology", "Technology", "generated-news"),
    ("generated-city", "City", "generated-news"),
]


class Command(BaseCommand):
    help = "Add COUNT generated live articles with a year of daily view rows (for scale tests)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=1, help="same seed, same articles")
        parser.add_argument(
            "--days", type=int, default=365, help="spread times of issue over this many days"
        )
        parser.add_argument(
            "--views-days",
            type=int,
            default=10,
            help="daily view rows per article (its first days online); 0 for none",
        )

    def handle(self, *args, count, seed, days, views_days, **options):
        if count < 0 or days < 1 or views_days < 0:
            raise CommandError("--count, --views-days must be >= 0 and --days >= 1")
        started = time.monotonic()
        rng = random.Random(seed)  # noqa: S311  (reproducible fake content, not secrets)
        with transaction.atomic():
            sections = self.leaf_sections()
            made = self.make_articles(rng, count, days, sections)
            rows = self.make_daily_rows(rng, made, views_days) if views_days else 0
        self.index_for_search(made)
        self.refresh_statistics()
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {len(made)} articles and {rows} daily view rows in "
                f"{time.monotonic() - started:.1f} s (seed {seed})."
            )
        )

    def leaf_sections(self):
        sections = list(Section.objects.all())
        if not sections:
            made = {}
            for slug, name, parent in DEFAULT_SECTIONS:
                made[slug] = Section.objects.create(
                    slug=slug, name=name, parent=made.get(parent), position=len(made)
                )
            sections = list(made.values())
        parents = {s.parent_id for s in sections}
        return [s for s in sections if s.pk not in parents] or sections

    def make_articles(self, rng, count, days, sections):
        now = timezone.now().replace(microsecond=0)
        used_codes = set(Article.objects.values_list("short_code", flat=True))
        # Slugs carry the seed and a running number, so a second run never collides.
        run = f"{rng.randrange(36**4):04x}{Article.objects.count()}"
        made = []
        batch = []
        for n in range(count):
            words = rng.sample(WORDS, rng.randint(4, 9))
            title = " ".join(words).capitalize()
            code = self.short_code(rng, used_codes)
            section = rng.choice(sections)
            published = now - timedelta(seconds=rng.randrange(days * 86400))
            batch.append(
                Article(
                    title=title,
                    slug=f"{slugify(title)[:150]}-{run}-{n}",
                    section=section,
                    summary=self.sentence(rng, 18, 30),
                    body=self.body(rng),
                    status=Article.Status.PUBLISHED,
                    published_at=published,
                    byline=f"Staff reporter {rng.randint(1, 40)}",
                    featured=rng.random() < 0.01,
                    short_code=code,
                )
            )
            if len(batch) == BATCH:
                made += self.flush(batch)
                batch = []
        if batch:
            made += self.flush(batch)
        return made

    def flush(self, batch):
        created = Article.objects.bulk_create(batch)
        if created and created[0].pk is None:  # backends without RETURNING on bulk insert
            codes = [a.short_code for a in batch]
            ids = dict(Article.objects.filter(short_code__in=codes).values_list("short_code", "pk"))
            for article in batch:
                article.pk = ids[article.short_code]
        self.stdout.write(f"  {len(batch)} articles", ending="\r")
        return [(a.pk, a.published_at) for a in created]

    def make_daily_rows(self, rng, made, views_days):
        today = timezone.localdate()
        totals = {}
        rows = []
        written = 0
        for pk, published in made:
            first = timezone.localtime(published).date()
            base = rng.randint(5, 400)
            for offset in range(views_days):
                day = first + timedelta(days=offset)
                if day > today:
                    break
                views = max(0, int(base / (offset + 1) * rng.uniform(0.6, 1.4)))
                totals[pk] = totals.get(pk, 0) + views
                rows.append(DailyStat(article_id=pk, day=day, views=views))
            if len(rows) >= BATCH * 5:
                DailyStat.objects.bulk_create(rows)
                written += len(rows)
                rows = []
        if rows:
            DailyStat.objects.bulk_create(rows)
            written += len(rows)
        self.set_totals(totals)
        return written

    def set_totals(self, totals):
        """Article totals = the sum of their daily rows, in batched UPDATEs."""
        table = connection.ops.quote_name(Article._meta.db_table)
        items = list(totals.items())
        with connection.cursor() as cursor:
            for start in range(0, len(items), 500):
                chunk = items[start : start + 500]
                cases = " ".join("WHEN %s THEN %s" for _ in chunk)
                params = [v for pair in chunk for v in pair] + [pk for pk, _ in chunk]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"UPDATE {table} SET views = CASE id {cases} END "  # noqa: S608
                    f"WHERE id IN ({marks})",
                    params,
                )

    def index_for_search(self, made):
        """Search vectors (PostgreSQL) or index rows (SQLite) for what bulk_create skipped."""
        if not made:
            return
        from search import engine

        ids = sorted(pk for pk, _ in made)
        for start in range(0, len(ids), 20000):
            chunk = ids[start : start + 20000]
            # A range, not 20,000 parameters: one run's ids are consecutive, and redoing an
            # article in between (another run's) is harmless.
            engine.update_search_vectors(Article.objects.filter(pk__range=(chunk[0], chunk[-1])))

    @staticmethod
    def refresh_statistics():
        """PostgreSQL plans by its statistics, which autovacuum refreshes only a while after a
        bulk load: until then the search planned from an empty table (docs/decisions.md)."""
        if connection.vendor == "postgresql":
            tables = [Article._meta.db_table, DailyStat._meta.db_table, "search_text"]
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {', '.join(tables)}")

    @staticmethod
    def short_code(rng, used):
        while True:
            code = "".join(rng.choice(SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH))
            if code not in used:
                used.add(code)
                return code

    @staticmethod
    def sentence(rng, low, high):
        return " ".join(rng.choices(WORDS, k=rng.randint(low, high))).capitalize() + "."

    def body(self, rng):
        parts = []
        for index in range(rng.randint(2, 4)):
            if index:
                parts.append(f"<h2>{self.sentence(rng, 2, 5)[:-1]}</h2>")
            for _ in range(rng.randint(1, 3)):
                parts.append(f"<p>{self.sentence(rng, *PARAGRAPH_WORDS)}</p>")
        return "".join(parts)
