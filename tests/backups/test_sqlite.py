"""`backup` under load and `restore` into an empty site, on SQLite, as an operator runs them."""

import json
import shutil

import pytest

from tests.backups.sites import Site, assert_restored

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def backed_up(tmp_path_factory):
    """A site that served reads and writes while its backup was taken."""
    folder = tmp_path_factory.mktemp("sqlite-backup")
    source = Site(folder / "source", f"sqlite:///{folder / 'source.sqlite3'}")
    source.manage("migrate", "--noinput")
    load = source.workload("load", str(folder / "backup"))
    assert not load["errors"]
    assert len(load["after"]) > len(load["before"]), "no article was published during the backup"
    return source, folder / "backup", load


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """A migrated, empty database file: what a new site has before any content."""
    folder = tmp_path_factory.mktemp("sqlite-empty")
    Site(folder, f"sqlite:///{folder / 'empty.sqlite3'}").manage("migrate", "--noinput")
    return folder / "empty.sqlite3"


@pytest.fixture
def empty_site(migrated, tmp_path):
    shutil.copy(migrated, tmp_path / "target.sqlite3")
    return Site(tmp_path / "target", f"sqlite:///{tmp_path / 'target.sqlite3'}")


def test_a_backup_under_load_restores_whole_into_an_empty_site(backed_up, empty_site):
    source, backup, load = backed_up
    target = empty_site
    done = target.manage("restore", str(backup))
    assert "Restored" in done.stdout
    restored = target.workload("state")
    assert_restored(source.workload("state"), restored, load)
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["database"]["vendor"] == "sqlite"
    assert manifest["database"]["tables"]["articles_article"] == len(restored["articles"])
    names = {entry["name"] for entry in manifest["media"]}
    for image in restored["images"].values():
        assert image["file"][0] in names


def test_a_site_with_content_is_not_overwritten_without_force(backed_up, empty_site):
    _, backup, _ = backed_up
    target = empty_site
    target.manage("restore", str(backup))
    again = target.manage("restore", str(backup), check=False)
    assert again.returncode != 0
    assert "not empty" in again.stderr and "--force" in again.stderr
    assert "Restored" in target.manage("restore", str(backup), "--force").stdout


def test_a_changed_file_restores_nothing(backed_up, empty_site, tmp_path):
    _, backup, _ = backed_up
    copy = shutil.copytree(backup, tmp_path / "copy")
    victim = next(p for p in (copy / "media").rglob("*.jpg"))
    victim.write_bytes(victim.read_bytes()[:-1] + b"\0")
    target = empty_site
    done = target.manage("restore", str(copy), check=False)
    assert done.returncode != 0
    assert "checksum" in done.stderr
    assert target.media_files() == []
    assert target.workload("state")["articles"] == {}


def test_a_failed_database_load_takes_the_media_back(backed_up, empty_site, tmp_path):
    _, backup, _ = backed_up
    copy = shutil.copytree(backup, tmp_path / "copy")
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["database"]["tables"]["articles_article"] += 1  # the dump no longer matches
    (copy / "manifest.json").write_text(json.dumps(manifest))
    target = empty_site
    done = target.manage("restore", str(copy), check=False)
    assert done.returncode != 0
    assert "Nothing restored" in done.stderr
    assert target.media_files() == []
    assert target.workload("state")["articles"] == {}


def test_a_backup_never_writes_into_a_folder_with_files(backed_up, tmp_path):
    source, _, _ = backed_up
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    done = source.manage("backup", str(tmp_path / "full"), check=False)
    assert done.returncode != 0
    assert "not an empty folder" in done.stderr
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["keep.txt"]
    assert not list(tmp_path.glob(".full.partial-*"))
