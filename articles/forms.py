"""The article form of the editors' desk.

The body is edited with django-prose-editor (its JS and CSS ship in the wheel:
no CDN) limited to what the site renders: headings h2-h4, bold, italic, links,
lists, blockquotes, simple tables and figures picked from the image library.
The server never trusts the editor: the body is cleaned with the site's nh3
allow-list (sanitize.py) here and again in `Article.save()`. Library images get
their width, height and alt text filled in from the library, so pages do not
jump while images load.
"""

import re

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import AdminProseEditorWidget

from articles import slugs, workflow
from articles.models import Article
from articles.sanitize import sanitize_html
from media.models import Image

PROSE_EXTENSIONS = {
    "Heading": {"levels": [2, 3, 4]},
    "Bold": True,
    "Italic": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "HorizontalRule": True,
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "Figure": {"pickerUrl": reverse_lazy("admin:media_image_picker")},
    "Caption": True,
    "Image": True,
    "History": True,
    "HTML": True,
}

# The "Submit for review", "Publish" and "Unpublish" buttons of the change page.
WORKFLOW_BUTTONS = {
    "review": Article.Status.REVIEW,
    "publish": Article.Status.PUBLISHED,
    "unpublish": Article.Status.DRAFT,
}

_IMG = re.compile(r"<img\b([^>]*)>", re.IGNORECASE)
_ATTR = re.compile(r'([a-zA-Z-]+)="([^"]*)"')


def library_name(src):
    """The storage name of a media URL ("/media/images/a.jpg" -> "images/a.jpg"), or None."""
    prefix = settings.MEDIA_URL
    for base in (settings.SITE_URL + prefix, prefix):
        if src.startswith(base):
            return src[len(base) :]
    return None


def complete_library_images(html):
    """Add width, height and (missing) alt text to <img>s of the image library."""
    tags = [(m, dict(_ATTR.findall(m.group(1)))) for m in _IMG.finditer(html)]
    names = {library_name(attrs.get("src", "")) for _m, attrs in tags} - {None}
    if not names:
        return html
    library = {img.file.name: img for img in Image.objects.filter(file__in=names)}
    out, last = [], 0
    for match, attrs in tags:
        image = library.get(library_name(attrs.get("src", "")))
        if image is None:
            continue
        if not attrs.get("alt"):
            attrs["alt"] = escape(image.alt_text)
        if image.width and image.height and not attrs.get("width"):
            attrs["width"], attrs["height"] = str(image.width), str(image.height)
        rendered = " ".join(f'{k}="{v}"' for k, v in attrs.items())
        out += [html[last : match.start()], f"<img {rendered}>"]
        last = match.end()
    out.append(html[last:])
    return "".join(out)


def clean_body(html):
    return complete_library_images(sanitize_html(html))


class LabelledSplitDateTime(AdminSplitDateTime):
    """The admin's date and time inputs, each named for assistive technology ("time of issue:
    date"): Django's "Date:"/"Time:" are bare text, not labels."""

    def __init__(self, label, attrs=None):
        super().__init__(attrs)
        self.label = label

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        parts = (_("date"), _("time"))
        for subwidget, part in zip(context["widget"]["subwidgets"], parts, strict=True):
            subwidget["attrs"]["aria-label"] = f"{self.label}: {part}"
        return context


class ArticleAdminForm(forms.ModelForm):
    """Validates the workflow for `request_user` (set by the admin) and derives slugs."""

    request_user = None

    body = ProseEditorFormField(
        label=gettext_lazy("body"),
        required=False,
        config={"extensions": PROSE_EXTENSIONS},
        preset="configurable",
        sanitize=clean_body,
        widget=AdminProseEditorWidget,
    )

    class Meta:
        model = Article
        fields = [
            "title", "slug", "section", "summary", "body", "status", "published_at",
            "expires_at", "featured", "author", "byline", "cover", "tags", "language",
            "translation_of",
        ]  # fmt: skip
        widgets = {
            "published_at": LabelledSplitDateTime(
                Article._meta.get_field("published_at").verbose_name
            ),
            "expires_at": LabelledSplitDateTime(Article._meta.get_field("expires_at").verbose_name),
        }
        help_texts = {
            "slug": gettext_lazy(
                "The last part of the address. Leave it empty to make one from the title."
            ),
            "published_at": gettext_lazy(
                "Leave empty to use the moment of publishing. A future time schedules "
                "the article: it goes live by itself at that time."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
        self.current_status = None
        if self.instance.pk:
            # The stored status, not the form's instance: a revision being restored
            # carries the status it had then.
            self.current_status = (
                Article.objects.filter(pk=self.instance.pk).values_list("status", flat=True).first()
            )
        status = self.fields.get("status")
        if status is not None and self.request_user is not None:
            allowed = workflow.allowed_statuses(self.request_user, self.current_status)
            status.choices = [(v, label) for v, label in status.choices if v in allowed]

    def clean(self):
        cleaned = super().clean()
        user = self.request_user
        button = WORKFLOW_BUTTONS.get(self.data.get("_workflow"))
        if button is not None and "status" in self.fields:
            cleaned["status"] = button
        if user is not None and "status" in cleaned:
            try:
                workflow.check_transition(user, self.current_status, cleaned["status"])
            except ValidationError as error:
                self.add_error("status", error)
        self._clean_slug(cleaned)
        self._clean_expiry(cleaned)
        return cleaned

    def _clean_expiry(self, cleaned):
        """A newly set unpublish time must still be ahead: one in the past would take the
        article off the site at once (the model checks it against the time of issue)."""
        expires_at, issued = cleaned.get("expires_at"), cleaned.get("published_at")
        if issued is not None and expires_at is not None and expires_at <= issued:
            return  # the model's own message says what is wrong
        if "expires_at" in self.changed_data and expires_at and expires_at <= timezone.now():
            self.add_error(
                "expires_at",
                ValidationError(_("The unpublish time must be in the future."), code="past"),
            )

    def _clean_slug(self, cleaned):
        if "slug" not in self.fields or self.has_error("slug"):
            return
        section = cleaned.get("section")
        slug = cleaned.get("slug")
        exclude = self.instance.pk
        if not slug:
            slug = slugs.slug_for(self.instance, cleaned.get("title", ""))
            if section is not None:
                slug = slugs.unique_in_section(slug, section.pk, exclude_pk=exclude)
            cleaned["slug"] = slug
        elif section is not None and slugs.slug_taken(slug, section.pk, exclude_pk=exclude):
            self.add_error(
                "slug",
                ValidationError(
                    _(
                        "Another article in the section “%(section)s” already uses the slug "
                        "“%(slug)s”. Choose a different slug, or leave it empty to make one."
                    ),
                    code="slug_taken",
                    params={"section": section, "slug": slug},
                ),
            )
