"""Start-up checks: a misspelt view-counting setting fails `manage.py check`, clearly."""

import subprocess
import sys

import pytest
from django.core import checks

from tests.support.servers import ROOT


def errors():
    return [(e.id, e.msg) for e in checks.run_checks() if e.id.startswith("readership.")]


def test_the_default_settings_pass():
    assert errors() == []


def test_a_misspelt_counting_mode_is_an_error(settings):
    settings.NEWSROOM_VIEW_COUNTING = "beakon"
    assert errors() == [
        (
            "readership.E001",
            "NEWSROOM_VIEW_COUNTING is 'beakon'; it must be one of 'server', 'beacon'.",
        )
    ]


def test_a_misspelt_view_store_is_an_error(settings):
    settings.NEWSROOM_VIEW_STORE = "Redis"
    assert errors() == [
        (
            "readership.E002",
            "NEWSROOM_VIEW_STORE is 'Redis'; it must be one of 'database', 'redis'.",
        )
    ]


@pytest.mark.parametrize("url", ["", "127.0.0.1:6379", "http://127.0.0.1:6379/0"])
def test_the_redis_store_needs_a_redis_url(settings, url):
    settings.NEWSROOM_VIEW_STORE = "redis"
    settings.NEWSROOM_VIEW_REDIS_URL = url
    assert [id_ for id_, _ in errors()] == ["readership.E003"]


@pytest.mark.parametrize("url", ["redis://127.0.0.1:6379/0", "rediss://r.example:6380/1"])
def test_the_redis_store_with_a_redis_url_passes(settings, url):
    settings.NEWSROOM_VIEW_STORE = "redis"
    settings.NEWSROOM_VIEW_REDIS_URL = url
    assert errors() == []


@pytest.mark.parametrize(
    ("name", "check_id"),
    [("NEWSROOM_VIEW_WINDOW", "readership.E004"), ("NEWSROOM_VIEW_FLUSH", "readership.E005")],
)
@pytest.mark.parametrize("value", [-1, 1.5, "10"])
def test_window_and_flush_must_be_whole_seconds_not_negative(settings, name, check_id, value):
    setattr(settings, name, value)
    assert [id_ for id_, _ in errors()] == [check_id]


@pytest.mark.parametrize("name", ["NEWSROOM_VIEW_WINDOW", "NEWSROOM_VIEW_FLUSH"])
def test_zero_window_or_flush_is_allowed(settings, name):
    """0 is documented: no repeat-visit cookie, or no automatic flush."""
    setattr(settings, name, 0)
    assert errors() == []


def test_manage_py_check_fails_at_start_up_on_a_misspelt_mode():
    env = {"NEWSROOM_TESTING": "1", "NEWSROOM_VIEW_COUNTING": "beakon", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "readership.E001" in done.stderr
    assert "NEWSROOM_VIEW_COUNTING is 'beakon'" in done.stderr
