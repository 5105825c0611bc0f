"""What readership stores: daily counts per article, and the ledger of applied Redis batches.

`Article.views` and `Article.qr_scans` (in `articles`) hold the running totals; `DailyStat`
holds one row per article and day for trends and "most read". Both are only ever changed by
atomic UPDATEs in `readership.backends.database`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DailyStat(models.Model):
    """One row per article and day: trends and "most read this week" need no log table."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="daily_stats"
    )
    day = models.DateField()
    views = models.PositiveBigIntegerField(default=0)
    qr_scans = models.PositiveBigIntegerField(default=0)

    class Meta:
        # The table daily counts had when they were part of `articles`.
        db_table = "articles_dailystat"
        constraints = [
            models.UniqueConstraint(fields=["article", "day"], name="dailystat_article_day_unique")
        ]
        indexes = [models.Index(fields=["day", "article"], name="dailystat_day")]
        verbose_name = _("daily count")
        verbose_name_plural = _("daily counts")

    def __str__(self):
        return f"{self.article_id} {self.day}: {self.views} views, {self.qr_scans} scans"


class AppliedBatch(models.Model):
    """A Redis batch of counts that was applied to the database (kept a week, then purged).

    Its name is inserted in the same transaction as the batch's counts, so `flush_views` applies
    each batch exactly once even when a flusher dies before deleting it from Redis.
    """

    name = models.CharField(max_length=100, unique=True)
    applied_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "applied count batch"
        verbose_name_plural = "applied count batches"

    def __str__(self):
        return self.name
