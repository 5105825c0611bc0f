"""Placements: the pieces of paper an article's QR code is printed on, each with its own code.

The article's own short code is its default placement, "Website" (the code on its page); each
placement added here gets another short link to the same article, so the scans of the canteen
board and of the trade-fair brochure are told apart. Scan totals and daily rows are only ever
changed by atomic UPDATEs (`readership.backends.linked`, through `qr.placement_counts`).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# unused_short_code is the placements' default (qr migration 0001 names it here).
from articles.models import Article, short_url, unused_short_code

# Never written back by a save: scans counted meanwhile would be lost.
COUNTER_FIELDS = ("scans",)


class PlacementQuerySet(models.QuerySet):
    def active(self):
        return self.filter(retired_at__isnull=True)


class Placement(models.Model):
    """Where one printed code of an article hangs ("Canteen board", "Expo brochure p.3")."""

    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="qr_placements",
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("Where it is printed, e.g. “Canteen board”.")
    )
    note = models.TextField(_("note"), max_length=500, blank=True)
    short_code = models.CharField(
        _("short code"),
        max_length=16,
        unique=True,
        editable=False,
        default=unused_short_code,
    )
    scans = models.PositiveBigIntegerField(_("QR scans"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True, editable=False)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["article", "created_at", "id"]
        verbose_name = _("QR placement")
        verbose_name_plural = _("QR placements")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.pk and not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in COUNTER_FIELDS
            ]
        super().save(*args, **kwargs)

    def get_short_url(self):
        """The absolute short link its code holds: `/s/<code>/`, like the article's own."""
        return short_url(self.short_code)

    @property
    def is_retired(self):
        return self.retired_at is not None


class PlacementDay(models.Model):
    """One row per placement and day with scans: "which paper worked" needs no log table."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="days")
    day = models.DateField()
    scans = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["placement", "day"], name="placementday_unique")
        ]
        indexes = [models.Index(fields=["day", "placement"], name="placementday_day")]
        verbose_name = _("daily placement scans")
        verbose_name_plural = _("daily placement scans")

    def __str__(self):
        return f"{self.placement_id} {self.day}: {self.scans} scans"


class QRScansReport(Placement):
    """The admin's site-wide "QR scans" page: the best placements of the last 30 days."""

    class Meta:
        proxy = True
        verbose_name = _("QR scans")
        verbose_name_plural = _("QR scans")
