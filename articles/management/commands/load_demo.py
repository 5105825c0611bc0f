"""Load the demo newsroom. Idempotent: a second run adds nothing."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from articles.demo import content
from articles.demo.pictures import draw_picture, draw_portrait
from articles.models import Article, Section
from media.models import Image
from people.models import Author
from readership.models import DailyStat


class Command(BaseCommand):
    help = "Load demo sections, articles and images (safe to run twice)."

    @transaction.atomic
    def handle(self, *args, **options):
        sections = self.load_sections()
        images = self.load_images()
        authors = self.load_authors()
        created = 0
        by_slug = {}
        for data in [*content.ARTICLES, *content.TRANSLATIONS]:
            data = {**data, "author": authors.get(data.get("author"))}
            article, was_created = self.load_article(data, sections, images, by_slug)
            by_slug[data["slug"]] = article
            created += was_created
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content ready: {len(sections)} sections, {len(images)} images, "
                f"{created} new articles."
            )
        )

    def load_sections(self):
        sections = {}
        for slug, name, parent, position, description in content.SECTIONS:
            sections[slug], _ = Section.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "parent": sections.get(parent),
                    "position": position,
                    "description": description,
                },
            )
        return sections

    def load_images(self):
        images = {}
        for index, (key, kind, title, alt, caption, credit) in enumerate(content.IMAGES):
            image = Image.objects.filter(title=title).first()
            if image is None:
                image = Image(title=title, alt_text=alt, caption=caption, credit=credit)
                image.file.save(
                    f"{key}.jpg", ContentFile(draw_picture(kind, seed=index)), save=False
                )
                image.save()
            images[key] = image
        return images

    def load_authors(self):
        """{username: user} of the demo's writers, each with an author page and portrait."""
        users = {}
        for username, name, slug, role, bio, seed in content.AUTHORS:
            first, last = name.split(" ", 1)
            user, created = get_user_model().objects.get_or_create(
                username=username, defaults={"first_name": first, "last_name": last}
            )
            if created:
                user.set_unusable_password()  # a byline, not an account anyone signs in to
                user.save(update_fields=["password"])
            if not Author.objects.filter(user=user).exists():
                photo = Image(title=f"Portrait: {name}", alt_text=f"Portrait of {name}")
                photo.file.save(f"{slug}.jpg", ContentFile(draw_portrait(seed)), save=False)
                photo.save()
                Author.objects.create(
                    user=user, name=name, slug=slug, role=role, bio=bio, photo=photo
                )
            users[username] = user
        return users

    def figure(self, image):
        size = f' width="{image.width}" height="{image.height}"' if image.width else ""
        return (
            f'<figure><img src="{image.file.url}" alt="{escape(image.alt_text)}"{size}>'
            f"<figcaption>{escape(image.caption)}</figcaption></figure>"
        )

    def load_article(self, data, sections, images, by_slug):
        section = sections[data["section"]]
        existing = Article.objects.filter(section=section, slug=data["slug"]).first()
        if existing:
            return existing, False
        body = data["body"]
        for key, image in images.items():
            body = body.replace(f"{{img:{key}}}", self.figure(image))
        now = timezone.now().replace(minute=5, second=0, microsecond=0)
        published_at = None
        if not data.get("draft"):
            published_at = (now - timedelta(days=data["days_ago"])).replace(hour=data["hour"])
        article = Article.objects.create(
            title=data["title"],
            slug=data["slug"],
            section=section,
            language=data.get("language", "en"),
            translation_of=by_slug.get(data.get("translation_of")),
            summary=data["summary"],
            body=body,
            cover=images.get(data.get("cover")),
            byline=data.get("byline", ""),
            author=data["author"],
            featured=data.get("featured", False),
            status=Article.Status.DRAFT if data.get("draft") else Article.Status.PUBLISHED,
            published_at=published_at,
        )
        article.tags.set(data.get("tags", []))
        self.seed_views(article, data.get("views", 0))
        return article, True

    def seed_views(self, article, total):
        """Spread the demo's counted views over the last week, so "most read" has data."""
        if not total or not article.is_live:
            return
        today = timezone.localdate()
        shares = [0.3, 0.22, 0.16, 0.12, 0.09, 0.07, 0.04]
        rows = [
            DailyStat(article=article, day=today - timedelta(days=i), views=int(total * share))
            for i, share in enumerate(shares)
        ]
        rows[0].views += total - sum(r.views for r in rows)
        DailyStat.objects.bulk_create(rows)
        Article.objects.filter(pk=article.pk).update(views=total)
