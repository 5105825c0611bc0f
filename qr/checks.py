"""Start-up checks of the QR settings: a misspelt level or a missing logo fails `check`."""

from pathlib import Path

from django.conf import settings
from django.core import checks
from PIL import Image

from qr import codes


@checks.register()
def check_error_level(app_configs, **kwargs):
    level = settings.NEWSROOM_QR_ERROR
    if str(level).upper() in codes.ERROR_LEVELS:
        return []
    return [
        checks.Error(
            f"NEWSROOM_QR_ERROR is {level!r}, which is no QR error correction level.",
            hint="Use L, M (the default), Q or H: higher survives more damage, in bigger codes.",
            id="qr.E001",
        )
    ]


@checks.register()
def check_logo(app_configs, **kwargs):
    path = settings.NEWSROOM_QR_LOGO
    if not path:
        return []
    try:
        with Image.open(Path(path)) as logo:
            logo.verify()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        return [
            checks.Error(
                f"NEWSROOM_QR_LOGO {path!r} is not a readable image file: {error}",
                hint="Name a PNG or JPEG file (relative paths are from the project), or unset it.",
                id="qr.E002",
            )
        ]
    return []
