from django.db import models


class AppliedBatch(models.Model):
    """A Redis batch of counts that was applied to the database (kept a week, then purged)."""

    name = models.CharField(max_length=100, unique=True)
    applied_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "applied count batch"
        verbose_name_plural = "applied count batches"

    def __str__(self):
        return self.name
