"""An article's revisions in the admin: who may see and restore which, and the change page's
list of the latest ones (django-simple-history keeps them)."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from articles import workflow
from articles.admin.editor_media import with_csp_nonce

REVISIONS_SHOWN = 10


class RevisionsMixin:
    """For a SimpleHistoryAdmin: revisions only of the articles this user may see, restored
    only by those who may change the article as it is now; and the `revisions_panel` field."""

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

    @admin.display(description=_("Revisions"))
    def revisions_panel(self, obj):
        if obj is None or not obj.pk:
            return "-"
        records = list(obj.history.select_related("history_user")[:REVISIONS_SHOWN])
        if not records:
            return _("No revisions yet.")
        history_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_history", args=[obj.pk]
        )
        return format_html(
            '<table class="nr-revisions"><thead><tr><th>{}</th><th>{}</th><th>{}</th>'
            "<th>{}</th><th></th></tr></thead><tbody>{}</tbody></table>"
            '<p><a href="{}">{}</a></p>',
            _("When"),
            _("Who"),
            _("What"),
            _("Status"),
            self._revision_rows(obj, records),
            history_url,
            _("All revisions, with changes"),
        )

    def _revision_rows(self, obj, records):
        kinds = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
        view_name = f"admin:{self.opts.app_label}_{self.opts.model_name}_simple_history"
        return format_html_join(
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
                    reverse(view_name, args=[obj.pk, r.history_id]),
                    _("View / restore"),
                )
                for r in records
            ),
        )
