"""What the search tests ask of the page and of SQLite's index table."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def search_page(client, q, **params):
    """/search/?q=: the response and the articles it lists."""
    response = client.get("/search/", {"q": q, **params})
    assert response.status_code == 200
    return response, [result.article for result in response.context["results"]]


def search_sql(client, q):
    """The SQL /search/?q= runs, and what it found."""
    with CaptureQueriesContext(connection) as queries:
        _response, found = search_page(client, q)
    return [query["sql"] for query in queries.captured_queries], found


def index_row(pk):
    with connection.cursor() as cursor:
        cursor.execute("SELECT title, summary, body FROM articles_search WHERE rowid = %s", [pk])
        return cursor.fetchone()


def index_size():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM articles_search")
        return cursor.fetchone()[0]


def table_sql():
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'articles_search'")
        row = cursor.fetchone()
        return row[0] if row else None
