"""The image library's upload form: the file is judged by its content before anything is stored."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from media.models import Image
from media.validation import ACCEPT, EXTENSIONS, MIME_TYPES, validate_upload


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
