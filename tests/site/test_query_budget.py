"""Query budget of the reader's pages: a fixed number whatever the site's size.

Article page <= 4 (from the page cache: the two counting statements), home <= 6, section, tag
and author pages <= 4: the steady state, with the cached parts (core/pagecache.py,
articles/cached.py) built.
The first render after a change builds them: a few more queries, a fixed number too
(COLD_BUDGET). Both are measured with few and many articles, images and sections.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Section
from people.models import Author

pytestmark = pytest.mark.django_db
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0"

BUDGET = {"article": 4, "home": 6, "section": 4, "tag": 4, "author": 4}
# Cold article: + section tree, translations, body images, its tags, related articles.
COLD_BUDGET = {"article": 9, "home": 6, "section": 4, "tag": 4, "author": 4}


@pytest.fixture
def writer_profile(django_user_model, make_image):
    user = django_user_model.objects.create_user("lin", first_name="Lin", last_name="Yue")
    photo = make_image("lin.png", fmt="PNG", size=(40, 40))
    return Author.objects.create(user=user, name="Lin Yue", slug="lin-yue", photo=photo)


@pytest.fixture
def site(news_center, make_article, make_image, writer_profile):
    """Grow the site by `n` sections each with `n` illustrated, tagged articles by one author."""

    def grow(n):
        start = Section.objects.count()
        for i in range(n):
            child = Section.objects.create(
                name=f"Desk {start + i}", slug=f"desk-{start + i}", parent=news_center
            )
            for j in range(n):
                cover = make_image(f"cover-{start + i}-{j}.png", fmt="PNG", size=(40, 30))
                inline = make_image(f"inline-{start + i}-{j}.png", fmt="PNG", size=(40, 30))
                make_article(
                    section=child,
                    cover=cover,
                    author=writer_profile.user,
                    tags=["transport", f"tag-{j}"],
                    body=(
                        f"<h2>Part</h2><p>Text.</p><figure><img src='{inline.file.url}' "
                        f"alt='x'><figcaption>Caption {j}</figcaption></figure>"
                    ),
                )
        return Article.objects.live().order_by("-published_at").first()

    return grow


def count_queries(client, url, status=200):
    client.cookies.clear()  # a new reader each time: every article request counts a view
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_USER_AGENT=BROWSER)
    assert response.status_code == status, url
    # SAVEPOINT/RELEASE exist only because each test runs inside a transaction; outside
    # tests the counting transaction is a plain BEGIN/COMMIT.
    sql = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    return len(sql), sql


def measure(client, article, section):
    urls = {
        "article": article.get_absolute_url(),
        "home": "/",
        "section": section.get_absolute_url(),
        "section page 2": section.get_absolute_url() + "?page=2",
        "tag": "/tags/transport/",
        "tag page 2": "/tags/transport/?page=2",
        "author": "/authors/lin-yue/",
        "author page 2": "/authors/lin-yue/?page=2",
    }
    result = {}
    for warm in (False, True):
        if not warm:
            cache.clear()
        for name, url in urls.items():
            result[(name, warm)] = count_queries(client, url)
    return result


@pytest.mark.parametrize("size", [2, 6])
def test_pages_stay_within_budget(client, site, news_center, size):
    article = site(size)
    for (name, warm), (count, sql) in measure(client, article, news_center).items():
        budget = (BUDGET if warm else COLD_BUDGET)[name.split(" ")[0]]
        assert count <= budget, f"{name} ({'warm' if warm else 'cold'}): {count} queries\n" + (
            "\n".join(sql)
        )


def test_query_count_does_not_grow_with_the_site(client, site, news_center):
    small = measure(client, site(4), news_center)
    big = measure(client, site(5), news_center)
    for key, (count, sql) in big.items():
        assert count <= small[key][0], f"{key}: {count} > {small[key][0]}\n" + "\n".join(sql)


def test_warm_pages_run_only_the_uncacheable_queries(client, site, news_center):
    article = site(3)
    result = measure(client, article, news_center)
    # Home and section lists come from the cache: at most the "most read" refresh remains.
    assert result[("home", True)][0] == 0
    assert result[("section", True)][0] == 0
    assert result[("tag", True)][0] == 0
    assert result[("author", True)][0] == 0
    # The whole article page comes from the cache: only counting the view remains (on
    # PostgreSQL one statement, the UPDATE and the upsert in one WITH).
    _count, sql = result[("article", True)]
    counting = ["WITH"] if connection.vendor == "postgresql" else ["UPDATE", "INSERT"]
    assert [q.split()[0] for q in sql] == counting, sql


@pytest.mark.parametrize("url", ["/tags/transport/", "/authors/lin-yue/"])
def test_tag_and_author_pages_cost_a_section_pages_queries(
    client, site, url, django_assert_max_num_queries
):
    site(3)
    cache.clear()
    client.get("/", HTTP_USER_AGENT=BROWSER)  # the site-wide parts, as `measure` builds them
    with django_assert_max_num_queries(COLD_BUDGET["section"]):
        assert client.get(url, HTTP_USER_AGENT=BROWSER).status_code == 200
    with django_assert_max_num_queries(0):  # whole page, lookup and count from the cache
        assert client.get(url + "?page=2", HTTP_USER_AGENT=BROWSER).status_code == 200
        assert client.get(url, HTTP_USER_AGENT=BROWSER).status_code == 200
