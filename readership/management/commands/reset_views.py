"""Set articles' view counts (and optionally QR-scan counts) back to zero."""

import redis
from django.core.management.base import BaseCommand, CommandError

from articles.models import Article
from readership import counts


def find_article(ref):
    """An article by id, short code, "section/slug", or a slug that is unique."""
    ref = ref.strip().strip("/")
    if ref.isdigit():
        found = Article.objects.filter(pk=int(ref))
    elif "/" in ref:
        section_slug, _, slug = ref.rpartition("/")
        found = Article.objects.filter(section__slug=section_slug.split("/")[-1], slug=slug)
    else:
        found = Article.objects.filter(short_code=ref) or Article.objects.filter(slug=ref)
    found = list(found[:2])
    if not found:
        raise CommandError(f"No article matches {ref!r}.")
    if len(found) > 1:
        raise CommandError(f"{ref!r} matches several articles: give section/slug or the id.")
    return found[0]


class Command(BaseCommand):
    help = (
        "Reset articles' view counts to zero: the total, the daily counts and any pending "
        "count. Articles are given by id, short code, section/slug or a unique slug."
    )

    def add_arguments(self, parser):
        parser.add_argument("articles", nargs="+", metavar="ARTICLE")
        parser.add_argument("--scans", action="store_true", help="Reset QR-scan counts as well.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            dest="interactive",
            action="store_false",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, articles, scans, interactive, verbosity=1, **options):
        found = [find_article(ref) for ref in articles]
        fields = ("views", "qr_scans") if scans else ("views",)
        what = " and ".join(f.replace("_", " ") for f in fields).replace("qr", "QR")
        if interactive:
            names = "\n".join(f"  {a.pk}: {a.title} ({a.views} views)" for a in found)
            answer = input(f"Reset {what} to zero for:\n{names}\nType 'yes' to continue: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Cancelled; nothing changed.")
        for article in found:
            try:
                counts.reset(article.pk, fields)
            except redis.RedisError as exc:
                raise CommandError(
                    f"Redis is unreachable ({exc}); {article.pk} not reset."
                ) from exc
            if verbosity:
                self.stdout.write(f"Reset {what} of {article.pk}: {article.title}")
