"""Emails about the article workflow: a submission tells the editors, a publication the author.

Hooked to the audit log's `recorded` signal (one per workflow step, whatever path saved the
article). Mail goes out only after the saving transaction commits, and a failure to send is
logged, never raised: saving an article must not depend on the mail server.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from articles.workflow import PUBLISH_PERMISSION
from audit.recorder import recorded

log = logging.getLogger(__name__)


def editors():
    """Active staff who may publish: members of a group (or holders) of the permission, and
    superusers."""
    app_label, codename = PUBLISH_PERMISSION.split(".")
    perm = Q(
        user_permissions__codename=codename,
        user_permissions__content_type__app_label=app_label,
    )
    group_perm = Q(
        groups__permissions__codename=codename,
        groups__permissions__content_type__app_label=app_label,
    )
    users = get_user_model().objects.filter(is_active=True, is_staff=True)
    return users.filter(perm | group_perm | Q(is_superuser=True)).distinct()


def admin_link(article_id):
    try:
        path = reverse("admin:articles_article_change", args=[article_id])
    except NoReverseMatch:
        return settings.SITE_URL
    return f"{settings.SITE_URL}{path}"


def submitted_message(entry):
    subject = _("For review: %(title)s") % {"title": entry.article_title}
    body = _("%(who)s submitted “%(title)s” for review.\n\nOpen it: %(url)s\n") % {
        "who": entry.actor_name or _("Someone"),
        "title": entry.article_title,
        "url": admin_link(entry.article_id),
    }
    recipients = [u.email for u in editors() if u.email and u.pk != entry.actor_id]
    return subject, body, recipients


def published_message(entry, article):
    author = getattr(article, "author", None)
    if author is None or not author.email or author.pk == entry.actor_id:
        return None
    subject = _("Published: %(title)s") % {"title": entry.article_title}
    body = _("“%(title)s” was published by %(who)s.\n\n%(url)s\n") % {
        "title": entry.article_title,
        "who": entry.actor_name or _("the desk"),
        "url": f"{settings.SITE_URL}{article.get_absolute_url()}",
    }
    return subject, body, [author.email]


def deliver(entry, article):
    """Build and send the message for `entry`, if it calls for one; never raise (logged)."""
    try:
        if entry.action == "submitted":
            message = submitted_message(entry)
        else:
            message = published_message(entry, article)
        if message and message[2]:
            send_mail(message[0], message[1], None, message[2])
    except Exception:  # any backend error: SMTP, DNS, refused, a bad address
        log.exception("could not send the %s notice for article %s", entry.action, entry.article_id)


def on_recorded(sender, entry, article, **kwargs):
    if entry.action in ("submitted", "published"):
        # After the save commits: a rolled-back save tells no one, and mail never holds it up.
        transaction.on_commit(lambda: deliver(entry, article))


def connect():
    """Called from NotificationsConfig.ready."""
    recorded.connect(on_recorded, dispatch_uid="notifications-workflow")
