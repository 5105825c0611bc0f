"""Per-client rate limits: 429 with Retry-After, per client, and not fooled by a forged header."""

import re

import pytest

from api.throttling import Rate, ReadThrottle, ViewReportThrottle, parse_rate
from tests.api.helpers import API, validate


def test_anonymous_rate_limit(client, content, settings, openapi):
    settings.NEWSROOM_API_RATE = "3/min"
    codes = [client.get(f"{API}/articles").status_code for _ in range(3)]
    assert codes == [200, 200, 200]
    limited = client.get(f"{API}/articles/{content['live'].pk}")
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert limited["Cache-Control"] == "no-store"
    validate(openapi, "Error", limited.json())
    # Another client is not affected; neither are clients once the limit is off.
    other = client.get(f"{API}/articles", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200
    settings.NEWSROOM_API_RATE = "off"
    assert client.get(f"{API}/articles").status_code == 200


def test_forged_forwarded_for_does_not_escape_the_limit(client, db, settings):
    settings.NEWSROOM_API_RATE = "2/min"
    codes = [
        client.get(f"{API}/sections", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(3)
    ]
    assert codes == [200, 200, 429]


@pytest.mark.parametrize(
    ("value", "rate"),
    [
        ("600/min", Rate(600, 60)),
        (" 5/S ", Rate(5, 1)),
        ("10", Rate(10, 1)),
        ("3/hour", Rate(3, 3600)),
        ("2/day", Rate(2, 86400)),
        ("off", None),
        ("0", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_rate(value, rate):
    assert parse_rate(value) == rate


@pytest.mark.parametrize("value", ["600/minute", "many/min", "1/2/3"])
def test_parse_rate_names_what_it_cannot_read(value):
    with pytest.raises(ValueError, match=re.escape(repr(value))):
        parse_rate(value)


def test_each_scope_has_its_own_setting(settings):
    settings.NEWSROOM_API_RATE = "5/min"
    settings.NEWSROOM_API_VIEW_RATE = "off"
    assert ReadThrottle().rate() == Rate(5, 60)
    assert ViewReportThrottle().rate() is None
