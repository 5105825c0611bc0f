"""The article's admin: who sees and changes what, its page's panels, and how it is saved."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from articles import workflow
from articles.admin.actions import WorkflowActionsMixin
from articles.admin.changelist import ArticleColumnsMixin, StatusFilter
from articles.admin.editor_media import with_csp_nonce
from articles.admin.fieldsets import PANEL_FIELDS, article_fieldsets
from articles.admin.revisions import RevisionsMixin
from articles.forms import ArticleAdminForm
from articles.models import DERIVED_FIELDS, Article
from core.admin_pagination import CachedCountPaginator
from qr.admin import ArticleQRAdminMixin
from readership.admin import ArticleStatsAdminMixin
from search.admin import ArticleSearchAdminMixin

ADMIN_CSS = {"all": ["css/admin-newsroom.css"]}
# Never written by the article form or a restored revision: counters, derived
# columns, and the short code that printed QR codes point to.
NOT_SAVED_BY_FORM = (*DERIVED_FIELDS, "short_code")


@admin.register(Article)
class ArticleAdmin(
    WorkflowActionsMixin,
    RevisionsMixin,
    ArticleColumnsMixin,
    ArticleStatsAdminMixin,
    ArticleQRAdminMixin,
    ArticleSearchAdminMixin,
    SimpleHistoryAdmin,
):
    form = ArticleAdminForm
    change_form_template = "admin/articles/article/change_form.html"
    list_display = [
        "thumbnail",
        "title",
        "section",
        "status_badge",
        "published_at",
        "views",
        "qr_scans",
        "author_name",
    ]
    list_display_links = ["title"]
    list_filter = [StatusFilter, "section", "featured", "published_at", "language"]
    list_select_related = ["section", "cover", "author"]
    list_per_page = 50  # a screenful or two; each row is rendered with a thumbnail and badges
    # Cheap at any size: counts cached per change, pages loaded by id, no second full COUNT.
    paginator = CachedCountPaginator
    show_full_result_count = False
    prepopulated_fields = {"slug": ["title"]}
    # No date_hierarchy: its year links need a DISTINCT over every row's date on each load;
    # the "time of issue" filter (today, past 7 days, this month, this year) is index-backed.
    autocomplete_fields = ["cover", "translation_of"]
    save_on_top = True
    history_list_display = ["status"]
    fieldsets = article_fieldsets()

    class Media:
        css = ADMIN_CSS
        js = ["js/admin-editor-name.js"]

    # --- who sees and changes what ------------------------------------------------

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if workflow.can_publish(request.user):
            return queryset
        # Writers: their own articles, and published ones (read-only); never others' drafts.
        return queryset.filter(Q(author=request.user) | Q(status=Article.Status.PUBLISHED))

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or workflow.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or workflow.can_edit(request.user, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(PANEL_FIELDS)
        if not workflow.can_publish(request.user):
            fields += workflow.EDITOR_ONLY_FIELDS
        return fields

    # --- the article's page ---------------------------------------------------------

    def get_fieldsets(self, request, obj=None):
        return article_fieldsets(saved=obj is not None and obj.pk is not None)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # A per-request subclass: the form validates the workflow for this user.
        return type(form.__name__, (form,), {"request_user": request.user})

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("author", request.user.pk)
        if not initial.get("byline"):
            initial["byline"] = request.user.get_full_name()
        return initial

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "author":
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True, is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_live else None

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["media"] = with_csp_nonce(request, context.get("media"))
        context["can_publish"] = workflow.can_publish(request.user)
        if obj is not None and obj.pk:
            context["preview_url"] = reverse("articles:preview", args=[obj.pk])
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- saving --------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if not change and (obj.author_id is None or not workflow.can_publish(request.user)):
            obj.author = request.user
        obj._history_user = request.user
        if change:
            # Never write counters or the short code from the form's (or a revision's) copy.
            obj._state.adding = False
            obj.save(
                update_fields=[
                    f.name
                    for f in obj._meta.concrete_fields
                    if not f.primary_key and f.name not in NOT_SAVED_BY_FORM
                ]
            )
        else:
            obj.save()
