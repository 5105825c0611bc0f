"""Start-up checks: an upload limit that would refuse every file stops `manage.py check`."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from media.checks import check_upload_limits, check_uploads_moved


def test_the_defaults_pass(settings):
    assert check_upload_limits() == []


@pytest.mark.parametrize("value", [0, -1, "20", None, True])
def test_upload_limit_must_be_a_positive_number(settings, value):
    settings.NEWSROOM_MAX_UPLOAD_MB = value
    [error] = check_upload_limits()
    assert error.id == "media.E001"
    assert "NEWSROOM_MAX_UPLOAD_MB must be a positive number" in error.msg


@pytest.mark.parametrize("value", [0, -5, 1.5e7, "40000000"])
def test_pixel_limit_must_be_a_positive_whole_number(settings, value):
    settings.NEWSROOM_MAX_IMAGE_PIXELS = value
    [error] = check_upload_limits()
    assert error.id == "media.E002"
    assert "NEWSROOM_MAX_IMAGE_PIXELS must be a positive whole number" in error.msg


def test_fractional_megabytes_are_fine(settings):
    settings.NEWSROOM_MAX_UPLOAD_MB = 0.5
    assert check_upload_limits() == []


def test_manage_py_check_fails_with_the_message(settings):
    settings.NEWSROOM_MAX_UPLOAD_MB = 0
    with pytest.raises(SystemCheckError, match=r"media\.E001.*NEWSROOM_MAX_UPLOAD_MB"):
        call_command("check")


def test_uploads_have_a_folder_of_their_own(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "uploads"
    (tmp_path / "media").mkdir()
    assert check_uploads_moved() == []
    settings.MEDIA_ROOT = tmp_path / "media"
    [error] = check_uploads_moved()
    assert error.id == "media.E003"


def test_uploads_left_where_the_old_default_put_them_are_named_with_the_move(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "uploads"
    (tmp_path / "media" / "images" / "2026" / "11").mkdir(parents=True)
    (tmp_path / "media" / "renditions").mkdir()
    [error] = check_uploads_moved()
    assert error.id == "media.E004"
    assert "media/images, media/renditions" in error.msg
    assert error.hint == (
        f"Move them: mkdir -p {tmp_path / 'uploads'} && "
        f"mv media/images media/renditions {tmp_path / 'uploads'}/"
    )
