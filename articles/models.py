"""The content model: sections and articles (images: `media`, daily counts: `readership`).

Counters (`views`, `qr_scans`) are only ever changed with atomic UPDATEs
(see `readership.counts`); `Article.save()` never writes them back, so an editor
saving a stale form cannot erase views counted meanwhile.
"""

import secrets

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager

from articles.sanitize import sanitize_html
from core.site_url import absolute_url

# Counters and derived columns that a normal save must not overwrite.
COUNTER_FIELDS = ("views", "qr_scans")
DERIVED_FIELDS = (*COUNTER_FIELDS, "search_vector")
SHORT_CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/l/i: readable off paper
SHORT_CODE_LENGTH = 6
# What a list item shows besides the article: loaded in the same query.
LIST_FIELDS = ("cover", "section")
RELATED_CANDIDATES = 200


# Models besides Article whose `short_code` shares the /s/<code>/ links (qr registers its
# placements at start-up): a new code must be free in all of them.
SHORT_CODE_HOLDERS = []


def new_short_code():
    """A random code; short_code_taken() says whether it is free (saving an article checks)."""
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH))


def short_code_taken(code):
    """Whether an article or a registered holder (a QR placement) already has `code`."""
    return any(
        model._default_manager.filter(short_code=code).exists()
        for model in (Article, *SHORT_CODE_HOLDERS)
    )


def unused_short_code():
    """A new short code, taken neither by an article nor by a placement (links never collide)."""
    while True:
        code = new_short_code()
        if not short_code_taken(code):
            return code


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

    def clean(self):
        """A section cannot sit inside itself: its pages and feeds would walk a loop."""
        super().clean()
        if self.pk is None or self.parent_id is None:
            return
        seen, current = set(), self.parent
        while current is not None and current.pk not in seen:
            if current.pk == self.pk:
                raise ValidationError(
                    {
                        "parent": _(
                            "“%(parent)s” is this section or one of its subsections: "
                            "choose a parent outside it."
                        )
                        % {"parent": self.parent}
                    },
                    code="section_cycle",
                )
            seen.add(current.pk)
            current = current.parent


class ArticleQuerySet(models.QuerySet):
    """The questions the reader's pages ask, each answered in one query."""

    def live(self, now=None):
        """Published, due and not expired: a future time of issue schedules an article, and an
        unpublish time (`expires_at`) takes it off the site, with no cron job."""
        now = now or timezone.now()
        return self.filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now),
            status=Article.Status.PUBLISHED,
            published_at__lte=now,
        )

    def listed(self):
        """Live articles with what a list item shows (cover, section), newest first."""
        return (
            self.live()
            .select_related(*LIST_FIELDS)
            .defer("body", "search_vector")
            .order_by("-published_at", "-id")
        )

    def for_article_page(self, neighbours=None):
        """What an article's page shows: its section, cover and author, and its neighbours
        (chosen among `neighbours`, default: every live article)."""
        return (
            self.select_related("section", "cover", "author__author_profile")
            .defer("search_vector")
            .with_neighbours(neighbours)
        )

    def with_neighbours(self, candidates=None):
        """Annotate the previous/next article of the same section among `candidates` (live
        articles; default all of them): title, slug and language."""
        candidates = Article.objects.live() if candidates is None else candidates
        same_section = candidates.filter(section_id=OuterRef("section_id"))
        older = same_section.filter(published_at__lt=OuterRef("published_at")).order_by(
            "-published_at", "-id"
        )
        newer = same_section.filter(published_at__gt=OuterRef("published_at")).order_by(
            "published_at", "id"
        )
        return self.annotate(
            previous_title=Subquery(older.values("title")[:1]),
            previous_slug=Subquery(older.values("slug")[:1]),
            previous_language=Subquery(older.values("language")[:1]),
            next_title=Subquery(newer.values("title")[:1]),
            next_slug=Subquery(newer.values("slug")[:1]),
            next_language=Subquery(newer.values("language")[:1]),
        )

    def latest_by_section(self, section_ids, per_section=4):
        """{section id: its newest live articles}, in one windowed query."""
        ranked = (
            self.listed()
            .filter(section_id__in=section_ids)
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F("section_id")],
                    order_by=[F("published_at").desc(), F("id").desc()],
                )
            )
        )
        grouped = {pk: [] for pk in section_ids}
        for article in ranked.filter(rank__lte=per_section):
            grouped[article.section_id].append(article)
        return grouped

    def related_to(self, article, limit=4):
        """Live articles (of this queryset: `articles.languages` narrows it to a reader's
        language) sharing the article's section or tags, most shared tags first.

        Candidates are bounded: the section's newest and the newest sharing a tag, at most
        RELATED_CANDIDATES each (index-backed subqueries), so the cost does not grow with the
        site.
        """
        tag_ids = Article.objects.filter(pk=article.pk, tags__isnull=False).values("tags__id")
        same_section = (
            Article.objects.live()
            .filter(section_id=article.section_id)
            .order_by("-published_at")
            .values("pk")[:RELATED_CANDIDATES]
        )
        tagged = (
            Article.tags.through.objects.filter(
                tag_id__in=tag_ids,
                content_type__app_label=Article._meta.app_label,
                content_type__model=Article._meta.model_name,
            )
            .order_by("-object_id")
            .values("object_id")[:RELATED_CANDIDATES]
        )
        return list(
            self.listed()
            .filter(Q(pk__in=same_section) | Q(pk__in=tagged))
            .exclude(pk=article.pk)
            .annotate(shared_tags=Count("tags", filter=Q(tags__in=tag_ids), distinct=True))
            .order_by("-shared_tags", "-published_at", "-id")[:limit]
        )


def short_url(code):
    """The absolute short link of a short code (`Article.get_short_url`)."""
    return absolute_url(reverse("qr:short_link", args=[code]))


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
        "media.Image",
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
    expires_at = models.DateTimeField(
        _("unpublish time"),
        null=True,
        blank=True,
        help_text=_(
            "Optional. At this time the article leaves the site by itself: lists, feeds, "
            "sitemaps, search and the API stop showing it."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    featured = models.BooleanField(_("featured"), default=False)
    views = models.PositiveBigIntegerField(_("views"), default=0, editable=False)
    qr_scans = models.PositiveBigIntegerField(_("QR scans"), default=0, editable=False)
    short_code = models.CharField(
        _("short code"), max_length=16, unique=True, editable=False, default=new_short_code
    )
    # Filled on PostgreSQL only (see search/postgres.py); a plain unused column elsewhere.
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
            # Live lists and counts: the unpublish time rides along, so counting live
            # articles reads the index alone.
            models.Index(
                fields=["section", "status", "-published_at", "expires_at"],
                name="article_section_live",
            ),
            models.Index(fields=["status", "-published_at", "expires_at"], name="article_live"),
            # A reader's language (articles.languages): its live translations off the index alone.
            models.Index(
                fields=["language", "status", "-published_at", "expires_at", "translation_of"],
                name="article_language_live",
            ),
            models.Index(fields=["featured", "status", "-published_at"], name="article_featured"),
            # The admin's article list, newest first: a page's ids read off the index alone.
            models.Index(fields=["-published_at", "-id"], name="article_newest"),
            # When the next article leaves the site (articles.cached.next_due).
            models.Index(fields=["status", "expires_at"], name="article_expiry"),
        ]
        permissions = [
            ("publish_article", _("Can publish, unpublish and schedule articles")),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        # Random codes collide now and then on a big site (the column is unique): draw again.
        if self._state.adding and short_code_taken(self.short_code):
            self.short_code = unused_short_code()
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
        """The page in the article's own language (prefixed unless the default one)."""
        with translation.override(self.language):
            return reverse("articles:article", args=[self.section.slug, self.slug])

    def get_full_url(self):
        return absolute_url(self.get_absolute_url())

    def get_short_url(self):
        """The absolute short link printed in QR codes; survives slug and section changes."""
        return short_url(self.short_code)

    def clean(self):
        """The unpublish time must come after the time of issue (or now, when that is empty)."""
        super().clean()
        if self.expires_at is None:
            return
        start = self.published_at
        if start is None and self.status == self.Status.PUBLISHED:
            start = timezone.now()
        if start is not None and self.expires_at <= start:
            raise ValidationError(
                {"expires_at": _("The unpublish time must be after the time of issue.")},
                code="expires_before_issue",
            )

    @property
    def is_live(self):
        now = timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
            and not self.is_expired
        )

    @property
    def is_expired(self):
        """Published, and its unpublish time has passed: off the site, as a draft would be."""
        return (
            self.status == self.Status.PUBLISHED
            and self.expires_at is not None
            and self.expires_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )
