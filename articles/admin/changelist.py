"""The article list: a status filter as editors think of it, light rows, and its columns."""

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from articles import workflow
from articles.models import Article
from media.admin import thumbnail_tag

Status = Article.Status


class StatusFilter(admin.SimpleListFilter):
    """Status as editors think of it: a scheduled article is not yet live."""

    title = _("status")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("draft", _("Draft")),
            ("review", _("In review")),
            ("live", _("Live")),
            ("scheduled", _("Scheduled")),
            ("expired", _("Expired")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        value = self.value()
        if value in (Status.DRAFT, Status.REVIEW):
            return queryset.filter(status=value)
        if value == "live":
            return queryset & Article.objects.live(now)
        if value == "scheduled":
            return queryset.filter(status=Status.PUBLISHED, published_at__gt=now)
        if value == "expired":
            return queryset.filter(status=Status.PUBLISHED, expires_at__lte=now)
        return queryset


class ArticleChangeList(ChangeList):
    """The list never loads bodies: a page of 100 long articles stays light."""

    def get_queryset(self, request, exclude_parameters=None):
        return super().get_queryset(request, exclude_parameters).defer("body", "search_vector")


class ArticleColumnsMixin:
    """The list's own columns (views and QR scans come from the readership and QR mixins)."""

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    @admin.display(description=_("image"))
    def thumbnail(self, obj):
        return thumbnail_tag(obj.cover)

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        state, label = workflow.status_label(obj)
        return format_html('<span class="nr-badge nr-badge--{}">{}</span>', state, label)

    @admin.display(description=_("author"), ordering="author__username")
    def author_name(self, obj):
        if obj.author is None:
            return obj.byline or "-"
        return obj.author.get_full_name() or obj.author.get_username()
