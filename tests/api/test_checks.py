"""Start-up checks: a misspelt rate, page size, origin or proxy count stops `manage.py check`."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from api.checks import check_cors_origins, check_num_proxies, check_page_size, check_rate_limits


def test_the_defaults_pass():
    assert check_rate_limits() == []
    assert check_page_size() == []
    assert check_cors_origins() == []
    assert check_num_proxies() == []


@pytest.mark.parametrize(
    "value", ["600/min", "30/min", "5/s", "10/sec", "2/m", "100/hour", "9/h", "1000/day", "7/d"]
)
def test_rates_per_unit_pass(settings, value):
    settings.NEWSROOM_API_RATE = value
    settings.NEWSROOM_API_VIEW_RATE = value.upper()
    assert check_rate_limits() == []


@pytest.mark.parametrize("value", ["off", "OFF", "", "0", "none", None])
def test_a_limit_can_be_turned_off(settings, value):
    settings.NEWSROOM_API_RATE = value
    assert check_rate_limits() == []


@pytest.mark.parametrize("value", ["600/minute", "600 per min", "fast", "/min", "0/min", "-5/s"])
def test_a_misspelt_read_rate_is_an_error(settings, value):
    settings.NEWSROOM_API_RATE = value
    [error] = check_rate_limits()
    assert error.id == "api.E001"
    assert error.msg.startswith("NEWSROOM_API_RATE must be a number of requests per s, min")
    assert repr(value) in error.msg


def test_a_misspelt_view_report_rate_is_an_error(settings):
    settings.NEWSROOM_API_VIEW_RATE = "30/mins"
    [error] = check_rate_limits()
    assert error.id == "api.E002"
    assert "NEWSROOM_API_VIEW_RATE" in error.msg and "'30/mins'" in error.msg


@pytest.mark.parametrize("value", [0, -1, "50", None, True])
def test_page_size_must_be_a_whole_number_above_zero(settings, value):
    settings.NEWSROOM_API_MAX_PAGE_SIZE = value
    [error] = check_page_size()
    assert error.id == "api.E003"
    assert "NEWSROOM_API_MAX_PAGE_SIZE must be a whole number above 0" in error.msg


@pytest.mark.parametrize(
    "origins", [["*"], ["https://app.example.com", "http://localhost:3000"], []]
)
def test_origins_as_browsers_send_them_pass(settings, origins):
    settings.NEWSROOM_API_CORS_ORIGINS = origins
    assert check_cors_origins() == []


@pytest.mark.parametrize(
    "origin", ["https://app.example.com/", "app.example.com", "https://x.org/app", "ftp://x.org"]
)
def test_an_origin_that_could_never_match_is_an_error(settings, origin):
    settings.NEWSROOM_API_CORS_ORIGINS = ["https://fine.example.com", origin]
    [error] = check_cors_origins()
    assert error.id == "api.E004"
    assert repr(origin) in error.msg and "fine.example.com" not in error.msg


@pytest.mark.parametrize("value", [-1, None, "1"])
def test_num_proxies_must_be_zero_or_more(settings, value):
    settings.NINJA_NUM_PROXIES = value
    [error] = check_num_proxies()
    assert error.id == "api.E005"
    assert "NEWSROOM_NUM_PROXIES" in error.msg


def test_manage_py_check_fails_with_the_message(settings):
    settings.NEWSROOM_API_RATE = "600/minute"
    with pytest.raises(SystemCheckError, match=r"api\.E001.*NEWSROOM_API_RATE.*'600/minute'"):
        call_command("check")
