"""Sections in the admin, each with how many articles it holds."""

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Section
from core.admin_pagination import COUNT_SECONDS, CachedCountPaginator
from core.pagecache import get_or_build


def article_counts():
    """{section id: how many articles it holds}: one grouped query over the section index,
    kept like the admin's other counts (not a join of every article on each load)."""
    return get_or_build(
        "newsroom:admin:section-article-counts",
        lambda: dict(Article.objects.order_by().values_list("section_id").annotate(n=Count("pk"))),
        timeout=COUNT_SECONDS,
    )


class SectionChangeList(ChangeList):
    """Each listed section carries its article count (`article_counts`)."""

    def get_results(self, request):
        super().get_results(request)
        counts = article_counts()
        for section in self.result_list:  # evaluates the page once; the template reuses it
            section.article_total = counts.get(section.pk, 0)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "position", "article_count"]
    list_editable = ["position"]
    list_select_related = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "description"]
    paginator = CachedCountPaginator
    show_full_result_count = False

    def get_changelist(self, request, **kwargs):
        return SectionChangeList

    @admin.display(description=_("articles"))
    def article_count(self, obj):
        return obj.article_total
