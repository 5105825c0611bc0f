"""Start-up checks of the QR settings: a misspelt level or an unreadable logo fails `check`."""

import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from PIL import Image


def qr_check_ids():
    return [message.id for message in checks.run_checks() if message.id.startswith("qr.")]


@pytest.mark.parametrize("level", ["L", "M", "Q", "H", "h"])
def test_every_error_correction_level_passes(settings, level):
    settings.NEWSROOM_QR_ERROR = level
    assert qr_check_ids() == []


@pytest.mark.parametrize("level", ["X", "", "medium", "MM"])
def test_a_misspelt_level_is_an_error(settings, level):
    settings.NEWSROOM_QR_ERROR = level
    assert qr_check_ids() == ["qr.E001"]


def test_a_misspelt_level_fails_manage_check(settings):
    settings.NEWSROOM_QR_ERROR = "X"
    with pytest.raises(SystemCheckError, match="NEWSROOM_QR_ERROR"):
        call_command("check")


def test_a_readable_logo_passes(settings, tmp_path):
    logo = tmp_path / "logo.png"
    Image.new("RGBA", (30, 20), (200, 30, 40, 255)).save(logo)
    settings.NEWSROOM_QR_LOGO = str(logo)
    assert qr_check_ids() == []


def test_no_logo_passes(settings):
    settings.NEWSROOM_QR_LOGO = ""
    assert qr_check_ids() == []


@pytest.mark.parametrize("kind", ["missing", "not an image", "a folder"])
def test_an_unreadable_logo_is_an_error(settings, tmp_path, kind):
    path = tmp_path / "logo.png"
    if kind == "not an image":
        path.write_text("<svg/>")
    elif kind == "a folder":
        path.mkdir()
    settings.NEWSROOM_QR_LOGO = str(path)
    assert qr_check_ids() == ["qr.E002"]
