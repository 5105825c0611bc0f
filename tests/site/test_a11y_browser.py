"""Accessibility in a real browser: axe-core (vendored in axe-playwright-python) on the home,
section, article and search pages finds no serious or critical violation, in both languages;
the article page fits a 390x844 phone."""

import itertools

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}
BLOCKING = {"serious", "critical"}


@pytest.fixture
def content(transactional_db, live_server, settings, make_article, make_image, section):
    settings.SITE_URL = live_server.url
    cover = make_image("cover.jpg", size=(1600, 900), alt_text="A train crossing the river")
    wide = make_image("wide.png", fmt="PNG", size=(2400, 600), alt_text="Panorama of the city")
    body = (
        "<p>The new railway serves six stations along the river, and the first trains ran"
        " this morning.</p><h2>What changes</h2><p>Buses on the old route will stop next"
        f' month.</p><figure><img src="{wide.file.url}" alt="Panorama of the city">'
        "<figcaption>The new line from the hills.</figcaption></figure>"
        "<h3>Tickets</h3><p>Fares stay the same: "
        + "averyveryverylongwordthatcouldoverflowanarrowphonescreenifnotwrapped " * 2
        + "</p><blockquote><p>A quote from the mayor.</p></blockquote>"
    )
    article = make_article(
        title="Riverside line opens",
        summary="Trains run along the river from today.",
        body=body,
        cover=cover,
        tags=["rail"],
    )
    original = make_article(title="City budget approved", tags=["rail"], cover=cover)
    chinese = make_article(
        title="滨江线开通", slug="riverside-zh", language="zh-hans", translation_of=article
    )
    make_article(title="港口夜市", language="zh-hans")  # labelled on English lists
    for n in range(3):
        make_article(title=f"More news {n}")
    return {"article": article, "other": original, "section": section, "chinese": chinese}


def axe_problems(page):
    results = Axe().run(page)
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3], v["help"])
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]


@pytest.mark.parametrize("prefix", ["", "/zh-hans"])
def test_no_serious_or_critical_axe_violations(live_server, page, content, prefix):
    article = content["chinese" if prefix else "article"]
    urls = [
        prefix + "/",
        prefix + content["section"].get_absolute_url(),
        article.get_absolute_url(),
        prefix + "/search/?q=river",
        prefix + "/search/?q=nothing-matches-this",
        prefix + "/no-such-page/",
    ]
    problems = {}
    for url in urls:
        response = page.goto(live_server.url + url)
        assert response.status in (200, 404), url
        found = axe_problems(page)
        if found:
            problems[url] = found
    assert problems == {}


def test_keyboard_reaches_the_skip_link_first_and_focus_is_visible(live_server, page, content):
    page.goto(live_server.url + content["article"].get_absolute_url())
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => { const el = document.activeElement; const s = getComputedStyle(el);"
        " return {cls: el.className, outline: s.outlineStyle, width: parseFloat(s.outlineWidth),"
        " top: el.getBoundingClientRect().top}; }"
    )
    assert focused["cls"] == "skip-link"
    assert focused["outline"] != "none" and focused["width"] >= 2
    assert focused["top"] >= 0  # shown on screen when focused
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


def test_headings_are_in_order_with_one_h1(live_server, page, content):
    for url in ("/", content["article"].get_absolute_url(), "/search/?q=river"):
        page.goto(live_server.url + url)
        levels = page.eval_on_selector_all(
            "main h1, main h2, main h3, main h4, main h5, main h6",
            "els => els.map(e => Number(e.tagName[1]))",
        )
        assert levels.count(1) == 1, url
        assert levels[0] == 1, url
        # Never skip a level going deeper (h2 -> h4).
        assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), (url, levels)


def test_article_fits_a_phone(live_server, page, content):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + content["article"].get_absolute_url())
    page.wait_for_load_state("load")
    sizes = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth,"
        " client: document.documentElement.clientWidth, inner: window.innerWidth})"
    )
    assert sizes["client"] == PHONE["width"]
    assert sizes["scroll"] <= sizes["client"], sizes  # no horizontal scroll

    font_sizes = page.eval_on_selector_all(
        ".article__body p, .article__summary",
        "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))",
    )
    assert font_sizes and min(font_sizes) >= 16, font_sizes

    images = page.eval_on_selector_all(
        "main img",
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return {left: r.left, right: r.right, alt: e.getAttribute('alt'),"
        " loaded: e.complete && e.naturalWidth > 0}; })",
    )
    assert len(images) >= 2
    for image in images:
        assert image["left"] >= 0 and image["right"] <= PHONE["width"], image
        assert image["alt"] is not None

    # Tap targets of the header tools are at least 44px tall.
    heights = page.eval_on_selector_all(
        ".header-tools button, .header-tools a, .header-tools input:not([type=hidden])",
        "els => els.map(e => e.getBoundingClientRect().height)",
    )
    assert heights and min(heights) >= 44


def test_switching_language_in_the_browser(live_server, page, content):
    page.goto(live_server.url + content["article"].get_absolute_url())
    page.click(".lang-switch a[lang=zh-Hans]")
    page.wait_for_load_state()
    # The article's translation, at its own address, with the Chinese interface.
    assert page.url == live_server.url + content["chinese"].get_absolute_url()
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "发布时间" in page.locator(".article__meta").inner_text()
    assert page.locator("h1").inner_text() == "滨江线开通"
    # And back: the original, in English.
    page.click(".lang-switch a[lang=en]")
    page.wait_for_load_state()
    assert page.url == live_server.url + content["article"].get_absolute_url()
    assert page.locator("html").get_attribute("lang") == "en"


def test_axe_does_report_problems(page):
    """The check above can fail: axe flags an image without alt text as critical."""
    page.set_content('<html lang="en"><body><main><img src="x.png"></main></body></html>')
    assert any(v[0] == "image-alt" for v in axe_problems(page))
