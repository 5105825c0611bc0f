"""The image library's upload form: the file is judged by its content before anything is stored."""

import logging

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from media.health import storage_answers
from media.models import Image
from media.validation import ACCEPT, EXTENSIONS, MIME_TYPES, validate_upload

log = logging.getLogger(__name__)

STORAGE_DOWN = gettext_lazy(
    "The image storage is not answering, so nothing was saved. Try again in a minute; "
    "if it keeps happening, tell whoever runs the site."
)


class ImageUploadField(forms.ImageField):
    """`Image.file` in forms: refuses a bad file with a clear error, and offers only images."""

    default_validators = []  # the content decides, and the stored name gets the right extension

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        info = validate_upload(upload)
        if hasattr(upload, "content_type"):
            upload.content_type = MIME_TYPES[EXTENSIONS[info.format].lstrip(".")]
        return upload

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs["accept"] = ACCEPT
        return attrs


class ImageAdminForm(forms.ModelForm):
    """Alt text is required: it is what screen readers say instead of the picture."""

    class Meta:
        model = Image
        fields = ["file", "title", "alt_text", "caption", "credit"]
        field_classes = {"file": ImageUploadField}
        help_texts = {
            "alt_text": gettext_lazy(
                "Required. Describe what the picture shows for readers who cannot see it."
            ),
        }

    def clean_alt_text(self):
        alt = (self.cleaned_data.get("alt_text") or "").strip()
        if not alt:
            raise ValidationError(_("Describe the image: alt text is required."), code="required")
        return alt

    def clean(self):
        """A new file needs the storage: when the bucket does not answer, say so here (the
        form keeps what was typed) rather than fail half-way through saving."""
        cleaned = super().clean()
        if isinstance(cleaned.get("file"), UploadedFile):
            try:
                storage_answers()
            except Exception:
                log.exception("Image upload refused: the media storage did not answer")
                self.add_error("file", ValidationError(STORAGE_DOWN, code="storage_down"))
        return cleaned
