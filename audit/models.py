"""The audit log: one row per thing done to an article, kept after the article is gone.

Rows name the article by id and title, not by a foreign key, so deleting an article keeps
(and never cascades into) its history; the person is a nullable foreign key plus their
name at the time, so deleting a user keeps the rows too.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        SUBMITTED = "submitted", _("Submitted for review")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Unpublished")
        DELETED = "deleted", _("Deleted")
        RESTORED = "restored", _("Restored a revision")
        RESET_2FA = "reset_2fa", _("Two-factor sign-in reset")

    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("who (name)"), max_length=150, blank=True)
    action = models.CharField(_("what"), max_length=16, choices=Action.choices)
    article_id = models.BigIntegerField(_("article id"), null=True, blank=True)
    article_title = models.CharField(_("article"), max_length=300, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-pk"]
        # The list's newest-first order, and its two filters (person, article), each in order.
        indexes = [
            models.Index(fields=["-at", "-id"], name="audit_at_idx"),
            models.Index(fields=["actor", "-at"], name="audit_actor_at_idx"),
            models.Index(fields=["article_id", "-at"], name="audit_article_at_idx"),
        ]

    def __str__(self):
        return f"{self.actor_name or '-'} {self.action} {self.article_title}"
