"""The audit log in the admin: read-only, for those who may change articles.

Editors (who may publish) read all of it; writers only what they did themselves, since the
log names other writers' drafts.

Newest first through an index, filtered by person and article through indexes of their own;
the paginator never counts the whole table (see `audit.pagination`).
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from articles import workflow
from audit.models import AuditEntry
from audit.pagination import EstimatedCountPaginator

CHANGE_ARTICLES = "articles.change_article"


class PersonFilter(admin.SimpleListFilter):
    """Filter by who did it: staff users (a small table), never a scan of the log."""

    title = _("person")
    parameter_name = "actor"

    def lookups(self, request, model_admin):
        staff = get_user_model().objects.filter(is_staff=True).order_by("username")
        return [(str(user.pk), user.get_username()) for user in staff]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        return queryset.filter(actor_id=int(value)) if value.isdigit() else queryset.none()


class ArticleIdFilter(admin.SimpleListFilter):
    """Filter by article id (the list links each title to its article's entries)."""

    title = _("article")
    parameter_name = "article_id"

    def lookups(self, request, model_admin):
        return []

    def has_output(self):
        return True

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("All"),
        }

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        return queryset.filter(article_id=int(value)) if value.isdigit() else queryset.none()


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_name", "action", "article_link", "detail"]
    list_display_links = None
    list_filter = ["action", PersonFilter, ArticleIdFilter]
    list_per_page = 50
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    date_hierarchy = None
    ordering = ["-at", "-id"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if workflow.can_publish(request.user):
            return queryset
        return queryset.filter(actor=request.user)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.has_perm(CHANGE_ARTICLES)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}

    @admin.display(description=_("article"), ordering="article_title")
    def article_link(self, entry):
        if entry.article_id is None:
            return entry.article_title or "-"
        try:
            url = reverse("admin:articles_article_change", args=[entry.article_id])
        except NoReverseMatch:
            url = ""
        filter_url = f"?article_id={entry.article_id}"
        return format_html(
            '<a href="{}">{}</a> <a href="{}" class="nr-audit-filter">({})</a>',
            url,
            entry.article_title or entry.article_id,
            filter_url,
            _("all entries"),
        )
