"""Which uploads are refused, with which message: through the form and through full_clean."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from media.models import Image
from tests.support.pictures import media_files, photo, png_bomb, submit

REFUSED = [
    ("bomb.png", png_bomb(), "cannot be processed safely"),
    ("cut.jpg", photo("JPEG", (800, 600))[:9000], "damaged or incomplete"),
    ("page.jpg", b"<!doctype html><html><script>alert(1)</script></html>", "not a JPEG, PNG"),
    (
        "logo.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9">'
        b"<script>alert(1)</script></svg>",
        "not a JPEG, PNG",
    ),
    ("svg-named.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', "not a"),
    ("empty.jpg", b"", "empty"),
    ("photo.bmp", photo("BMP", (100, 100)), "not a JPEG, PNG"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "data", "message"), REFUSED, ids=[r[0] for r in REFUSED])
def test_bad_uploads_are_refused_with_a_clear_error_and_leave_nothing(
    settings, name, data, message
):
    form = submit(name, data)
    assert not form.is_valid()
    assert message in " ".join(form.errors["file"])
    assert Image.objects.count() == 0
    assert media_files(settings) == []


@pytest.mark.django_db
def test_oversize_file_and_too_many_pixels_are_refused(settings):
    settings.NEWSROOM_MAX_UPLOAD_MB = 0.05
    form = submit("huge.jpg", photo("JPEG", (1200, 900), quality=95))
    assert not form.is_valid()
    assert "This file is 0.3 MB; uploads can be at most 0.05 MB." in form.errors["file"][0]
    settings.NEWSROOM_MAX_UPLOAD_MB = 20
    settings.NEWSROOM_MAX_IMAGE_PIXELS = 1_000_000
    form = submit("wide.png", photo("PNG", (1500, 800)))
    assert not form.is_valid()
    assert "1500×800 pixels (1.2 megapixels); the limit is 1 megapixels" in form.errors["file"][0]
    assert media_files(settings) == []


@pytest.mark.django_db
def test_model_full_clean_shares_the_same_checks(settings):
    image = Image(title="x", alt_text="x")
    image.file = SimpleUploadedFile("x.jpg", b"<html></html>")
    with pytest.raises(ValidationError) as info:
        image.full_clean()
    assert "not a JPEG, PNG" in " ".join(info.value.message_dict["file"])
    with pytest.raises(ValidationError):  # code that skips validation cannot store it either
        image.save()
    assert media_files(settings) == []


@pytest.mark.django_db
def test_full_clean_accepts_a_good_upload_and_trusts_stored_files():
    image = Image(title="x", alt_text="x")
    image.file = SimpleUploadedFile("x.jpg", photo("JPEG", (300, 200)))
    image.full_clean()
    image.save()
    image.refresh_from_db()
    image.full_clean()  # the stored file is not judged again


def test_the_validator_is_declared_on_the_model_field():
    from media.validation import validate_image_file

    assert validate_image_file in Image._meta.get_field("file").validators
