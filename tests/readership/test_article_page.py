"""Counting through the article page: cached pages count, cost little, and survive failures."""

import logging

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core import pagecache
from readership.backends import database
from tests.readership.helpers import shown_views, views
from tests.support.agents import CHROME


def test_a_cached_page_still_counts(monkeypatch, article):
    """Counting happens before the cached page is filled in: a page that renders nothing counts."""

    Client(HTTP_USER_AGENT=CHROME).get(article.get_absolute_url())  # renders and caches it

    def no_rendering(*args, **kwargs):
        raise AssertionError("a cached article page was rendered again")

    monkeypatch.setattr(pagecache, "render_to_string", no_rendering)
    response = Client(HTTP_USER_AGENT=CHROME).get(article.get_absolute_url())
    assert response.status_code == 200
    assert views(article) == 2
    assert shown_views(response) == 2


def test_the_second_reader_of_a_cached_body_counts_and_sees_the_exact_figure(article):
    first = Client(HTTP_USER_AGENT=CHROME).get(article.get_absolute_url())
    second = Client(HTTP_USER_AGENT=CHROME).get(article.get_absolute_url())
    assert shown_views(first) == 1
    assert shown_views(second) == 2
    assert b"<span data-views>2</span>" in second.content


def test_counting_costs_two_statements_on_the_article_page(settings, article):
    url = article.get_absolute_url()
    Client(HTTP_USER_AGENT=CHROME).get(url)  # warm caches (sections, fragments)
    settings.NEWSROOM_COUNT_VIEWS = False
    with CaptureQueriesContext(connection) as off:
        Client(HTTP_USER_AGENT=CHROME).get(url)
    settings.NEWSROOM_COUNT_VIEWS = True
    with CaptureQueriesContext(connection) as on:
        Client(HTTP_USER_AGENT=CHROME).get(url)
    counting_sql = [q["sql"] for q in on.captured_queries if "SAVEPOINT" not in q["sql"]]
    plain_sql = [q["sql"] for q in off.captured_queries if "SAVEPOINT" not in q["sql"]]
    # The page itself comes from the cache: counting is all the database work, and the
    # figure shown comes back from the UPDATE (RETURNING), with no read of its own. On
    # PostgreSQL the UPDATE and the upsert are one statement (one round trip).
    expected = ["WITH"] if connection.vendor == "postgresql" else ["UPDATE", "INSERT"]
    assert [sql.split()[0] for sql in counting_sql] == expected
    # Without counting, the figure is one read of the stored total.
    assert [sql.split()[0] for sql in plain_sql] == ["SELECT"]


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("database is locked"),
        InterfaceError("connection already closed"),
    ],
)
def test_a_busy_database_drops_the_view_with_a_log_line_and_serves_the_page(
    monkeypatch, caplog, reader, article, error
):
    url = article.get_absolute_url()
    reader.get(url)  # counted, and the page cached

    def busy(*args, **kwargs):
        raise error

    with (
        monkeypatch.context() as patch,
        caplog.at_level(logging.WARNING, "readership.backends.database"),
    ):
        patch.setattr(database, "add_counts", busy)
        other = Client(HTTP_USER_AGENT=CHROME)
        response = other.get(url)
        assert response.status_code == 200
        assert shown_views(response) == 1  # the stored figure, read back
        assert "nr_seen" not in response.cookies  # not remembered: the next visit counts
        scan = Client(HTTP_USER_AGENT=CHROME).get(f"/s/{article.short_code}/")
        assert scan.status_code == 302 and scan["Location"] == article.get_full_url()
    messages = [r.getMessage() for r in caplog.records]
    assert any(f"One views of article {article.pk} not counted" in m for m in messages)
    assert any(f"One qr_scans of article {article.pk} not counted" in m for m in messages)
    assert views(article) == 1
    assert shown_views(other.get(url)) == 2  # the database is back: the same reader counts


def test_with_the_database_down_a_cached_page_shows_a_dash_not_a_false_zero(monkeypatch, article):
    url = article.get_absolute_url()
    Client(HTTP_USER_AGENT=CHROME).get(url)  # counted, and the page cached

    def down(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(database, "add_counts", down)
    monkeypatch.setattr(database, "stored_total", down)
    response = Client(HTTP_USER_AGENT=CHROME).get(url)
    assert response.status_code == 200
    assert "<span data-views>–</span>" in response.content.decode()
