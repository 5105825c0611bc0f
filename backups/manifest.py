"""The manifest of a backup folder: what it holds, and how `restore` knows it is whole.

`manifest.json` gives the time, the Django and Newsroom versions, the database vendor, its dump
with size and sha256 and the rows of every table in that snapshot, and every media file with its
size and sha256. `verify` checks all of it before a restore changes anything.
"""

import hashlib
import json
import tomllib
from pathlib import Path, PurePosixPath

import django
from django.conf import settings
from django.utils import timezone

FORMAT = 1
MANIFEST_NAME = "manifest.json"
MEDIA_DIR = "media"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
CHUNK = 1024 * 1024


class BrokenBackup(Exception):
    """The folder is not a whole backup: a file is missing, changed or unexpected."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def describe(path: Path, name: str) -> dict:
    return {"name": name, "size": path.stat().st_size, "sha256": sha256_of(path)}


def app_version() -> str:
    with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle)["project"]["version"]


def write(folder: Path, vendor: str, tables: dict, media_files: list) -> dict:
    name = DATABASE_FILES[vendor]
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "django": django.get_version(),
        "newsroom": app_version(),
        "database": {"vendor": vendor, **describe(folder / name, name), "tables": tables},
        "media": sorted(media_files, key=lambda entry: entry["name"]),
    }
    (folder / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return manifest


def media_path(folder: Path, name: str) -> Path:
    """Where a storage name sits in the folder; a name that climbs out is refused."""
    parts = PurePosixPath(name).parts
    if not parts or PurePosixPath(name).is_absolute() or ".." in parts:
        raise BrokenBackup(f"Unsafe file name in the manifest: {name!r}")
    return folder / MEDIA_DIR / Path(*parts)


def read(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / MANIFEST_NAME).read_text())
    except (OSError, ValueError) as exc:
        raise BrokenBackup(f"No readable {MANIFEST_NAME} in {folder}: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BrokenBackup(f"{folder / MANIFEST_NAME} is not a backup manifest of format {FORMAT}")
    return manifest


def _check(path: Path, entry: dict):
    if not path.is_file():
        raise BrokenBackup(f"Missing from the backup: {entry['name']}")
    if path.stat().st_size != entry["size"] or sha256_of(path) != entry["sha256"]:
        raise BrokenBackup(f"Changed since the backup was taken (checksum): {entry['name']}")


def verify(folder: Path) -> dict:
    """The manifest, once every file it lists is present with its size and sha256."""
    manifest = read(folder)
    try:
        database = manifest["database"]
        if DATABASE_FILES.get(database["vendor"]) != database["name"]:
            raise BrokenBackup(f"Unknown database dump {database['name']!r}")
        _check(folder / database["name"], database)
        for entry in manifest["media"]:
            _check(media_path(folder, entry["name"]), entry)
    except (KeyError, TypeError) as exc:
        raise BrokenBackup(f"Incomplete manifest: {exc}") from exc
    return manifest
