"""The editors' desk: sections and articles in the Django admin (images: `media.admin`).

Workflow rules live in workflow.py and are enforced here server-side, not only
hidden: querysets (writers see their own articles and live ones), object
permissions (writers change only their own unpublished articles), read-only
fields (time of issue, featured, author) and form validation (status moves).
Revisions come from django-simple-history; restoring one never touches the
counters or the short code printed in QR codes.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from js_asset import Media
from simple_history.admin import SimpleHistoryAdmin

from articles import workflow
from articles.forms import ArticleAdminForm
from articles.models import DERIVED_FIELDS, Article, Section
from media.admin import thumbnail_tag
from qr.admin import ArticleQRAdminMixin
from readership.admin import ArticleStatsAdminMixin

Status = Article.Status
ADMIN_CSS = {"all": ["css/admin-newsroom.css"]}
# Never written by the article form or a restored revision: counters, derived
# columns, and the short code that printed QR codes point to.
NOT_SAVED_BY_FORM = (*DERIVED_FIELDS, "short_code")
REVISIONS_SHOWN = 10


def with_csp_nonce(request, media):
    """Form media carrying the request's CSP nonce: the editor's import map is an inline script."""
    if media is None or not hasattr(media, "_js_lists"):
        return media
    nonce = getattr(request, "csp_nonce", None)
    return Media.from_media(media, nonce=nonce) if nonce is not None else media


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "position", "article_count"]
    list_editable = ["position"]
    list_select_related = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "description"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_article_count=Count("articles"))

    @admin.display(description=_("articles"), ordering="_article_count")
    def article_count(self, obj):
        return obj._article_count


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
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        value = self.value()
        if value in (Status.DRAFT, Status.REVIEW):
            return queryset.filter(status=value)
        if value == "live":
            return queryset.filter(status=Status.PUBLISHED, published_at__lte=now)
        if value == "scheduled":
            return queryset.filter(status=Status.PUBLISHED, published_at__gt=now)
        return queryset


class ArticleChangeList(ChangeList):
    """The list never loads bodies: a page of 100 long articles stays light."""

    def get_queryset(self, request, exclude_parameters=None):
        return super().get_queryset(request, exclude_parameters).defer("body", "search_vector")


@admin.register(Article)
class ArticleAdmin(ArticleStatsAdminMixin, ArticleQRAdminMixin, SimpleHistoryAdmin):
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
    list_per_page = 100
    search_fields = ["title", "summary", "body"]
    search_help_text = _("Search titles, summaries and bodies.")
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    autocomplete_fields = ["cover", "translation_of"]
    actions = ["publish_selected", "unpublish_selected"]
    save_on_top = True
    history_list_display = ["status"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "section", "summary", "body"]}),
        (
            _("Publishing"),
            {"fields": ["status", "published_at", "featured", "author", "byline", "cover", "tags"]},
        ),
        (
            _("Language"),
            {"fields": ["language", "translation_of"], "classes": ["collapse"]},
        ),
        (_("Readership"), {"fields": ["views_panel"]}),
        (_("QR code"), {"fields": ["qr_panel"]}),
        (_("Revisions"), {"fields": ["revisions_panel"]}),
    ]
    add_fieldsets_exclude = ("Readership", "QR code", "Revisions")

    class Media:
        css = ADMIN_CSS

    # --- who sees and changes what ------------------------------------------------

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if workflow.can_publish(request.user):
            return queryset
        # Writers: their own articles, and published ones (read-only); never others' drafts.
        return queryset.filter(Q(author=request.user) | Q(status=Status.PUBLISHED))

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or workflow.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or workflow.can_edit(request.user, obj)

    def has_publish_permission(self, request):
        return workflow.can_publish(request.user)

    def get_readonly_fields(self, request, obj=None):
        fields = ["views_panel", "qr_panel", "revisions_panel"]
        if not workflow.can_publish(request.user):
            fields += workflow.EDITOR_ONLY_FIELDS
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or obj.pk is None:
            fieldsets = [fs for fs in fieldsets if fs[0] not in self.add_fieldsets_exclude]
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # A per-request subclass: the form validates the workflow for this user.
        return type(form.__name__, (form,), {"request_user": request.user})

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

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

    def response_add(self, request, obj, post_url_continue=None):
        if "_workflow" in request.POST:
            return self._workflow_response(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_workflow" in request.POST:
            return self._workflow_response(request, obj)
        return super().response_change(request, obj)

    def _workflow_response(self, request, obj):
        """After a workflow button, stay on the article and say what happened."""
        _state, label = workflow.status_label(obj)
        self.message_user(
            request,
            format_html(_("“{}” is now: {}."), obj.title, label),
            messages.SUCCESS,
        )
        url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
        return HttpResponseRedirect(url)

    def history_view(self, request, object_id, extra_context=None):
        """Revisions of the articles this user may see (get_queryset) only: simple_history
        alone shows any article's, other writers' drafts included, to anyone who may view.
        Editors also keep the history of deleted articles."""
        if self.get_object(request, unquote(object_id)) is None and not workflow.can_publish(
            request.user
        ):
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Viewing a revision needs view rights; restoring it needs the right to change the
        article as it is now (simple_history alone would let a viewer POST a revert)."""
        current = self.get_object(request, unquote(object_id))
        if current is None:
            raise Http404
        if request.method == "POST" and not self.has_change_permission(request, current):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        if obj is not None and obj.pk:
            current = self.get_queryset(request).filter(pk=obj.pk).first()
            if current is None or not self.has_change_permission(request, current):
                return True
        return super().revert_disabled(request, obj)

    def render_history_view(self, request, template, context, **kwargs):
        context["media"] = with_csp_nonce(request, context.get("media"))
        return super().render_history_view(request, template, context, **kwargs)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["media"] = with_csp_nonce(request, context.get("media"))
        context["can_publish"] = workflow.can_publish(request.user)
        if obj is not None and obj.pk:
            context["preview_url"] = reverse("articles:preview", args=[obj.pk])
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- list columns ----------------------------------------------------------------

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

    # --- change page panels ----------------------------------------------------------

    @admin.display(description=_("Revisions"))
    def revisions_panel(self, obj):
        if obj is None or not obj.pk:
            return "-"
        records = list(obj.history.select_related("history_user")[:REVISIONS_SHOWN])
        if not records:
            return _("No revisions yet.")
        kinds = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
        opts = self.opts
        rows = format_html_join(
            "",
            '<tr><td><time datetime="{}">{}</time></td><td>{}</td><td>{}</td><td>{}</td>'
            '<td><a href="{}">{}</a></td></tr>',
            (
                (
                    r.history_date.isoformat(),
                    timezone.localtime(r.history_date).strftime("%Y-%m-%d %H:%M:%S"),
                    (r.history_user.get_username() if r.history_user else _("system")),
                    kinds.get(r.history_type, r.history_type),
                    r.get_status_display(),
                    reverse(
                        f"admin:{opts.app_label}_{opts.model_name}_simple_history",
                        args=[obj.pk, r.history_id],
                    ),
                    _("View / restore"),
                )
                for r in records
            ),
        )
        history_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])
        return format_html(
            '<table class="nr-revisions"><thead><tr><th>{}</th><th>{}</th><th>{}</th>'
            "<th>{}</th><th></th></tr></thead><tbody>{}</tbody></table>"
            '<p><a href="{}">{}</a></p>',
            _("When"),
            _("Who"),
            _("What"),
            _("Status"),
            rows,
            history_url,
            _("All revisions, with changes"),
        )

    # --- bulk actions ----------------------------------------------------------------

    @admin.action(description=_("Publish selected articles"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._bulk(request, queryset, workflow.publish, "published")

    @admin.action(description=_("Unpublish selected articles"), permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self._bulk(request, queryset, workflow.unpublish, "unpublished")

    def _bulk(self, request, queryset, change, verb):
        if not workflow.can_publish(request.user):
            raise PermissionDenied
        done = 0
        # One save per article: each gets a revision with who and when, and a log entry.
        for article in queryset.defer(None):
            if change(article):
                self.save_model(request, article, None, change=True)
                self.log_change(request, article, [{"changed": {"fields": ["status"]}}])
                done += 1
        message = ngettext("%(count)d article %(verb)s.", "%(count)d articles %(verb)s.", done) % {
            "count": done,
            "verb": verb,
        }
        self.message_user(request, message, messages.SUCCESS if done else messages.INFO)
