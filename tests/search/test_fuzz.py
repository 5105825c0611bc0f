"""Any query a reader can type: the results are exactly what its words say, on a normal page.

The checks are the oracle's (tests/search/oracle.py): every article found is live and holds
every word, every live article holding them as typed is found, best first, counted right,
and the page echoes the query escaped. SQLite runs them through its FTS5 index and its scan;
PostgreSQL through its full-text search and, for Chinese, the word search.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from articles.models import Article
from tests.search.oracle import check_page, check_search

pytestmark = pytest.mark.django_db

# Characters that mean something to FTS5, HTML or LIKE, any other (surrogates and controls
# too), and words the corpus holds, so that many fuzzed queries find something.
VOCABULARY = [
    "river",
    "Riverside",
    "RAILWAY",
    "six",
    "stations",
    "budget",
    "park",
    "strong",
    "ai",
    "The",
    "amp",
    "地铁",
    "车站",
    "列车运行",
]
FTS_ALPHABET = (
    st.sampled_from([*"\"'*^-+:(){}[],.;&|<>!%_\\/ \x00\t", "NEAR", "AND", *VOCABULARY])
    | st.characters()
)
QUERIES = st.one_of(
    st.lists(FTS_ALPHABET, max_size=30).map("".join),
    st.lists(st.sampled_from(VOCABULARY) | FTS_ALPHABET, min_size=1, max_size=4).map(" ".join),
)

FTS_JUNK = [
    '"',
    '""',
    "AND",
    "OR riverside",
    "riverside NOT",
    "NEAR(",
    "NEAR(riverside budget, 2)",
    "*",
    "river*",
    "^riverside",
    "-riverside",
    "col:",
    "title:riverside",
    "{title summary}: riverside",
    "riverside + budget",
    "(riverside",
    "riverside)",
    "'",
    "\\",
    "riv\x00erside",
    "\x00\x00\x00",
    "ri\u0301verside",
    "🚆🚆🚆",
    "שלום עולם",
    "\u200b\u200briverside",
    "\ufeffriverside",
    "%riverside%",
    "river_side",
]


@pytest.fixture
def fuzz_corpus(corpus, make_article):
    """The corpus, with an entity and markup in a body, a short word, and a scheduled article
    holding the same words as live ones (never to be found)."""
    return {
        **corpus,
        "markup": make_article(
            title="Harbour AI pilots",
            summary="Cranes &amp; trains, six stations.",
            body="<p>Tom &amp; Jerry ride the <em>river</em> railway; ai helps.</p>",
        ),
        "scheduled": make_article(
            title="Riverside railway stations budget",
            summary="Six stations on the river.",
            published_at=timezone.now() + timedelta(days=1),
        ),
    }


@pytest.mark.parametrize("q", FTS_JUNK)
def test_match_syntax_junk_finds_what_its_words_say(client, fuzz_corpus, q):
    check_search(q)
    check_page(client, q)


def test_fuzzed_queries_find_what_their_words_say(client, fuzz_corpus):
    found_something = []

    @hsettings(max_examples=300, deadline=None, database=None, derandomize=True)
    @given(QUERIES)
    def run(q):
        found = check_search(q)
        # The test client sends UTF-8: a lone surrogate cannot travel in a URL.
        check_page(client, q.encode("utf-8", "replace").decode())
        if found:
            found_something.append(q)

    run()
    assert Article.objects.filter(pk=fuzz_corpus["river"].pk).exists()
    # The vocabulary makes the checks bite: a good share of the queries found articles.
    assert len(found_something) >= 40, found_something
