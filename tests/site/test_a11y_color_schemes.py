"""Dark mode in a real browser: the site follows `prefers-color-scheme`, axe-core finds no
serious or critical violation (contrast included) in either scheme on every kind of reader's
page, and the QR code keeps its white square in the dark."""

import pytest

from people.models import Author
from tests.site.test_a11y_browser import axe_problems

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCHEMES = ["light", "dark"]


@pytest.fixture
def pages(transactional_db, live_server, settings, make_article, make_image, section):
    settings.SITE_URL = live_server.url
    cover = make_image("cover.jpg", size=(1600, 900), alt_text="A train crossing the river")
    portrait = make_image("lin.jpg", size=(600, 600), alt_text="Portrait of Lin Yue")
    user = Author._meta.get_field("user").related_model.objects.create_user("lin")
    Author.objects.create(
        user=user, name="Lin Yue", slug="lin-yue", role="Reporter", bio="Lin covers rail.",
        photo=portrait,
    )  # fmt: skip
    article = make_article(
        title="Riverside line opens",
        summary="Trains run along the river from today.",
        body="<p>The new railway serves six stations.</p><blockquote><p>A quote.</p></blockquote>",
        cover=cover,
        author=user,
        tags=["rail", "city"],
    )
    for n in range(3):
        make_article(title=f"More rail news {n}", tags=["rail"], author=user)
    return [
        "/",
        section.get_absolute_url(),
        article.get_absolute_url(),
        "/tags/rail/",
        "/authors/lin-yue/",
        "/search/?q=river",
        "/tags/no-such-tag/",
    ]


def background(page, selector):
    return page.eval_on_selector(selector, "e => getComputedStyle(e).backgroundColor")


@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_serious_or_critical_axe_violations_in_either_scheme(live_server, page, pages, scheme):
    page.emulate_media(color_scheme=scheme)
    problems = {}
    for url in pages:
        response = page.goto(live_server.url + url)
        assert response.status in (200, 404), url
        found = axe_problems(page)
        if found:
            problems[url] = found
    assert problems == {}


def test_the_page_follows_the_readers_scheme(live_server, page, pages):
    page.goto(live_server.url + pages[2])
    page.emulate_media(color_scheme="light")
    assert background(page, "html") == "rgb(255, 255, 255)"
    page.emulate_media(color_scheme="dark")
    dark = background(page, "html")
    assert dark != "rgb(255, 255, 255)"
    red, green, blue = (int(c) for c in dark[4:-1].split(","))
    assert max(red, green, blue) < 64, dark  # a dark page, not just another light one
    # The QR code stays dark on white: scanners read dark modules on a light ground.
    assert background(page, ".qr-block__code") == "rgb(255, 255, 255)"
    assert page.eval_on_selector(".qr-block__code rect", "e => e.getAttribute('fill')") == "#fff"


def test_printing_stays_light(live_server, page, pages):
    page.emulate_media(color_scheme="dark", media="print")
    page.goto(live_server.url + pages[2])
    assert background(page, "html") == "rgb(255, 255, 255)"
