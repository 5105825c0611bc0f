"""An image's files follow its row: replaced or deleted files go once the transaction commits."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from media.signals import image_file_replaced
from tests.support.pictures import media_files, photo, replace_through_admin, submit


@pytest.mark.django_db
def test_replacing_and_deleting_remove_old_files(
    client, editor, settings, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    image = submit("first.jpg", photo("JPEG", (1000, 700))).save()
    old_files = set(media_files(settings))
    replace_through_admin(client, image, django_capture_on_commit_callbacks)
    assert image.file.name.endswith(".png") and image.width == 800
    now = set(media_files(settings))
    assert not (old_files & now)  # old original and renditions are gone
    assert now == {image.file.name} | {e["name"] for e in image.renditions.values()}
    with django_capture_on_commit_callbacks(execute=True):
        image.delete()
    assert media_files(settings) == []


@pytest.mark.django_db
def test_replacing_a_file_is_announced_after_commit_while_the_old_file_exists(
    settings, django_capture_on_commit_callbacks
):
    image = submit("first.jpg", photo("JPEG", (600, 400))).save()
    first_file = image.file.name
    heard = []

    def receiver(sender, instance, old_name, new_name, **kwargs):
        heard.append((instance.pk, old_name, new_name, old_name in media_files(settings)))

    image_file_replaced.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            image.file = SimpleUploadedFile("second.jpg", photo("JPEG", (500, 400)))
            image.save()
        assert heard == []  # nothing before the commit
        for callback in callbacks:
            callback()
        image.title = "Renamed"
        with django_capture_on_commit_callbacks(execute=True):
            image.save()  # same file: nothing to announce
    finally:
        image_file_replaced.disconnect(receiver)
    assert heard == [(image.pk, first_file, image.file.name, True)]
    assert first_file not in media_files(settings)


@pytest.mark.django_db
def test_identical_images_share_renditions_until_the_last_goes(
    settings, django_capture_on_commit_callbacks
):
    data = photo("JPEG", (700, 500))
    first = submit("one.jpg", data).save()
    second = submit("two.jpg", data).save()
    assert first.renditions["480.webp"] == second.renditions["480.webp"]
    with django_capture_on_commit_callbacks(execute=True):
        first.delete()
    assert second.renditions["480.webp"]["name"] in media_files(settings)
    with django_capture_on_commit_callbacks(execute=True):
        second.delete()
    assert media_files(settings) == []
