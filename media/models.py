"""The image library: pictures editors upload once and use as covers or inside article bodies.

An `Image` stores the cleaned original (metadata stripped) and a map of its renditions, made on
save (`media.lifecycle`). Articles point at images (`Article.cover`, and `<img>` tags in bodies
that name a library file); images know nothing of articles.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from media.validation import validate_image_file

# The folder of MEDIA_ROOT that holds the library's originals (renditions: media.renditions).
IMAGE_DIR = "images"


def image_upload_to(instance, filename):
    return timezone.now().strftime(f"{IMAGE_DIR}/%Y/%m/") + filename


class Image(models.Model):
    """An image of the library, used as a cover or inside article bodies."""

    # The content is judged (media.validation) wherever a file comes in: forms, full_clean, save.
    file = models.ImageField(
        _("file"), upload_to=image_upload_to, max_length=255, validators=[validate_image_file]
    )
    title = models.CharField(_("title"), max_length=200)
    alt_text = models.CharField(
        _("alt text"),
        max_length=300,
        help_text=_("Describes the image for readers who cannot see it."),
    )
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    credit = models.CharField(_("credit"), max_length=200, blank=True)
    width = models.PositiveIntegerField(_("width"), null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True, editable=False)
    # sha256 of the stored (cleaned) file: rendition names are keyed by it.
    file_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    # {"<width>.<format>": {"name": storage name, "width": w, "height": h}, ...}
    renditions = models.JSONField(default=dict, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        # The table the image library had when it was part of `articles`.
        db_table = "articles_image"
        ordering = ["-created_at", "-id"]
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self):
        return self.title
