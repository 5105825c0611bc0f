"""The panels of the article's admin page, each known by a key, not by its (translated) label."""

from django.utils.translation import gettext_lazy as _

# key -> (label, options), in page order.
ARTICLE_PANELS = {
    "content": (None, {"fields": ["title", "slug", "section", "summary", "body"]}),
    "publishing": (
        _("Publishing"),
        {
            "fields": [
                "status",
                "published_at",
                "expires_at",
                "featured",
                "author",
                "byline",
                "cover",
                "tags",
            ]
        },
    ),
    "language": (
        _("Language"),
        {"fields": ["language", "translation_of"], "classes": ["collapse"]},
    ),
    "readership": (_("Readership"), {"fields": ["views_panel"]}),
    "qr": (_("QR code"), {"fields": ["qr_panel"]}),
    "revisions": (_("Revisions"), {"fields": ["revisions_panel"]}),
}
# Panels about a saved article: nothing to show on the add page.
SAVED_ARTICLE_PANELS = frozenset({"readership", "qr", "revisions"})
PANEL_FIELDS = ["views_panel", "qr_panel", "revisions_panel"]


def article_fieldsets(saved=True):
    """The admin `fieldsets` of an article's page: all panels, or those of the add page."""
    return [
        fieldset
        for key, fieldset in ARTICLE_PANELS.items()
        if saved or key not in SAVED_ARTICLE_PANELS
    ]
