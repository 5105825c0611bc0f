"""Preview links in the admin: made from an article's page, listed, copied and revoked.

Who may: anyone who may change the article (writers their own drafts, editors any), checked
on the article itself, whatever the model permissions of previews say.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles import workflow
from previews.forms import PreviewLinkForm
from previews.links import url_for
from previews.models import PreviewLink

CHANGE_ARTICLES = "articles.change_article"


@admin.register(PreviewLink)
class PreviewLinkAdmin(admin.ModelAdmin):
    form = PreviewLinkForm
    list_display = ["article", "note", "created_by", "created_at", "expires_at", "state", "link"]
    list_select_related = ["article", "created_by"]
    list_filter = ["created_at"]
    raw_id_fields = ["article"]
    actions = ["revoke_selected"]
    readonly_fields = ["article", "note", "created_by", "created_at", "expires_at", "revoked_at"]

    # --- who may ----------------------------------------------------------------

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if workflow.can_publish(request.user):
            return queryset
        return queryset.filter(article__author=request.user)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.has_perm(CHANGE_ARTICLES)

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return self.has_module_permission(request)
        return workflow.can_edit(request.user, obj.article)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return False  # a link is never edited: revoke it and make another

    def has_delete_permission(self, request, obj=None):
        return False  # revoked links stay listed, with who made them

    # --- making one -------------------------------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"request_user": request.user})

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["article", "note", "days"]
        return [*self.readonly_fields, "link"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else [*self.readonly_fields, "link"]

    def response_add(self, request, obj, post_url_continue=None):
        self.message_user(
            request,
            format_html(_("Preview link made. Send it to the reader: {}"), self._full_url(obj)),
            messages.SUCCESS,
        )
        return super().response_post_save_add(request, obj)

    # --- the list ---------------------------------------------------------------

    @admin.display(description=_("state"))
    def state(self, link):
        if link.revoked_at:
            return _("revoked")
        return _("active") if link.is_active() else _("expired")

    @admin.display(description=_("link"))
    def link(self, link):
        if not link.is_active():
            return "-"
        return format_html(
            '<input type="text" readonly value="{}" size="40" aria-label="{}">',
            self._full_url(link),
            _("Preview link"),
        )

    @staticmethod
    def _full_url(link):
        return f"{settings.SITE_URL}{url_for(link)}"

    @admin.action(description=_("Revoke selected links"))
    def revoke_selected(self, request, queryset):
        revoked = 0
        for link in queryset.select_related("article").filter(revoked_at=None):
            if workflow.can_edit(request.user, link.article) or workflow.can_publish(request.user):
                link.revoked_at = timezone.now()
                link.save(update_fields=["revoked_at"])
                revoked += 1
        message = ngettext("%(count)d link revoked.", "%(count)d links revoked.", revoked)
        self.message_user(request, message % {"count": revoked}, messages.SUCCESS)
