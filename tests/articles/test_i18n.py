"""Two languages: committed translations, the language in the address, the switcher, dates,
hreflang, links between an article and its translation, related articles."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import translation

from articles import cached
from articles.models import Article, Section

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9,en;q=0.5"}


def test_compiled_catalogues_are_committed():
    for code in ("en", "zh_Hans"):
        folder = Path(settings.BASE_DIR) / "locale" / code / "LC_MESSAGES"
        assert (folder / "django.po").is_file()
        mo = folder / "django.mo"
        assert mo.is_file()
        assert mo.stat().st_mtime >= (folder / "django.po").stat().st_mtime - 5


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("Time of issue", "发布时间"),
        ("Views", "浏览量"),
        ("Scan the QR code to read on your phone", "扫描二维码，在手机上阅读"),
        ("Skip to content", "跳到正文"),
        ("Related articles", "相关文章"),
    ],
)
def test_catalogue_has_the_required_strings(english, chinese):
    with translation.override("zh-hans"):
        assert translation.gettext(english) == chinese
    with translation.override("en"):
        assert translation.gettext(english) == english


def test_a_chinese_article_has_the_chinese_interface(client, make_article):
    chinese = make_article(title="滨江线开通", language="zh-hans")
    assert chinese.get_absolute_url().startswith("/zh-hans/news/")
    html = client.get(chinese.get_absolute_url()).content.decode()
    assert '<html lang="zh-hans">' in html
    for text in ("发布时间", "浏览量", "扫描二维码，在手机上阅读"):
        assert text in html
    assert "Time of issue" not in html


def test_english_by_default_whatever_accept_language_says(client, article):
    html = client.get(article.get_absolute_url(), **ZH).content.decode()
    assert '<html lang="en">' in html
    assert "Time of issue" in html and "Views" in html


def test_switcher_links_each_language_to_this_page(client, article):
    url = article.get_absolute_url()
    response = client.get(url + "?utm_source=x")
    html = response.content.decode()
    # Untranslated: the Chinese link leads to its section's Chinese page.
    assert 'href="/zh-hans/news/company-news/" hreflang="zh-Hans" lang="zh-Hans">' in html
    assert f'href="{url}" hreflang="en" lang="en" aria-current="true">' in html
    assert "简体中文" in html
    # No reader's page carries a CSRF token or cookie: pages can be cached whole.
    assert "csrfmiddlewaretoken" not in html
    assert "csrftoken" not in response.cookies


def test_an_old_switcher_link_moves_on_and_its_cookie_changes_no_page(article):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    url = article.get_absolute_url()
    response = client.get(f"/lang/zh-hans/?next={url}")
    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/news/company-news/"
    cookie = response.cookies["django_language"]
    assert cookie.value == "zh-hans" and cookie["samesite"] == "Lax" and cookie["httponly"]
    assert "no-store" in response["Cache-Control"]
    # The address decides: with the cookie, the English page stays English.
    assert "Time of issue" in client.get(url).content.decode()
    chinese = client.get(response["Location"]).content.decode()
    assert 'lang="zh-Hans" aria-current="true"' in chinese


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "javascript:alert(1)",
        "",
        "news",
    ],
)
def test_switcher_sends_anything_but_a_local_path_home(client, next_url):
    response = client.get("/lang/en/", {"next": next_url})
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize("path", ["/lang/fr/", "/lang/xx-evil/", "/lang/%00/"])
def test_switcher_unknown_language_is_404(client, path):
    assert client.get(path).status_code == 404
    assert "django_language" not in client.cookies


def test_switcher_refuses_post(client):
    assert client.post("/lang/en/?next=/").status_code == 405


def test_dates_follow_the_locale(client, make_article, settings):
    settings.TIME_ZONE = "UTC"
    when = datetime(2024, 3, 5, 14, 30, tzinfo=ZoneInfo("UTC"))
    article = make_article(published_at=when)
    chinese = make_article(published_at=when, language="zh-hans")
    en = client.get(article.get_absolute_url()).content.decode()
    zh = client.get(chinese.get_absolute_url()).content.decode()
    assert "March 5, 2024" in en or "Mar. 5, 2024" in en
    assert "2024年3月5日 14:30" in zh
    assert 'datetime="2024-03-05T14:30:00+00:00"' in en


@pytest.fixture
def pair(make_article):
    original = make_article(title="Riverside line opens", slug="riverside", language="en")
    chinese = make_article(
        title="滨江线开通", slug="riverside-zh", language="zh-hans", translation_of=original
    )
    return original, chinese


def test_hreflang_alternates_both_ways(client, pair, settings):
    original, chinese = pair
    for article, other in ((original, chinese), (chinese, original)):
        html = client.get(article.get_absolute_url()).content.decode()
        assert f'<link rel="alternate" hreflang="en" href="{original.get_full_url()}">' in html
        assert f'<link rel="alternate" hreflang="zh-Hans" href="{chinese.get_full_url()}">' in html
        assert f'hreflang="x-default" href="{original.get_full_url()}"' in html
        assert f'href="{other.get_absolute_url()}"' in html  # the visible link
        assert other.title in html


def test_one_version_per_language(client, pair, make_article):
    original, _chinese = pair
    # A second Chinese translation: the page still names one Chinese version.
    make_article(title="滨江线开通（二）", language="zh-hans", translation_of=original)
    html = client.get(original.get_absolute_url()).content.decode()
    assert html.count('hreflang="zh-Hans" href=') == 1
    assert html.count('class="article__translations"') == 1


def test_unpublished_translation_is_not_linked(client, pair):
    original, chinese = pair
    chinese.status = Article.Status.DRAFT
    chinese.save()
    html = client.get(original.get_absolute_url()).content.decode()
    assert chinese.get_absolute_url() not in html
    assert 'rel="alternate" hreflang="zh-Hans"' not in html


def test_no_translation_no_alternates(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert "x-default" not in html
    assert "article__translations" not in html


def test_related_prefers_shared_tags_then_section(make_article, section):
    other = Section.objects.create(name="Sport", slug="sport")
    article = make_article(tags=["rail", "city"])
    both = make_article(section=other, tags=["rail", "city"])
    one = make_article(section=other, tags=["rail"])
    same_section = make_article()
    make_article(section=other)  # nothing in common
    make_article(status=Article.Status.DRAFT, tags=["rail"])
    assert Article.objects.related_to(article) == [both, one, same_section]


def test_related_is_in_the_articles_language(make_article, section, settings):
    article = make_article(tags=["rail"])
    shared = make_article(tags=["rail"])
    make_article(language="zh-hans", tags=["rail"], translation_of=shared)  # a duplicate
    chinese_only = make_article(language="zh-hans")
    assert cached.related_articles(article) == [shared, chinese_only]  # labelled on the page
    settings.NEWSROOM_SHOW_UNTRANSLATED = False
    assert cached.related_articles(article) == [shared]


def test_related_is_one_query(make_article, django_assert_num_queries):
    article = make_article(tags=["a"])
    for _ in range(6):
        make_article(tags=["a"])
    with django_assert_num_queries(1):
        related = Article.objects.related_to(article)
    assert len(related) == 4


def test_related_shown_after_views(client, make_article):
    article = make_article(title="Main story")
    make_article(title="Neighbour story")
    html = client.get(article.get_absolute_url()).content.decode()
    assert (
        html.index("Views")
        < html.index("Related articles")
        < html.index("Neighbour story", html.index("Related articles"))
    )
