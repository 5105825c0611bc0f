"""The image library as editors meet it from the article desk: alt text, uploads, the picker."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from media.models import Image
from tests.conftest import image_bytes

pytestmark = pytest.mark.django_db


def test_image_alt_text_is_required(editor_client):
    url = reverse("admin:media_image_add")
    upload = SimpleUploadedFile("a.jpg", image_bytes(), content_type="image/jpeg")
    response = editor_client.post(url, {"file": upload, "title": "A", "alt_text": "   "})
    assert response.status_code == 200
    assert "alt_text" in response.context["adminform"].form.errors
    assert not Image.objects.exists()

    upload = SimpleUploadedFile("a.jpg", image_bytes(), content_type="image/jpeg")
    response = editor_client.post(url, {"file": upload, "title": "A", "alt_text": "A pier"})
    assert response.status_code == 302
    image = Image.objects.get()
    assert image.uploaded_by.username == "editor"
    listing = editor_client.get(reverse("admin:media_image_changelist")).content.decode()
    assert 'class="nr-thumb"' in listing
    page = editor_client.get(reverse("admin:media_image_change", args=[image.pk]))
    assert 'class="nr-preview"' in page.content.decode()


def test_bad_upload_is_a_form_error(editor_client):
    upload = SimpleUploadedFile("evil.jpg", b"<script>not an image</script>")
    response = editor_client.post(
        reverse("admin:media_image_add"), {"file": upload, "title": "x", "alt_text": "x"}
    )
    assert response.status_code == 200
    assert "file" in response.context["adminform"].form.errors
    assert not Image.objects.exists()


def test_image_picker_lists_the_library(editor_client, make_image, client):
    make_image(name="pier.jpg", alt_text="The pier", caption="The pier at noon")
    make_image(name="crane.jpg", alt_text="A crane")
    url = reverse("admin:media_image_picker")
    html = editor_client.get(url, {"CKEditorFuncNum": "-1", "q": "pier"}).content.decode()
    assert 'data-alt="The pier"' in html and 'data-caption="The pier at noon"' in html
    assert "A crane" not in html
    assert 'data-func-num="-1"' in html
    assert "js/admin-image-picker.js" in html
    # Junk function numbers are dropped, not echoed.
    html = editor_client.get(url, {"CKEditorFuncNum": '"><script>'}).content.decode()
    assert 'data-func-num=""' in html
    editor_client.logout()
    assert client.get(url).status_code == 302  # to the login page
