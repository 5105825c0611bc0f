"""QR codes in the admin: the article's code and placements panel, the placements themselves
(add, retire, posters) and the site-wide "QR scans" page."""

from qr.admin.article_panel import ArticleQRAdminMixin
from qr.admin.placements import PlacementAdmin
from qr.admin.report import QRScansReportAdmin

__all__ = ["ArticleQRAdminMixin", "PlacementAdmin", "QRScansReportAdmin"]
