"""Workflow moves from the admin: the buttons on an article's page and the bulk actions."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles import workflow


class WorkflowActionsMixin:
    """Publish and unpublish, one article (its page's buttons) or many (list actions).

    Needs the ModelAdmin's `save_model`, which saves a revision with who and when.
    """

    actions = ["publish_selected", "unpublish_selected"]

    def has_publish_permission(self, request):
        return workflow.can_publish(request.user)

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
