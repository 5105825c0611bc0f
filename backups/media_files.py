"""Media files out of and into Django's storage (a local folder or an S3 bucket alike).

A restore plans first (which files to add, skip or replace), refusing a name that holds
other content unless forced, then writes; `undo` deletes what it added and puts back what it
replaced, so a failed restore leaves the storage as it found it.
"""

import hashlib
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files import File

from backups.manifest import CHUNK, media_path


class MediaConflict(Exception):
    """Storage already holds other content under names the backup has."""


def walk(storage, folder=""):
    """Every file name in the storage, recursively."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return  # a local MEDIA_ROOT no upload has made yet
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in folders:
        yield from walk(storage, f"{folder}/{sub}" if folder else sub)


def copy_out(storage, names, folder: Path) -> list[dict]:
    """Copy files from storage into the backup `folder`'s media, hashing on the way. A file
    deleted meanwhile is left out: files go after their rows, so no later snapshot has it."""
    entries = []
    for name in names:
        target = media_path(folder, name)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            entries.append(_copy_one(storage, name, target))
        except FileNotFoundError:
            target.unlink(missing_ok=True)
            if storage.exists(name):
                raise
    return entries


def _copy_one(storage, name, target):
    digest, size = hashlib.sha256(), 0
    with storage.open(name, "rb") as source, open(target, "wb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return {"name": name, "size": size, "sha256": digest.hexdigest()}


def stored_sha256(storage, name) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class MediaRestore:
    storage: object
    folder: Path
    entries: list
    force: bool = False
    added: list = field(default_factory=list)
    replaced: dict = field(default_factory=dict)  # name -> saved copy of the old file
    _attic: Path | None = None

    def plan(self):
        """The entries to write; raises MediaConflict (unless forced) before writing any."""
        todo, conflicts = [], []
        for entry in self.entries:
            name = entry["name"]
            if not self.storage.exists(name):
                todo.append(entry)
            elif stored_sha256(self.storage, name) != entry["sha256"]:
                conflicts.append(name)
                todo.append(entry)
        if conflicts and not self.force:
            shown = ", ".join(conflicts[:5]) + (" ..." if len(conflicts) > 5 else "")
            raise MediaConflict(f"{len(conflicts)} stored file(s) differ from the backup: {shown}")
        return todo

    def apply(self, todo):
        for entry in todo:
            name = entry["name"]
            if self.storage.exists(name):
                self._keep_old(name)
                self.storage.delete(name)
            with open(media_path(self.folder, name), "rb") as handle:
                saved = self.storage.save(name, File(handle))
            self.added.append(saved)
            if saved != name:
                raise OSError(f"Storage saved {name} as {saved}")

    def _keep_old(self, name):
        if self._attic is None:
            self._attic = Path(tempfile.mkdtemp(prefix="newsroom-restore-"))
        copy = self._attic / str(len(self.replaced))
        with self.storage.open(name, "rb") as source, open(copy, "wb") as out:
            shutil.copyfileobj(source, out, CHUNK)
        self.replaced[name] = copy

    def undo(self):
        for name in reversed(self.added):
            self.storage.delete(name)
        for name, copy in self.replaced.items():
            if not self.storage.exists(name):
                with open(copy, "rb") as handle:
                    self.storage.save(name, File(handle))
        self.added.clear()
        self.replaced.clear()

    def done(self):
        if self._attic is not None:
            shutil.rmtree(self._attic, ignore_errors=True)
