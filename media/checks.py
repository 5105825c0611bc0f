"""Start-up checks for the image library's settings (`manage.py check`)."""

from pathlib import Path

from django.conf import settings
from django.core import checks

HINT = "Set it in the environment (see newsroom/settings.py), or leave it unset for the default."


@checks.register()
def check_upload_limits(app_configs=None, **kwargs):
    """A zero or negative limit would refuse every upload, with a message that blames the file."""
    errors = []
    upload_mb = settings.NEWSROOM_MAX_UPLOAD_MB
    if isinstance(upload_mb, bool) or not isinstance(upload_mb, int | float) or upload_mb <= 0:
        errors.append(
            checks.Error(
                f"NEWSROOM_MAX_UPLOAD_MB must be a positive number of megabytes, "
                f"not {upload_mb!r}.",
                hint=HINT,
                id="media.E001",
            )
        )
    pixels = settings.NEWSROOM_MAX_IMAGE_PIXELS
    if isinstance(pixels, bool) or not isinstance(pixels, int) or pixels <= 0:
        errors.append(
            checks.Error(
                f"NEWSROOM_MAX_IMAGE_PIXELS must be a positive whole number of pixels, "
                f"not {pixels!r}.",
                hint=HINT,
                id="media.E002",
            )
        )
    return errors


# Where uploads went by default before the image library became the `media` app, whose code
# now lives in that folder.
FORMER_UPLOAD_FOLDERS = ("images", "renditions")


@checks.register()
def check_uploads_moved(app_configs=None, **kwargs):
    """Uploads left in the app's code folder would be missing from every page."""
    old_root = settings.BASE_DIR / "media"
    if Path(settings.MEDIA_ROOT).resolve() == old_root.resolve():
        return [
            checks.Error(
                "MEDIA_ROOT is the media app's code folder: uploads and code would share it.",
                hint="Set MEDIA_ROOT to a folder of its own (the default is uploads/).",
                id="media.E003",
            )
        ]
    left = [name for name in FORMER_UPLOAD_FOLDERS if (old_root / name).is_dir()]
    if not left:
        return []
    moves = " ".join(f"media/{name}" for name in left)
    return [
        checks.Error(
            f"Uploaded images are still in {', '.join(moves.split())}, where uploads went "
            f"before MEDIA_ROOT's default became uploads/; pages would miss them.",
            hint=f"Move them: mkdir -p {settings.MEDIA_ROOT} && mv {moves} {settings.MEDIA_ROOT}/",
            id="media.E004",
        )
    ]
