"""QR placements in the admin: add one to an article, see its scans, download its posters,
retire it.

Writers add placements to their own articles (any status: a live article is what gets
printed), editors to any; the rule is enforced in the queryset, the object permissions and the
article field's choices, not only hidden. A placement stays on its article for life (its paper
points there); retiring it keeps its link working and marks it in the tables.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles import workflow
from articles.models import Article
from qr import poster_files
from qr.admin.placement_figures import placement_panel
from qr.forms import PlacementAdminForm, PosterForm
from qr.models import Placement
from qr.views import bad_request, file_response

ADMIN_CSS = {"all": ["css/admin-newsroom.css"]}


def may_place_on(user, article):
    """Editors may add placements to any article; writers to their own."""
    return workflow.can_publish(user) or article.author_id == user.pk


def articles_for(user):
    """The articles `user` may add placements to."""
    queryset = Article.objects.select_related("section")
    return queryset if workflow.can_publish(user) else queryset.filter(author=user)


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    list_display = ["name", "article", "short_code", "scans", "status", "created_by", "created_at"]
    list_select_related = ["article", "created_by"]
    list_filter = [("retired_at", admin.EmptyFieldListFilter), "created_at"]
    search_fields = ["name", "note", "article__title", "short_code"]
    autocomplete_fields = ["article"]
    form = PlacementAdminForm
    actions = ["retire", "restore"]
    add_fields = ["article", "name", "note"]
    # Its printed code points at its article for good: the article is not changed here.
    shown_fields = ["article", "short_link", "name", "note", "retired", "retired_at",
                    "created_by", "created_at", "scans_panel"]  # fmt: skip
    computed_fields = ["article", "short_link", "retired_at", "created_by", "created_at",
                       "scans_panel"]  # fmt: skip

    class Media:
        css = ADMIN_CSS

    # --- who sees and changes what ------------------------------------------------

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if workflow.can_publish(request.user):
            return queryset
        return queryset.filter(article__author=request.user)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or may_place_on(request.user, obj.article))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or may_place_on(request.user, obj.article))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "article":
            kwargs["queryset"] = articles_for(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.computed_fields

    def get_fields(self, request, obj=None):
        return self.add_fields if obj is None else self.shown_fields

    # --- columns and panels ---------------------------------------------------------

    @admin.display(description=_("status"))
    def status(self, obj):
        return _("Retired") if obj.is_retired else _("Active")

    @admin.display(description=_("short link"))
    def short_link(self, obj):
        return obj.get_short_url()

    @admin.display(description=_("QR scans"))
    def scans_panel(self, obj):
        return placement_panel(obj)

    # --- saving and actions ---------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.save()

    @admin.action(description=_("Retire selected placements (their links keep working)"))
    def retire(self, request, queryset):
        self._set_retired(request, queryset, timezone.now())

    @admin.action(description=_("Bring selected placements back"))
    def restore(self, request, queryset):
        self._set_retired(request, queryset, None)

    def _set_retired(self, request, queryset, when):
        allowed = [
            p for p in queryset.select_related("article") if self.has_change_permission(request, p)
        ]
        for placement in allowed:
            placement.retired_at = when
            placement.save(update_fields=["retired_at"])
        message = ngettext("%(n)d placement changed.", "%(n)d placements changed.", len(allowed))
        self.message_user(request, message % {"n": len(allowed)}, messages.SUCCESS)

    # --- posters --------------------------------------------------------------------

    def get_urls(self):
        poster = self.admin_site.admin_view(self.poster_view)
        return [
            path("<int:object_id>/poster.pdf", poster, name="qr_placement_poster"),
            *super().get_urls(),
        ]

    def poster_view(self, request, object_id):
        """The placement's poster (?size=a4|a5): its own code, for staff who may see it."""
        placement = (
            self.get_queryset(request)
            .select_related("article__section", "article__cover")
            .filter(pk=object_id)
            .first()
        )
        if placement is None:
            raise Http404("No such placement")
        if not self.has_view_permission(request, placement):
            raise PermissionDenied
        form = PosterForm(request.GET)
        if not form.is_valid():
            return bad_request(form.first_error())
        size, download = form.cleaned_data["size"], form.cleaned_data["download"]
        source = poster_files.source_for(placement.article)
        file = poster_files.poster_file(source, size, placement.short_code)
        filename = f"{source.slug}-{placement.short_code}-poster-{size}.pdf"
        return file_response(request, file, filename, download, public=False)
