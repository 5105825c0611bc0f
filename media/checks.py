"""Start-up checks for the image library's settings (`manage.py check`)."""

from pathlib import Path

from django.conf import settings
from django.core import checks

from media import renditions

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


@checks.register()
def check_avif(app_configs=None, **kwargs):
    """Without an AVIF encoder pages still work (WebP, then JPEG/PNG); say why AVIF is missing."""
    if renditions.avif_supported():
        return []
    return [
        checks.Info(
            "This Pillow cannot write AVIF: images get WebP and JPEG/PNG renditions only.",
            hint="Install a Pillow wheel built with libavif (PyPI's wheels are), then run "
            "manage.py build_renditions to add AVIF to existing images.",
            id="media.I001",
        )
    ]


S3_BACKEND = "storages.backends.s3.S3Storage"


def _s3_problems(options):
    """What is wrong in the S3 storage's options that settings.py built from NEWSROOM_S3_*."""
    problems = []
    protocol = options.get("url_protocol")
    if protocol not in ("http:", "https:"):
        problems.append(f"NEWSROOM_S3_URL_PROTOCOL must be https: or http:, not {protocol!r}.")
    domain = options.get("custom_domain") or ""
    if "/" in domain:
        problems.append(f"NEWSROOM_S3_CUSTOM_DOMAIN is a host (media.example.com), not {domain!r}.")
    endpoint = options.get("endpoint_url") or ""
    if endpoint and not endpoint.startswith(("http://", "https://")):
        problems.append(f"NEWSROOM_S3_ENDPOINT_URL must be an http(s):// URL, not {endpoint!r}.")
    config = options.get("client_config")
    if config is not None and not (config.connect_timeout or 0) > 0:
        problems.append("NEWSROOM_S3_TIMEOUT must be a positive number of seconds.")
    return problems


@checks.register()
def check_s3(app_configs=None, **kwargs):
    """Media on S3 (README "Media on S3"): a mistyped value would break every image URL."""
    storage = settings.STORAGES.get("default", {})
    if storage.get("BACKEND") != S3_BACKEND:
        return []
    return [
        checks.Error(problem, hint=HINT, id="media.E005")
        for problem in _s3_problems(storage.get("OPTIONS", {}))
    ]
