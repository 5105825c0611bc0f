"""Author profiles: the public face of a user who writes, shown on `/authors/<slug>/`.

A profile belongs to one user (`Article.author` points at users, not profiles), so a writer
without a profile is simply not linked. People know nothing of articles: the articles app
links its bylines and JSON-LD here (`articles.seo.credited_author`).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Author(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="author_profile",
        help_text=_("The account whose articles this profile presents."),
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("As printed in bylines."))
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    role = models.CharField(_("role"), max_length=100, blank=True)
    # Plain text: the page escapes it and keeps its paragraphs (no HTML to sanitise).
    bio = models.TextField(_("biography"), max_length=2000, blank=True)
    photo = models.ForeignKey(
        "media.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("people:author", args=[self.slug])


def profile_of(user):
    """The Author profile of `user`, or None; no query when it was select_related."""
    if user is None:
        return None
    try:
        return user.author_profile
    except Author.DoesNotExist:
        return None
