"""The query parameters of the code files, checked strictly.

Anything unknown, repeated or malformed is refused (a 400 saying why), so a cache in front of
us never stores junk variants and a typo is reported, not silently ignored.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qr import codes, posters
from qr.models import Placement

# Digits only: no sign, exponent, space or leading 0.
PIXELS_RE = re.compile(r"[1-9][0-9]{2,3}")
POSTER_SIZE_ERROR = "size must be a4 (the default) or a5."
DOWNLOAD_ERROR = "download must be 1 (save as a file) or 0 (show in the browser)."
SIZE_ERROR = (
    f"size must be a whole number of pixels from {codes.PNG_MIN_SIZE} to {codes.PNG_MAX_SIZE}."
)


class StrictQueryForm(forms.Form):
    """A form over a query string: each parameter at most once, none but the fields.

    A parameter left out takes its `defaults` value; one given empty is an error.
    """

    defaults = {}

    def __init__(self, query):
        self.query = query
        super().__init__({**self.defaults, **query.dict()})

    def clean(self):
        for name, values in self.query.lists():
            if name not in self.fields:
                shown = name[:40].encode("unicode_escape").decode("ascii")
                allowed = ", ".join(self.fields)
                raise ValidationError(
                    f"Unknown parameter {shown!r}; this address takes only: {allowed}."
                )
            if len(values) != 1:
                raise ValidationError(f"Give {name} once.")
        return super().clean()

    def first_error(self):
        """The one message a client gets: an unknown or repeated parameter (the first in the
        query), else the first field in error."""
        for message in self.non_field_errors():
            return message
        for name in self.fields:
            for message in self.errors.get(name, ()):
                return message
        return ""


class PixelsField(forms.Field):
    """A whole number of pixels within bounds, written plainly."""

    def __init__(self, *, min_value, max_value, message, **kwargs):
        self.min_value, self.max_value = min_value, max_value
        super().__init__(error_messages={"required": message, "invalid": message}, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        size = int(value) if PIXELS_RE.fullmatch(value) else None
        if size is None or not self.min_value <= size <= self.max_value:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return size


def download_field():
    return forms.TypedChoiceField(
        choices=[("0", "0"), ("1", "1")],
        coerce=lambda value: value == "1",
        error_messages={"required": DOWNLOAD_ERROR, "invalid_choice": DOWNLOAD_ERROR},
    )


class SvgFileForm(StrictQueryForm):
    """`qr.svg`: ?download=1 saves it as a file."""

    defaults = {"download": "0"}
    download = download_field()


class PngFileForm(StrictQueryForm):
    """`qr.png`: ?size=N pixels square; ?download=1 saves it as a file."""

    defaults = {"size": str(codes.PNG_DEFAULT_SIZE), "download": "0"}
    size = PixelsField(
        min_value=codes.PNG_MIN_SIZE, max_value=codes.PNG_MAX_SIZE, message=SIZE_ERROR
    )
    download = download_field()


class PosterForm(StrictQueryForm):
    """`poster.pdf`: ?size=a4 (default) or a5; ?download=1 saves it as a file."""

    defaults = {"size": posters.DEFAULT_SIZE, "download": "0"}
    size = forms.ChoiceField(
        choices=[(name, name) for name in posters.SIZES],
        error_messages={"required": POSTER_SIZE_ERROR, "invalid_choice": POSTER_SIZE_ERROR},
    )
    download = download_field()


class PlacementAdminForm(forms.ModelForm):
    """A placement in the admin, with "Retired" as a tick box (kept as the time it was ticked)."""

    retired = forms.BooleanField(
        label=_("Retired"),
        required=False,
        help_text=_("No longer printed. Its link keeps leading to the article."),
    )

    class Meta:
        model = Placement
        fields = ["article", "name", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["retired"].initial = self.instance.retired_at is not None

    def save(self, commit=True):
        retired = self.cleaned_data.get("retired", False)
        if retired and self.instance.retired_at is None:
            self.instance.retired_at = timezone.now()
        elif not retired:
            self.instance.retired_at = None
        return super().save(commit)
