"""What a search must return, worked out in Python from the articles themselves.

Every engine finds a word that appears as typed (in the title, the summary, or the body's
text and markup alike); none finds a word that appears in no letter case at all. Between
the two, letter case is the engine's business (SQLite's LIKE folds ASCII only, FTS5 and
PostgreSQL fold more), so `fold()` is looser than any of them.
"""

import unicodedata

from django.utils import timezone
from django.utils.html import escape

from articles.models import Article
from search import engine, sqlite_index
from search.query import clean_query, terms, uses_full_text
from search.text import body_text


def fold(text):
    decomposed = unicodedata.normalize("NFKD", text.upper().casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def holds_as_typed(article, word):
    """Every engine must find `word` here (the body's markup and text must agree on it)."""
    body = article.body or ""
    return (
        word in article.title
        or word in article.summary
        or (word in body and word in body_text(body))
    )


def may_hold(article, word, indexed):
    """No engine may find `word` unless this holds. SQLite's index holds the body's text
    only, so a word it finds is never one of the markup's."""
    texts = [article.title, article.summary, body_text(article.body)]
    if not (indexed and len(word) >= sqlite_index.TRIGRAM):
        texts.append(article.body or "")
    return any(fold(word) in fold(text) for text in texts)


def word_rank_bounds(article, word):
    """The least and most a word may add to a word search's rank: 3 title, 2 summary, 1 body."""
    low = 3 if word in article.title else 2 if word in article.summary else 1
    loose = fold(word)
    high = 3 if loose in fold(article.title) else 2 if loose in fold(article.summary) else 1
    return low, high


def is_live(article, now):
    return article.status == Article.Status.PUBLISHED and article.published_at <= now


def check_search(q):
    """engine.search(q) gives exactly the live articles holding every word, best first, and
    counts what it gives. Returns the articles found."""
    now = timezone.now()
    query = clean_query(q)
    words = terms(query)
    found = list(engine.search(q))
    assert engine.search(q).count() == len(found)
    if not words:
        assert found == []
        return found
    assert all(is_live(article, now) for article in found)
    order = [(article.rank, article.published_at, article.pk) for article in found]
    assert order == sorted(order, reverse=True), "not best first, then newest"
    if uses_full_text(query):  # PostgreSQL's stemming and syntax: checked by their own tests
        return found
    indexed = sqlite_index.narrows(words)
    for article in found:
        assert all(may_hold(article, word, indexed) for word in words), (q, article.title)
        low = sum(word_rank_bounds(article, word)[0] for word in words)
        high = sum(word_rank_bounds(article, word)[1] for word in words)
        assert low <= article.rank <= high, (q, article.title, article.rank)
    expected = {
        article.pk
        for article in Article.objects.all()
        if is_live(article, now) and all(holds_as_typed(article, word) for word in words)
    }
    assert expected <= {article.pk for article in found}, (q, words)
    return found


def check_page(client, q):
    """/search/?q= answers 200, echoes the cleaned query escaped, and lists the first page of
    engine.search() with its count (for a corpus far smaller than the index's bound)."""
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    query = clean_query(q)
    assert response.context["query"] == query
    html = response.content.decode()
    assert f'name="q" value="{escape(query)}"' in html
    page = response.context["page_obj"]
    if not terms(query):
        assert page is None
        return
    expected = list(engine.search(q).values_list("pk", flat=True))
    assert page.paginator.count == len(expected)
    # A small corpus: the count is whole, never "the newest of many".
    assert not response.context["capped"]
    if expected:
        noun = "result" if len(expected) == 1 else "results"
        assert f"{len(expected)} {noun} for “{escape(query)}”" in html
    else:
        assert "No articles match your search" in html
    shown = [result.article.pk for result in response.context["results"]]
    assert shown == expected[: len(shown)] and len(shown) == min(10, len(expected))
