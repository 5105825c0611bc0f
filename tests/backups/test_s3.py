"""`backup` and `restore` with media on S3: through the storage API, bucket to folder to bucket,
against two real S3 APIs (moto_server on loopback, ports of 18300-18399)."""

import json

import pytest

from tests.backups.sites import Site, assert_restored
from tests.support.s3 import MotoS3, free_port

pytestmark = pytest.mark.slow
PORTS = range(18300, 18400)


@pytest.fixture
def two_buckets():
    source = MotoS3(port=free_port(PORTS)).start()
    try:
        target = MotoS3(port=free_port(range(source.port + 1, PORTS.stop))).start()
    except BaseException:
        source.stop()
        raise
    yield source, target
    source.stop()
    target.stop()


def site_on(bucket, folder):
    folder.mkdir()
    site = Site(folder, f"sqlite:///{folder / 'site.sqlite3'}")
    site.env.update(bucket.environment())
    site.manage("migrate", "--noinput")
    return site


def test_a_bucket_is_backed_up_and_restored_into_an_empty_one(two_buckets, tmp_path):
    source_bucket, target_bucket = two_buckets
    source = site_on(source_bucket, tmp_path / "source")
    load = source.workload("load", str(tmp_path / "backup"))
    assert not load["errors"]
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    names = sorted(entry["name"] for entry in manifest["media"])
    assert names and set(names) <= set(source_bucket.keys())

    target = site_on(target_bucket, tmp_path / "target")
    assert target_bucket.keys() == []
    target.manage("restore", str(tmp_path / "backup"))
    assert target_bucket.keys() == names
    assert_restored(source.workload("state"), target.workload("state"), load)
