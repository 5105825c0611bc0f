"""Cached page parts: changes reach readers at once, views stay exact (core/pagecache.py)."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from articles.models import Article
from core import pagecache
from tests.support.agents import CHROME

pytestmark = pytest.mark.django_db


def _html(client, url):
    response = client.get(url, HTTP_USER_AGENT=CHROME)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("url", ["/", "/news/company-news/", "/news/company-news/?page=1"])
def test_list_pages_are_served_whole_from_the_cache(
    client, article, django_assert_max_num_queries, url
):
    assert article.title in _html(client, url)
    # A change behind the ORM's back (no signal) is not seen while the page lives...
    Article.objects.filter(pk=article.pk).update(title="Changed behind the cache")
    assert "Changed behind the cache" not in _html(client, url)
    # ...and a hit runs no query at all.
    with django_assert_max_num_queries(0):
        client.get(url)


def test_a_cached_section_page_links_languages_to_its_own_page_number(
    client, make_article, settings
):
    settings.NEWSROOM_PAGE_SIZE = 2
    for _ in range(3):
        make_article()
    url = "/news/company-news/"
    second = _html(client, url + "?page=2&utm_source=mail")
    assert 'href="/zh-hans/news/company-news/?page=2" hreflang="zh-Hans"' in second
    assert "utm_source" not in second
    past_the_end = _html(client, url + "?page=99")
    assert 'href="/zh-hans/news/company-news/?page=2" hreflang="zh-Hans"' in past_the_end
    first = _html(client, url + "?page=abc")
    assert f'href="/zh-hans{url}" hreflang="zh-Hans"' in first
    # The Chinese page is its own cached page, linking back to the English one.
    chinese = _html(client, "/zh-hans" + url + "?page=2&utm_source=mail")
    assert f'href="{url}?page=2" hreflang="en"' in chinese and "utm_source" not in chinese


def test_publish_and_unpublish_visible_at_once(client, make_article, section):
    draft = make_article(title="Embargoed story", status=Article.Status.DRAFT)
    make_article(title="Older story")
    for url in ("/", section.get_absolute_url()):
        assert "Embargoed story" not in _html(client, url)
    draft.status = Article.Status.PUBLISHED
    draft.published_at = timezone.now()
    draft.save()
    for url in ("/", section.get_absolute_url()):
        assert "Embargoed story" in _html(client, url)
    assert client.get(draft.get_absolute_url()).status_code == 200
    draft.status = Article.Status.DRAFT
    draft.save()
    for url in ("/", section.get_absolute_url()):
        assert "Embargoed story" not in _html(client, url)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_delete_visible_at_once(client, make_article, section):
    doomed = make_article(title="Story to delete")
    assert "Story to delete" in _html(client, section.get_absolute_url())
    doomed.delete()
    assert "Story to delete" not in _html(client, section.get_absolute_url())
    assert "Story to delete" not in _html(client, "/")


def test_edit_visible_within_cache_seconds(client, article, settings, time_machine):
    settings.NEWSROOM_CACHE_SECONDS = 30
    url = article.get_absolute_url()
    assert "Part one" in _html(client, url)
    article.title = "Riverside line opens early"
    article.body = "<h2>Revised</h2><p>New body.</p>"
    article.save()
    html = _html(client, url)
    assert "Riverside line opens early" in html and "Revised" in html and "Part one" not in html
    assert "Riverside line opens early" in _html(client, "/")
    # Even an edit the signals cannot see expires with NEWSROOM_CACHE_SECONDS.
    Article.objects.filter(pk=article.pk).update(title="Quiet fix")
    time_machine.move_to(timezone.now() + timedelta(seconds=31))
    assert "Quiet fix" in _html(client, "/")


def test_scheduled_article_appears_when_due(client, make_article, section, time_machine):
    make_article(title="Already out")
    make_article(title="Due soon story", published_at=timezone.now() + timedelta(seconds=20))
    for url in ("/", section.get_absolute_url()):
        assert "Due soon story" not in _html(client, url)
    time_machine.move_to(timezone.now() + timedelta(seconds=25))
    for url in ("/", section.get_absolute_url()):
        assert "Due soon story" in _html(client, url)


def test_views_exact_while_body_cached(client, article):
    url = article.get_absolute_url()
    for expected in range(1, 6):
        client.cookies.clear()  # a new reader each time (one cookie = one view per window)
        html = _html(client, url)
        assert f"Views: <span data-views>{expected}</span>" in html
    article.refresh_from_db()
    assert article.views == 5


def test_views_figure_not_cached_with_counting_off(client, article, settings):
    settings.NEWSROOM_COUNT_VIEWS = False
    url = article.get_absolute_url()
    assert "Views: <span data-views>0</span>" in _html(client, url)
    Article.objects.filter(pk=article.pk).update(views=41)
    assert "Views: <span data-views>41</span>" in _html(client, url)


def test_section_count_is_cached_and_pages_stay_right(client, make_article, section, settings):
    settings.NEWSROOM_PAGE_SIZE = 2
    for _ in range(5):
        make_article()
    html = _html(client, section.get_absolute_url())
    assert "Page 1 of 3" in html
    make_article()
    make_article()
    assert "Page 1 of 4" in _html(client, section.get_absolute_url())
    assert "Page 4 of 4" in _html(client, section.get_absolute_url() + "?page=99")


def test_generation_survives_a_cleared_cache():
    from django.core.cache import cache

    first = pagecache.generation()
    pagecache.invalidate_all()
    assert pagecache.generation() == first + 1
    cache.clear()
    assert pagecache.generation() > first + 1


def test_a_cached_article_page_carries_each_requests_own_values(article):
    """Views are per request, and the page needs no nonce (its JSON-LD is a data block, its
    scripts are files); nothing of an earlier reader leaks."""
    url = article.get_absolute_url()
    first = Client(HTTP_USER_AGENT=CHROME).get(url + "?utm_source=mailing")
    reader = Client(HTTP_USER_AGENT=CHROME, enforce_csrf_checks=True)
    second = reader.get(url)
    for response, views in ((first, 1), (second, 2)):
        html = response.content.decode()
        assert "nonce-" not in response["Content-Security-Policy"]
        assert '<script type="application/ld+json">' in html
        assert f"<span data-views>{views}</span>" in html
        assert not re.search(r"nr[0-9a-f]{24}", html), "a marker was left in the page"
    assert "utm_source" not in second.content.decode()
    # The language switcher leads on from the article (untranslated: to its section in
    # Chinese), not from the first reader's address.
    switched = reader.get(f"/lang/zh-hans/?next={url}")
    assert switched.status_code == 302
    assert switched["Location"] == "/zh-hans" + article.section.get_absolute_url()


# --- Process-local copies -------------------------------------------------------------


def test_a_local_copy_is_served_while_the_shared_generation_holds(settings):
    gen, value = pagecache.fetch("newsroom:test:part")
    assert value is None
    pagecache.store("newsroom:test:part", gen, ("<p>page</p>", 7), 60)
    # Gone from the shared cache (evicted), yet this process still has it for this generation.
    pagecache.cache.delete("newsroom:test:part")
    assert pagecache.fetch("newsroom:test:part") == (gen, ("<p>page</p>", 7))


def test_the_shared_cache_holds_plain_tuples_any_release_can_read():
    """No class of ours is pickled around a part: a rolling deploy's old processes read it."""
    gen, _ = pagecache.fetch("newsroom:test:part")
    pagecache.store("newsroom:test:part", gen, "page", 60)
    stored = pagecache.cache.get("newsroom:test:part")
    assert type(stored) is tuple and stored[:2] == (gen, "page")


def test_a_change_on_another_app_server_drops_the_local_copy():
    """Another server's save bumps the shared generation only; this process must follow."""
    gen, _ = pagecache.fetch("newsroom:test:part")
    pagecache.store("newsroom:test:part", gen, "old page", 60)
    pagecache.cache.incr(pagecache.GEN_KEY)  # what invalidate_all() does elsewhere: no local state
    new_gen, value = pagecache.fetch("newsroom:test:part")
    assert (new_gen, value) == (gen + 1, None)
    assert pagecache.local_copies.peek("newsroom:test:part") is None


def test_a_local_copy_lives_no_longer_than_its_timeout(time_machine):
    gen, _ = pagecache.fetch("newsroom:test:part")
    pagecache.store("newsroom:test:part", gen, "page", 5)
    assert pagecache.fetch("newsroom:test:part").value == "page"
    time_machine.move_to(timezone.now() + timedelta(seconds=6))
    assert pagecache.fetch("newsroom:test:part").value is None


def test_only_values_that_cannot_change_in_place_are_kept_locally():
    gen, _ = pagecache.fetch("newsroom:test:list")
    pagecache.store("newsroom:test:list", gen, ["mutable"], 60)
    pagecache.store("newsroom:test:tuple", gen, ("a", b"b", 1, None, ("c",)), 60)
    assert pagecache.local_copies.peek("newsroom:test:list") is None
    assert pagecache.local_copies.peek("newsroom:test:tuple") is not None
    assert pagecache.fetch("newsroom:test:list") == (gen, ["mutable"])  # from the shared cache


def test_local_copies_are_bounded_least_recently_used_first():
    copies = pagecache.LocalCopies(max_entries=2, max_bytes=10_000)
    copies.put("a", 1, "x", None)
    copies.put("b", 1, "y", None)
    assert copies.get("a", 1) == "x"  # "a" is now the most recently used
    copies.put("c", 1, "z", None)
    assert copies.peek("b") is None and copies.get("a", 1) == "x" and copies.get("c", 1) == "z"
    copies.put("big", 1, "w" * 2_000, None)  # more than an eighth of the budget: not kept
    assert copies.peek("big") is None
    copies.put("d", 1, "v" * 1_000, None)
    copies.put("e", 1, "u" * 1_000, None)
    assert copies.size <= 10_000 and len(copies.items) <= 2
