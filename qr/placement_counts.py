"""Scans per placement, counted with readership's machinery (`readership.backends.linked`).

A placement's scan is also its article's QR scan: both are counted together, in one database
transaction or one Redis command, and flushed in one batch, with readership's guarantees (no
count lost or doubled by crashes, races or concurrent workers).
"""

from qr.models import Placement, PlacementDay
from readership import counts
from readership.backends import linked

PLACEMENT_SCANS = linked.LinkedCounter(
    code="p",
    model=Placement,
    daily_model=PlacementDay,
    fk="placement_id",
    column="scans",
    article_field="qr_scans",
)


def register():
    """Make the Redis flush apply placement counts (called once, from `QrConfig.ready`)."""
    linked.register(PLACEMENT_SCANS)


def count_scan(placement):
    """Count one scan of `placement`, and of its article; the article's new scan total."""
    return counts.count_linked(PLACEMENT_SCANS, placement.article_id, placement.pk)


def pending(placement_ids):
    """{placement_id: scans} still waiting in Redis (all zero with the database store)."""
    return counts.pending_linked(PLACEMENT_SCANS, placement_ids)
