"""Uploading through the image admin: only images offered, bad files refused with a clear error."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from media.forms import ImageAdminForm, ImageUploadField
from media.models import Image
from tests.support.pictures import jpeg_with_gps, media_files


@pytest.mark.django_db
def test_admin_upload_by_editor_and_clear_error(client, editor, settings):
    client.force_login(editor)
    url = reverse("admin:media_image_add")
    page = client.get(url)
    assert page.status_code == 200
    assert 'accept="image/jpeg,image/png,image/webp,image/gif"' in page.content.decode()
    bad = client.post(
        url,
        {"title": "Fake", "alt_text": "x", "file": SimpleUploadedFile("x.jpg", b"<html></html>")},
    )
    assert bad.status_code == 200
    assert "not a JPEG, PNG, WebP or GIF image" in bad.content.decode()
    assert media_files(settings) == []
    good = client.post(
        url,
        {
            "title": "Harbour",
            "alt_text": "Cranes at the harbour",
            "file": SimpleUploadedFile("harbour.jpg", jpeg_with_gps()),
        },
    )
    assert good.status_code == 302, good.content.decode()[:2000]
    image = Image.objects.get(title="Harbour")
    assert image.width == 400 and image.renditions


def test_the_upload_form_field_is_declared_by_the_form():
    assert isinstance(ImageAdminForm.base_fields["file"], ImageUploadField)
