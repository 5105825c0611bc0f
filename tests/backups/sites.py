"""A site in its own processes (database, media folder, settings from the environment), for
backups taken and restored through `manage.py` as an operator runs them."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class Site:
    def __init__(self, folder: Path, db_url: str):
        self.media = folder / "uploads"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("TEST_")}
        self.env.update(
            NEWSROOM_TESTING="1",
            DATABASE_URL=db_url,
            MEDIA_ROOT=str(self.media),
            REDIS_URL="",
            NEWSROOM_VIEW_STORE="database",
            DJANGO_HTTPS="0",
            DJANGO_SETTINGS_MODULE=os.environ.get("DJANGO_SETTINGS_MODULE", "newsroom.settings"),
        )

    def run(self, *args, check=True):
        done = subprocess.run(
            [sys.executable, *args], cwd=ROOT, env=self.env, capture_output=True, text=True,
            timeout=300,
        )  # fmt: skip
        if check:
            assert done.returncode == 0, done.stderr[-3000:]
        return done

    def manage(self, *args, check=True):
        return self.run("manage.py", *args, check=check)

    def workload(self, *args):
        return json.loads(self.run("-m", "tests.backups.workload", *args).stdout.splitlines()[-1])

    def media_files(self):
        return (
            sorted(p for p in self.media.rglob("*") if p.is_file()) if self.media.exists() else []
        )


def assert_restored(source: dict, restored: dict, load: dict):
    """Every article committed before the backup began is there as it was; nothing from after
    it ended; every restored row is whole (revisions, counts agreeing with daily rows, files)."""
    before, after = {str(pk) for pk in load["before"]}, {str(pk) for pk in load["after"]}
    articles = restored["articles"]
    assert before <= set(articles) <= after
    for pk in before:
        assert articles[pk] == source["articles"][pk]
        assert articles[pk]["revisions"] == 2
        assert articles[pk]["views"] == articles[pk]["qr_scans"] == 1
    for row in articles.values():
        assert row["revisions"] >= 1
        assert row["views"] == row["daily_views"]
        assert row["qr_scans"] == row["daily_scans"]
        assert row["cover"] is None or str(row["cover"]) in restored["images"]
    assert restored["images"], "the load made images before the backup"
    for pk, image in restored["images"].items():
        assert image == source["images"][pk]  # the same names, bytes and renditions
