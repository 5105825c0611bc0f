"""The editorial workflow: who may move an article to which status, and edit what.

Draft -> In review -> Published, and Unpublish back to Draft. Writers add
articles, change their own unpublished ones and submit them for review; editors
(anyone with `articles.publish_article`) do everything, including publishing,
unpublishing, scheduling (a future time of issue) and setting an unpublish time
(`expires_at`). The admin enforces these
rules in its querysets, permissions, read-only fields and form validation; this
module is the one place that states them.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article

Status = Article.Status
PUBLISH_PERMISSION = "articles.publish_article"

# Fields only editors may set: placement on the site and the times of issue and unpublishing.
EDITOR_ONLY_FIELDS = ("published_at", "expires_at", "featured", "author")


def can_publish(user):
    """Editors: publish, unpublish, schedule, and touch anyone's article."""
    return bool(user and user.is_active and user.has_perm(PUBLISH_PERMISSION))


def can_view(user, article):
    """May `user` read `article` before readers can (preview, revisions)?

    Editors any article; writers their own and published ones, as the admin's list shows them.
    """
    if not (user.is_active and user.is_staff and user.has_perm("articles.view_article")):
        return False
    return can_publish(user) or article.author_id == user.pk or article.status == Status.PUBLISHED


def can_edit(user, article):
    """May `user` change `article`? Writers only their own unpublished ones."""
    if not user.has_perm("articles.change_article"):
        return False
    if can_publish(user):
        return True
    if article is None:
        return True
    return article.author_id == user.pk and article.status != Status.PUBLISHED


def allowed_statuses(user, current=None):
    """The statuses `user` may give an article that now has status `current`."""
    if can_publish(user):
        return [s for s, _label in Status.choices]
    if current == Status.PUBLISHED:
        return [Status.PUBLISHED]  # read-only for writers anyway
    return [Status.DRAFT, Status.REVIEW]


def check_transition(user, current, new):
    """Raise ValidationError when `user` may not move an article from `current` to `new`."""
    if new == current:
        return
    if new not in allowed_statuses(user, current):
        if new == Status.PUBLISHED:
            raise ValidationError(_("Only editors can publish articles."), code="publish")
        raise ValidationError(_("Only editors can unpublish articles."), code="unpublish")


def publish(article, when=None):
    """Publish now, or at `when` (the future schedules it). Returns True if it changed.

    An unpublish time already passed is cleared: publishing an expired article brings it back.
    """
    changed = article.status != Status.PUBLISHED
    if article.expires_at is not None and article.expires_at <= (when or timezone.now()):
        article.expires_at = None
        changed = True
    article.status = Status.PUBLISHED
    if when is not None:
        changed = changed or article.published_at != when
        article.published_at = when
    elif article.published_at is None:
        article.published_at = timezone.now()
    return changed


def unpublish(article):
    """Back to draft; the time of issue is kept for when it is published again."""
    changed = article.status == Status.PUBLISHED
    article.status = Status.DRAFT
    return changed


def status_label(article, now=None):
    """What the article list shows: "Scheduled for ..." for a future time of issue, "Expired"
    once the unpublish time has passed, "Until ..." while one is set."""
    now = now or timezone.now()
    if article.status != Status.PUBLISHED:
        return article.status, article.get_status_display()
    if article.published_at and article.published_at > now:
        return "scheduled", _("Scheduled for %(when)s") % {"when": _minute(article.published_at)}
    if article.expires_at and article.expires_at <= now:
        return "expired", _("Expired")
    if article.expires_at:
        return "published", _("Published until %(when)s") % {"when": _minute(article.expires_at)}
    return article.status, article.get_status_display()


def _minute(moment):
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"
