"""The content model: sections, articles, images and daily counts.

Counters (`views`, `qr_scans`) are only ever changed with atomic UPDATEs
(see `counters.py`); `Article.save()` never writes them back, so an editor
saving a stale form cannot erase views counted meanwhile.
"""

import secrets

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager

from .sanitize import sanitize_html

# Counters and derived columns that a normal save must not overwrite.
COUNTER_FIELDS = ("views", "qr_scans")
DERIVED_FIELDS = (*COUNTER_FIELDS, "search_vector")
SHORT_CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/l/i: readable off paper
SHORT_CODE_LENGTH = 6


def new_short_code():
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH))


class Section(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent section"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:section", args=[self.slug])


class ArticleQuerySet(models.QuerySet):
    def live(self, now=None):
        """Published and due: a future time of issue schedules an article with no cron job."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=now or timezone.now())


def short_url(code):
    """The absolute short link of a short code (`Article.get_short_url`)."""
    return settings.SITE_URL + reverse("articles:short_link", args=[code])


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200)
    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.PROTECT, related_name="articles"
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
        help_text=_("The original article this one translates."),
    )
    summary = models.TextField(_("summary"), max_length=500, blank=True)
    body = models.TextField(_("body"), blank=True)
    cover = models.ForeignKey(
        "Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    byline = models.CharField(_("byline"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("time of issue"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    featured = models.BooleanField(_("featured"), default=False)
    views = models.PositiveBigIntegerField(_("views"), default=0, editable=False)
    qr_scans = models.PositiveBigIntegerField(_("QR scans"), default=0, editable=False)
    short_code = models.CharField(
        _("short code"), max_length=16, unique=True, editable=False, default=new_short_code
    )
    # Filled on PostgreSQL only (see search.py); a plain unused column elsewhere.
    search_vector = SearchVectorField(null=True, editable=False)

    tags = TaggableManager(_("tags"), blank=True)
    history = HistoricalRecords(
        excluded_fields=["views", "qr_scans", "search_vector", "short_code", "updated_at"]
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.UniqueConstraint(
                fields=["section", "slug"], name="article_slug_unique_in_section"
            )
        ]
        indexes = [
            models.Index(
                fields=["section", "status", "-published_at"], name="article_section_live"
            ),
            models.Index(fields=["status", "-published_at"], name="article_live"),
            models.Index(fields=["featured", "status", "-published_at"], name="article_featured"),
        ]
        permissions = [
            ("publish_article", _("Can publish, unpublish and schedule articles")),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        if self.pk and not self._state.adding and kwargs.get("update_fields") is None:
            # Never write counters back from a possibly stale instance.
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in DERIVED_FIELDS
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:article", args=[self.section.slug, self.slug])

    def get_full_url(self):
        return settings.SITE_URL + self.get_absolute_url()

    def get_short_url(self):
        """The absolute short link printed in QR codes; survives slug and section changes."""
        return short_url(self.short_code)

    @property
    def is_live(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )


def image_upload_to(instance, filename):
    return timezone.now().strftime("images/%Y/%m/") + filename


class Image(models.Model):
    """An image of the library, used as a cover or inside article bodies."""

    file = models.ImageField(_("file"), upload_to=image_upload_to, max_length=255)
    title = models.CharField(_("title"), max_length=200)
    alt_text = models.CharField(
        _("alt text"),
        max_length=300,
        help_text=_("Describes the image for readers who cannot see it."),
    )
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    credit = models.CharField(_("credit"), max_length=200, blank=True)
    width = models.PositiveIntegerField(_("width"), null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True, editable=False)
    # sha256 of the stored (cleaned) file: rendition names are keyed by it.
    file_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    # {"<width>.<format>": {"name": storage name, "width": w, "height": h}, ...}
    renditions = models.JSONField(default=dict, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self):
        return self.title


class DailyStat(models.Model):
    """One row per article and day: trends and "most read this week" need no log table."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="daily_stats")
    day = models.DateField()
    views = models.PositiveBigIntegerField(default=0)
    qr_scans = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "day"], name="dailystat_article_day_unique")
        ]
        indexes = [models.Index(fields=["day", "article"], name="dailystat_day")]
        verbose_name = _("daily count")
        verbose_name_plural = _("daily counts")

    def __str__(self):
        return f"{self.article_id} {self.day}: {self.views} views, {self.qr_scans} scans"
