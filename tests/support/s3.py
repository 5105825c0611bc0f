"""A real S3 API on loopback for the storage tests: moto in server mode (`moto_server`), started
and stopped by the test, with one public bucket."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

PORTS = range(18200, 18250)
BUCKET = "newsroom-media"
PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/*",
        }
    ],
}
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",  # moto accepts any key
    "AWS_DEFAULT_REGION": "us-east-1",
}
CLIENT_CREDENTIALS = {
    "region_name": "us-east-1",
    "aws_access_key_id": "testing",
    "aws_secret_access_key": "testing",
}


def free_port(ports=PORTS):
    for port in ports:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.skip(f"no free port in {ports.start}-{ports.stop - 1}")


def moto_server_command():
    found = Path(sys.executable).with_name("moto_server")
    if found.exists():
        return [str(found)]
    if shutil.which("moto_server"):
        return [shutil.which("moto_server")]
    pytest.skip("the S3 tests need moto_server: pip install -r requirements-dev.txt")


class MotoS3:
    """One moto_server process; `stop()` and `start()` again make an S3 outage (moto keeps its
    objects in memory, so a restart also empties the bucket)."""

    def __init__(self, port=None):
        self.port = port or free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [*moto_server_command(), "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, **CREDENTIALS},
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.endpoint + "/moto-api/", timeout=1).close()
                break
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        else:
            self.stop()
            pytest.fail("moto_server did not start")
        client = self.client()
        client.create_bucket(Bucket=BUCKET)
        # Public reads, as README "Media on S3" asks of the bucket (pages use plain URLs).
        client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_READ))
        return self

    def stop(self):
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def client(self):
        import boto3

        return boto3.client("s3", endpoint_url=self.endpoint, **CLIENT_CREDENTIALS)

    def keys(self):
        listing = self.client().list_objects_v2(Bucket=BUCKET)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def object_url(self, key):
        return f"{self.endpoint}/{BUCKET}/{key}"

    def environment(self):
        """The site's settings for this bucket (README "Media on S3")."""
        return {
            **CREDENTIALS,
            "NEWSROOM_S3_BUCKET": BUCKET,
            "NEWSROOM_S3_ENDPOINT_URL": self.endpoint,
            "NEWSROOM_S3_REGION": "us-east-1",
        }


def s3_storage_setting(endpoint, **options):
    """STORAGES["default"] as newsroom/settings.py builds it from NEWSROOM_S3_* (for tests that
    change settings in-process rather than start a server)."""
    from botocore.config import Config

    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": BUCKET,
            "endpoint_url": endpoint,
            "region_name": "us-east-1",
            "querystring_auth": False,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
            "client_config": Config(
                connect_timeout=1, read_timeout=4, retries={"max_attempts": 1, "mode": "standard"}
            ),
            **options,
        },
    }
