"""The editors' desk: sections and articles in the Django admin (images: `media.admin`).

Workflow rules live in `articles.workflow` and are enforced here server-side, not only hidden:
querysets (writers see their own articles and live ones), object permissions (writers change
only their own unpublished articles), read-only fields (time of issue, featured, author) and
form validation (status moves). Revisions come from django-simple-history; restoring one never
touches the counters or the short code printed in QR codes.
"""

from articles.admin.articles import ArticleAdmin
from articles.admin.sections import SectionAdmin

__all__ = ["ArticleAdmin", "SectionAdmin"]
