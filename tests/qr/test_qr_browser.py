"""The QR code as a reader's browser draws it: screenshots decoded by zxing-cpp, then followed."""

import io

import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image

from tests.support import agents

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Headless Chromium says "HeadlessChrome", which the counters rightly take for a bot.
    return {**browser_context_args, "user_agent": agents.CHROME}


def decode(png):
    image = Image.open(io.BytesIO(png))
    return [r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


@pytest.fixture
def live_article(transactional_db, live_server, settings, make_article):
    # The code must hold a link the browser can follow: the live server's address.
    settings.SITE_URL = live_server.url
    return make_article(title="Riverside line opens", slug="riverside-line-opens")


def test_inline_code_decodes_and_leads_to_the_article(live_server, browser, page, live_article):
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + live_article.get_absolute_url())
    code = page.locator(".qr-block__code svg")
    short_url = live_article.get_short_url()
    assert code.get_attribute("role") == "img"
    assert short_url in code.get_attribute("aria-label")
    assert decode(code.screenshot()) == [short_url]

    # A phone follows what it decoded: one scan, then the article and its view.
    phone = browser.new_context(user_agent=agents.PHONE, viewport=PHONE)
    try:
        phone_page = phone.new_page()
        response = phone_page.goto(short_url)
        assert response.status == 200
        assert response.request.redirected_from.response().status == 302
        assert phone_page.url == live_article.get_full_url()
        assert phone_page.locator("h1").inner_text() == live_article.title
    finally:
        phone.close()
    live_article.refresh_from_db()
    assert (live_article.qr_scans, live_article.views) == (1, 2)  # the desktop view + the phone's


def test_code_scans_in_dark_mode(live_server, page, live_article):
    page.emulate_media(color_scheme="dark")
    page.goto(live_server.url + live_article.get_absolute_url())
    shot = page.locator(".qr-block__code").screenshot()
    assert decode(shot) == [live_article.get_short_url()]


def test_standalone_svg_renders_and_decodes(live_server, page, live_article):
    args = [live_article.section.slug, live_article.slug]
    page.goto(live_server.url + reverse("qr:svg", args=args))
    assert decode(page.locator("svg").screenshot()) == [live_article.get_short_url()]


def test_block_folds_away_on_phones_and_opens_on_tap(live_server, page, live_article):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + live_article.get_absolute_url())
    details = page.locator("details.qr-block__details")
    page.wait_for_function("!document.querySelector('details.qr-block__details').open")
    assert not page.locator(".qr-block__code svg").is_visible()
    details.locator("summary").click()
    assert page.locator(".qr-block__code svg").is_visible()


def test_block_is_open_on_desktop_and_beside_the_title_in_print(live_server, page, live_article):
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + live_article.get_absolute_url())
    page.wait_for_load_state("load")
    assert page.locator(".qr-block__code svg").is_visible()

    page.emulate_media(media="print")
    title = page.locator(".article__title").bounding_box()
    block = page.locator(".qr-block__code").bounding_box()
    assert block["x"] >= title["x"] + title["width"]  # to the right of the title
    assert block["y"] < title["y"] + title["height"] + 50  # and level with it
    assert decode(page.locator(".qr-block__code").screenshot()) == [live_article.get_short_url()]
