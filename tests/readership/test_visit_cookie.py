"""The repeat-visit cookie: one view per reader per window, one signed cookie for all articles."""

from datetime import timedelta

import time_machine
from django.core import signing
from django.test import Client
from django.utils import timezone
from django.utils.http import http_date

from readership import signer, visit_cookie
from tests.readership.helpers import shown_views, views
from tests.support.agents import CHROME


def test_same_reader_counts_once_per_window_with_one_cookie(settings, reader, make_article):
    first, second = make_article(), make_article()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        response = reader.get(first.get_absolute_url())
        assert shown_views(response) == 1
        response = reader.get(first.get_absolute_url())
        assert shown_views(response) == 1  # the total, not counted again
        assert "nr_seen" not in response.cookies  # nothing new to remember
        reader.get(second.get_absolute_url())
    assert (views(first), views(second)) == (1, 1)
    cookie = reader.cookies["nr_seen"]
    assert [c for c in reader.cookies if c != "csrftoken"] == ["nr_seen"]  # one for all
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == settings.NEWSROOM_VIEW_WINDOW
    expires = start.timestamp() // 1 + settings.NEWSROOM_VIEW_WINDOW  # for browsers without Max-Age
    assert cookie["expires"] == http_date(expires)
    with time_machine.travel(start + timedelta(seconds=settings.NEWSROOM_VIEW_WINDOW - 5)):
        reader.get(first.get_absolute_url())
    assert views(first) == 1
    with time_machine.travel(start + timedelta(seconds=settings.NEWSROOM_VIEW_WINDOW + 5)):
        reader.get(first.get_absolute_url())
    assert views(first) == 2


def test_the_cookie_holds_no_personal_data_and_cannot_be_forged(reader, article):
    reader.get(article.get_absolute_url())
    raw = reader.cookies["nr_seen"].value
    value = signing.Signer(salt=visit_cookie.COOKIE_SALT).unsign(raw)
    assert "127.0.0.1" not in value and CHROME not in value
    # A tampered cookie is a new reader, not an error.
    reader.cookies["nr_seen"] = raw[:-3] + "xyz"
    assert reader.get(article.get_absolute_url()).status_code == 200
    assert views(article) == 2


def test_the_cookie_survives_a_secret_key_rotation_but_not_a_foreign_key(settings, reader, article):
    """Django's SECRET_KEY_FALLBACKS: readers counted before a rotation are not counted again."""
    reader.get(article.get_absolute_url())
    assert views(article) == 1
    old_key, raw = settings.SECRET_KEY, reader.cookies["nr_seen"].value
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "rotated-" + old_key, [old_key]
    reader.get(article.get_absolute_url())
    assert views(article) == 1
    settings.SECRET_KEY_FALLBACKS = []
    reader.cookies["nr_seen"] = raw
    reader.get(article.get_absolute_url())
    assert views(article) == 2
    value = "1a.2_3b.4c"
    django_signer = signing.Signer(salt=visit_cookie.COOKIE_SALT)
    assert signer.for_salt(visit_cookie.COOKIE_SALT).sign(value) == django_signer.sign(value)


def test_a_client_without_cookies_counts_on_each_request(article):
    for _ in range(3):
        Client(HTTP_USER_AGENT=CHROME).get(article.get_absolute_url())
    assert views(article) == 3


def test_window_zero_sets_no_cookie_and_counts_each_request(settings, reader, article):
    settings.NEWSROOM_VIEW_WINDOW = 0
    response = reader.get(article.get_absolute_url())
    reader.get(article.get_absolute_url())
    assert "nr_seen" not in response.cookies
    assert views(article) == 2
