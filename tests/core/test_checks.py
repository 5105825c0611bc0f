"""Start-up checks of the settings every app leans on: SITE_URL, cache life, page size."""

import pytest
from django.core import checks

from tests.core.test_settings import manage, production_env


def core_check_ids(deploy=False):
    messages = checks.run_checks(include_deployment_checks=deploy)
    return [message.id for message in messages if message.id.startswith("core.")]


@pytest.mark.parametrize(
    "url", ["http://testserver", "https://news.example.com", "http://127.0.0.1:8000"]
)
def test_a_site_origin_passes(settings, url):
    settings.SITE_URL = url
    assert core_check_ids() == []


@pytest.mark.parametrize(
    "url",
    [
        "",
        "news.example.com",
        "//news.example.com",
        "ftp://news.example.com",
        "https://",
        "https://news.example.com/news",
        "https://news.example.com?x=1",
        "https://news.example.com#top",
        "https://news.example.com:port",
    ],
)
def test_site_url_must_be_an_absolute_http_origin(settings, url):
    settings.SITE_URL = url
    assert core_check_ids() == ["core.E001"]


@pytest.mark.parametrize(
    ("name", "value", "check_id"),
    [
        ("NEWSROOM_CACHE_SECONDS", -1, "core.E002"),
        ("NEWSROOM_PAGE_SIZE", 0, "core.E003"),
        ("NEWSROOM_SQLITE_CHECKPOINT_SECONDS", -0.5, "core.E004"),
    ],
)
def test_numbers_below_their_least_are_errors(settings, name, value, check_id):
    setattr(settings, name, value)
    assert core_check_ids() == [check_id]


def test_numbers_at_their_least_pass(settings):
    settings.NEWSROOM_CACHE_SECONDS = 0
    settings.NEWSROOM_PAGE_SIZE = 1
    settings.NEWSROOM_SQLITE_CHECKPOINT_SECONDS = 0
    assert core_check_ids() == []


@pytest.mark.parametrize(
    ("https", "redirect", "warned"),
    [(True, True, True), (True, False, True), (False, True, True), (False, False, False)],
)
def test_plain_http_site_url_with_https_on_is_a_deploy_warning(settings, https, redirect, warned):
    settings.SITE_URL = "http://news.example.com"
    settings.HTTPS, settings.SECURE_SSL_REDIRECT = https, redirect
    assert core_check_ids() == []  # only with --deploy
    assert core_check_ids(deploy=True) == (["core.W001"] if warned else [])
    settings.SITE_URL = "https://news.example.com"
    assert core_check_ids(deploy=True) == []


@pytest.mark.slow
def test_check_deploy_warns_of_a_plain_http_site_url_in_production():
    env = production_env(SITE_URL="http://news.example.com")
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "core.W001" in output
    assert "printed QR code would point at a redirect" in output
