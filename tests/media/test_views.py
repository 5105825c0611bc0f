"""Serving local media: the library's files, and nothing else of MEDIA_ROOT."""

import pytest
from django.conf import settings as django_settings
from django.http import Http404
from django.test import RequestFactory

from media.views import serve_media
from tests.support.pictures import photo, submit


def get(path, root):
    request = RequestFactory().get(f"/media/{path}")
    return serve_media(request, path, document_root=root)


@pytest.mark.django_db
def test_library_files_are_served(settings):
    image = submit("pier.jpg", photo("JPEG", (600, 400))).save()
    for name in [image.file.name, image.renditions["social.jpg"]["name"]]:
        response = get(name, settings.MEDIA_ROOT)
        assert response.status_code == 200
        response.close()


@pytest.mark.parametrize(
    "path",
    ["models.py", "migrations/0001_initial.py", "images/../models.py", "/models.py", "images"],
)
def test_the_app_code_beside_default_media_root_is_never_served(path):
    root = django_settings.BASE_DIR / "media"  # the default MEDIA_ROOT holds the app's code
    assert (root / "models.py").exists()
    with pytest.raises(Http404):
        get(path, root)


def test_impossible_names_are_a_404(settings):
    for path in ["images/" + "x" * 5000 + ".jpg", "images/a\0.jpg"]:
        with pytest.raises(Http404):
            get(path, settings.MEDIA_ROOT)


@pytest.mark.django_db
def test_renditions_are_kept_for_a_year_and_originals_briefly(settings):
    image = submit("dock.jpg", photo("JPEG", (600, 400))).save()
    rendition = get(image.renditions["social.jpg"]["name"], settings.MEDIA_ROOT)
    assert rendition["Cache-Control"] == "public, max-age=31536000, immutable"
    original = get(image.file.name, settings.MEDIA_ROOT)
    assert original["Cache-Control"] == "public, max-age=3600"
    rendition.close()
    original.close()


@pytest.mark.django_db
def test_a_revalidated_rendition_keeps_its_cache_policy(settings):
    image = submit("quay.jpg", photo("JPEG", (600, 400))).save()
    name = image.renditions["social.jpg"]["name"]
    first = get(name, settings.MEDIA_ROOT)
    request = RequestFactory().get(f"/media/{name}", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    again = serve_media(request, name, document_root=settings.MEDIA_ROOT)
    assert again.status_code == 304
    assert "immutable" in again["Cache-Control"]
    first.close()


def test_a_missing_rendition_is_a_404_not_a_cached_answer(settings):
    with pytest.raises(Http404):
        get("renditions/ab/" + "ab" * 32 + "/480.webp", settings.MEDIA_ROOT)
