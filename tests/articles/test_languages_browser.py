"""A reader in each language, in a real browser: one version of each story on the front page,
the other language's only stories labelled, and the switcher taking them across."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def stories(transactional_db, live_server, settings, make_article):
    settings.SITE_URL = live_server.url
    riverside = make_article(title="Riverside line opens", slug="riverside")
    make_article(
        title="滨江线开通", slug="riverside-zh", language="zh-hans", translation_of=riverside
    )
    make_article(title="港口夜市", slug="night-market", language="zh-hans")
    make_article(title="Harbour bridge closes", slug="bridge")
    return riverside


def card_titles(page):
    """The titles on the page's cards (featured, latest, the desks' blocks: a story may be in
    more than one block, never in two languages)."""
    return set(page.locator(".card__title a").all_inner_texts())


def test_each_reader_sees_one_version_of_each_story(live_server, page, stories):
    page.goto(live_server.url + "/")
    english = card_titles(page)
    assert english == {"Riverside line opens", "港口夜市", "Harbour bridge closes"}
    label = page.locator(".card__title .lang-label")
    assert set(label.all_inner_texts()) == {"简体中文"}
    assert label.first.is_visible()
    assert set(page.locator(".card__title a[lang=zh-Hans]").all_inner_texts()) == {"港口夜市"}

    page.click(".lang-switch a[lang=zh-Hans]")
    page.wait_for_url(live_server.url + "/zh-hans/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    chinese = card_titles(page)
    assert chinese == {"滨江线开通", "港口夜市", "Harbour bridge closes"}
    assert set(page.locator(".card__title .lang-label").all_inner_texts()) == {"English"}

    # From a story to its translation and back, by the switcher.
    page.locator(".card__title a", has_text="滨江线开通").first.click()
    page.click(".lang-switch a[lang=en]")
    page.wait_for_url(live_server.url + stories.get_absolute_url())
    assert page.locator("h1").inner_text() == "Riverside line opens"
