"""Writes the audit log from django-simple-history's revisions of articles.

Every save and delete of an article already makes a revision with who and when (the admin
sets the user; HistoryRequestMiddleware does for the rest), so the log cannot miss a path that
saves an article: the form, the workflow buttons, bulk actions, deletes and restores.
`recorded` is sent after each entry, for those who tell people about it (notifications).
"""

import logging

from django.dispatch import Signal
from simple_history.models import HistoricalRecords
from simple_history.signals import post_create_historical_record

from articles.models import Article
from audit.events import workflow_actions
from audit.models import AuditEntry

log = logging.getLogger(__name__)

# Sent with `entry` (the AuditEntry) and `article` (the Article, saved or just deleted).
recorded = Signal()

# The admin view that restores a revision (django-simple-history's history form).
RESTORE_VIEW = "articles_article_simple_history"


def record(action, actor=None, article_id=None, title="", detail=""):
    """Add one entry; `actor` may be None (the system, a command)."""
    return AuditEntry.objects.create(
        action=action,
        actor=actor if actor is not None and actor.pk else None,
        actor_name=actor.get_username() if actor is not None else "",
        article_id=article_id,
        article_title=(title or "")[:300],
        detail=detail[:300],
    )


def _is_restore():
    """Is the current request the admin's "restore this revision"?"""
    request = getattr(HistoricalRecords.context, "request", None)
    match = getattr(request, "resolver_match", None)
    return bool(match and request.method == "POST" and match.url_name == RESTORE_VIEW)


def on_revision(sender, instance, history_instance, history_user=None, **kwargs):
    kind = history_instance.history_type
    old_status = None
    if kind == "~":
        previous = history_instance.prev_record
        old_status = previous.status if previous is not None else None
    actions = workflow_actions(kind, old_status, history_instance.status)
    if kind == "~" and _is_restore():
        actions.insert(0, AuditEntry.Action.RESTORED)
    for action in actions:
        entry = record(action, history_user, history_instance.id, history_instance.title)
        recorded.send(sender=AuditEntry, entry=entry, article=instance)


def connect():
    """Called from AuditConfig.ready."""
    post_create_historical_record.connect(
        on_revision, sender=Article.history.model, dispatch_uid="audit-article-revision"
    )
