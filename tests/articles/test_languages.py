"""Every list shows the reader's language: one version of each story, in the reader's language
when there is one; a story only in the other language labelled with it (or hidden, with
NEWSROOM_SHOW_UNTRANSLATED off). The language comes from the address (/zh-hans/...)."""

import re

import pytest
from django.db import connection
from django.utils import timezone, translation

from articles import listings
from articles.models import Article
from people.models import Author
from readership.models import DailyStat

pytestmark = pytest.mark.django_db

EN, ZH = "", "/zh-hans"
LABEL = {"en": '<span class="lang-label" lang="en">English</span>',
         "zh-hans": '<span class="lang-label" lang="zh-Hans">简体中文</span>'}  # fmt: skip


@pytest.fixture
def stories(make_article, django_user_model):
    """Six articles, four stories told in both languages or one; all by one author, sharing a
    tag and a word."""
    user = django_user_model.objects.create_user("lin")
    Author.objects.create(user=user, name="Lin Yue", slug="lin-yue")

    def make(title, language, **fields):
        return make_article(
            title=title, language=language, tags=["harbour"], author=user,
            body="<p>Harbour 港口 news.</p>", **fields,
        )  # fmt: skip

    riverside = make("Riverside line opens", "en")
    make("滨江线开通", "zh-hans", translation_of=riverside)
    tea = make("茶叶节开幕", "zh-hans")
    make("Tea festival opens", "en", translation_of=tea)
    make("Harbour bridge closes", "en")
    make("港口夜市", "zh-hans")
    for n, article in enumerate(riverside.section.articles.all()):
        DailyStat.objects.create(article=article, day=timezone.localdate(), views=10 + n)
    return riverside


# What each reader sees: their language's versions, the other language's only stories labelled.
SEES = {
    EN: (["Riverside line opens", "Tea festival opens", "Harbour bridge closes"], ["港口夜市"]),
    ZH: (["滨江线开通", "茶叶节开幕", "港口夜市"], ["Harbour bridge closes"]),
}
NEVER = {EN: ["滨江线开通", "茶叶节开幕"], ZH: ["Riverside line opens", "Tea festival opens"]}


def assert_one_version_each(html, prefix, untranslated=True, leave_out=()):
    own, others = SEES[prefix]
    for title in set(own) - set(leave_out):
        assert html.count(f">{title}<") >= 1, title
    for title in NEVER[prefix]:
        assert title not in html, title
    other_language = "en" if prefix == ZH else "zh-hans"
    for title in others:
        if untranslated:
            tag = "en" if prefix == ZH else "zh-Hans"
            assert re.search(rf'lang="{tag}">{title}</a>\s*{LABEL[other_language]}', html), title
        else:
            assert title not in html


LIST_PAGES = ["/", "/news/company-news/", "/search/?q=news", "/tags/harbour/", "/authors/lin-yue/"]


@pytest.mark.parametrize("prefix", [EN, ZH])
@pytest.mark.parametrize("path", LIST_PAGES)
def test_list_pages_show_one_version_of_each_story(client, stories, prefix, path):
    response = client.get(prefix + path)
    assert response.status_code == 200
    assert_one_version_each(response.content.decode(), prefix)


@pytest.mark.parametrize("prefix", [EN, ZH])
@pytest.mark.parametrize("path", LIST_PAGES)
def test_untranslated_stories_can_be_left_out(client, stories, settings, prefix, path):
    settings.NEWSROOM_SHOW_UNTRANSLATED = False
    html = client.get(prefix + path).content.decode()
    assert_one_version_each(html, prefix, untranslated=False)


@pytest.mark.parametrize("prefix", [EN, ZH])
def test_most_read_shows_the_readers_language(client, stories, prefix):
    html = client.get(prefix + "/").content.decode()
    block = html[html.index('class="most-read"') :]
    block = block[: block.index("</aside>")]
    assert_one_version_each(block, prefix)


def test_related_and_neighbours_show_the_articles_language(client, stories, make_article):
    bridge = stories.section.articles.get(slug__isnull=False, title="Harbour bridge closes")
    html = client.get(bridge.get_absolute_url()).content.decode()
    related = html[html.index('class="related"') :]
    assert_one_version_each(related, EN, leave_out=[bridge.title])
    neighbours = html[html.index("article__neighbours") : html.index('class="related"')]
    for title in NEVER[EN]:
        assert title not in neighbours


def test_next_never_leads_to_the_same_story_in_the_other_language(client, stories):
    # The Chinese translation is the newest after the original: it must not be "Next".
    html = client.get(stories.get_absolute_url()).content.decode()
    neighbours = html[html.index("article__neighbours") :]
    neighbours = neighbours[: neighbours.index("</nav>")]
    assert "滨江线开通" not in neighbours
    assert "Tea festival opens" in neighbours


@pytest.mark.parametrize(
    ("path", "own", "never"),
    [
        ("/feed/", "Riverside line opens", "滨江线开通"),
        ("/feed/atom/", "Tea festival opens", "茶叶节开幕"),
        ("/news/company-news/feed/", "Harbour bridge closes", "滨江线开通"),
        ("/zh-hans/feed/", "滨江线开通", "Riverside line opens"),
        ("/zh-hans/news/company-news/feed/", "茶叶节开幕", "Tea festival opens"),
    ],
)
def test_feeds_are_per_language(client, stories, path, own, never):
    xml = client.get(path).content.decode()
    assert own in xml and never not in xml


def test_news_sitemaps_are_per_language(client, stories):
    english = client.get("/sitemap-news.xml").content.decode()
    chinese = client.get("/sitemap-news-zh-hans.xml").content.decode()
    assert "Riverside line opens" in english and "滨江线开通" not in english
    assert "滨江线开通" in chinese and "Riverside line opens" not in chinese
    assert "<news:language>zh-cn</news:language>" in chinese
    index = client.get("/sitemap.xml").content.decode()
    assert "/sitemap-news-zh-hans.xml" in index and "/sitemap-articles-zh-hans.xml" in index


def test_section_sitemap_lists_each_language_with_alternates(client, stories, settings):
    xml = client.get("/sitemap-sections.xml").content.decode()
    base = settings.SITE_URL
    assert f"<loc>{base}/zh-hans/news/company-news/</loc>" in xml
    assert f'hreflang="x-default" href="{base}/news/company-news/"' in xml


def api_titles(client, **params):
    headers = params.pop("headers", {})
    response = client.get("/api/v1/articles", params, headers=headers)
    assert response.status_code == 200, response.content
    return {item["title"] for item in response.json()["results"]}


def test_the_api_lists_the_clients_language_by_default(client, stories):
    english = api_titles(client)
    assert {"Riverside line opens", "港口夜市"} <= english and "滨江线开通" not in english
    chinese = api_titles(client, headers={"accept-language": "zh-CN,zh;q=0.9"})
    assert {"滨江线开通", "Harbour bridge closes"} <= chinese
    assert "Riverside line opens" not in chinese
    # An explicit language still gives exactly that language.
    assert api_titles(client, language="zh-hans") == {"滨江线开通", "茶叶节开幕", "港口夜市"}


# --- addresses -------------------------------------------------------------------------------


def test_chinese_pages_live_under_their_prefix(client, stories):
    english = client.get("/")
    chinese = client.get("/zh-hans/")
    assert '<html lang="en">' in english.content.decode()
    assert '<html lang="zh-hans">' in chinese.content.decode()


def test_unprefixed_pages_stay_english_whatever_the_cookie_or_header(client, stories):
    client.cookies["django_language"] = "zh-hans"  # set by the switcher of old
    for path in ("/", "/news/company-news/", stories.get_absolute_url(), "/search/?q=x"):
        html = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert '<html lang="en">' in html, path
    # Each language is its own cached page: the English one never serves the Chinese.
    client.get("/zh-hans/")
    assert '<html lang="en">' in client.get("/").content.decode()


def test_pages_vary_by_address_alone(client, stories):
    for path in ("/", "/zh-hans/", stories.get_absolute_url(), "/zh-hans/news/company-news/"):
        response = client.get(path)
        assert "Accept-Language" not in response.get("Vary", ""), path
        assert response["Content-Language"] == ("zh-hans" if "zh-hans" in path else "en")
    # The API does follow the client's language, and says so.
    assert "Accept-Language" in client.get("/api/v1/articles")["Vary"]


def test_an_article_at_the_other_languages_address_redirects_to_its_own(client, stories):
    chinese = stories.translations.get()
    assert chinese.get_absolute_url() == "/zh-hans/news/company-news/" + chinese.slug + "/"
    old = f"/news/company-news/{chinese.slug}/"  # its address before addresses had languages
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == chinese.get_absolute_url()
    response = client.get("/zh-hans" + stories.get_absolute_url())
    assert (response.status_code, response["Location"]) == (301, stories.get_absolute_url())


def test_a_draft_at_the_other_address_is_still_a_404(client, make_article):
    draft = make_article(language="zh-hans", status="draft")
    assert client.get(f"/news/company-news/{draft.slug}/").status_code == 404


def test_short_links_lead_to_the_articles_language(client, stories):
    chinese = stories.translations.get()
    response = client.get(f"/s/{chinese.short_code}/")
    assert response.status_code == 302
    assert response["Location"].endswith(chinese.get_absolute_url())
    assert client.get(f"/zh-hans/s/{chinese.short_code}/").status_code == 404


def test_the_admin_still_negotiates_its_language(client):
    html = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'lang="zh-hans"' in html


# --- the switcher ----------------------------------------------------------------------------


def switcher_link(html, tag):
    nav = html[html.index('class="lang-switch"') :]
    return re.search(rf'<a href="([^"]+)" hreflang="{tag}"', nav).group(1)


def test_switching_on_a_translated_article_lands_on_its_translation(client, stories):
    chinese = stories.translations.get()
    html = client.get(stories.get_absolute_url()).content.decode()
    target = switcher_link(html, "zh-Hans")
    assert target == chinese.get_absolute_url()
    page = client.get(target).content.decode()
    assert '<html lang="zh-hans">' in page and "滨江线开通" in page
    assert switcher_link(page, "en") == stories.get_absolute_url()


def test_switching_on_an_untranslated_article_lands_on_its_section(client, stories):
    bridge = stories.section.articles.get(title="Harbour bridge closes")
    html = client.get(bridge.get_absolute_url()).content.decode()
    target = switcher_link(html, "zh-Hans")
    assert target == "/zh-hans/news/company-news/"
    assert client.get(target).status_code == 200


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("/", "/zh-hans/"),
        ("/news/company-news/", "/zh-hans/news/company-news/"),
        ("/search/?q=harbour", "/zh-hans/search/?q=harbour"),
    ],
)
def test_switching_on_other_pages_keeps_the_page(client, stories, english, chinese):
    assert switcher_link(client.get(english).content.decode(), "zh-Hans") == chinese
    assert switcher_link(client.get(chinese).content.decode(), "en") == english


def test_old_switcher_links_land_on_the_same_page_in_that_language(client, stories):
    chinese = stories.translations.get()
    response = client.get(f"/lang/zh-hans/?next={stories.get_absolute_url()}")
    assert (response.status_code, response["Location"]) == (302, chinese.get_absolute_url())
    response = client.get(f"/lang/en/?next={chinese.get_absolute_url()}")
    assert response["Location"] == stories.get_absolute_url()
    response = client.get("/lang/zh-hans/?next=/news/company-news/%3Fpage%3D1")
    assert response["Location"] == "/zh-hans/news/company-news/?page=1"


# --- canonical and alternates ----------------------------------------------------------------


def head_links(html):
    canonical = re.findall(r'<link rel="canonical" href="([^"]+)">', html)
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))
    return canonical, alternates


@pytest.mark.parametrize("prefix", [EN, ZH])
@pytest.mark.parametrize("path", [*LIST_PAGES, "article"])
def test_every_page_has_a_canonical_and_alternates_that_answer(
    client, stories, settings, prefix, path
):
    if path == "article":
        path = (stories.translations.get() if prefix else stories).get_absolute_url()
    else:
        path = prefix + path
    html = client.get(path).content.decode()
    canonical, alternates = head_links(html)
    assert canonical == [settings.SITE_URL + path]
    assert set(alternates) == {"en", "zh-Hans", "x-default"}
    assert alternates["x-default"] == alternates["en"]
    for url in [*canonical, *alternates.values()]:
        assert url.startswith(settings.SITE_URL)
        assert client.get(url.removeprefix(settings.SITE_URL)).status_code == 200, url


# --- the setting ------------------------------------------------------------------------------


def check_ids():
    from django.core import checks

    return [e.id for e in checks.run_checks() if e.id.startswith("articles.")]


def test_show_untranslated_passes_its_check_by_default():
    assert check_ids() == []


@pytest.mark.parametrize("raw", ["ture", "hide", "2"])
def test_a_misspelt_show_untranslated_fails_the_check(monkeypatch, raw):
    monkeypatch.setenv("NEWSROOM_SHOW_UNTRANSLATED", raw)
    assert check_ids() == ["articles.E001"]


def test_a_show_untranslated_that_is_not_a_boolean_fails_the_check(settings):
    settings.NEWSROOM_SHOW_UNTRANSLATED = "no"
    assert check_ids() == ["articles.E001"]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_language_rule_reads_indexes_not_every_article_on_sqlite(stories, language):
    """On a big site each subquery walked every live article to test its language; they read
    the language's index, and the original by its key (docs/decisions.md, "Languages")."""
    if connection.vendor != "sqlite":
        pytest.skip("the plan's wording is SQLite's")
    with translation.override(language):
        plan = listings.in_language(Article.objects.live())[:20].explain()
    subqueries = [line for line in plan.splitlines() if "SEARCH U0" in line]
    assert len(subqueries) == 3, plan
    assert all(
        "COVERING INDEX article_language_live" in line or "INTEGER PRIMARY KEY" in line
        for line in subqueries
    ), plan
