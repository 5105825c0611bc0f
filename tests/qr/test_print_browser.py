"""What a printer gets from the browser: the article page printed by chromium (`page.pdf()`),
rasterised and decoded like a poster, then followed by a phone."""

import pytest
from django.test import Client

from qr.models import Placement
from tests.qr.helpers import decode_pdf, pdf_text
from tests.support import agents

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Headless Chromium says "HeadlessChrome", which the counters rightly take for a bot.
    return {**browser_context_args, "user_agent": agents.CHROME}


@pytest.fixture
def live_article(transactional_db, live_server, settings, make_article):
    settings.SITE_URL = live_server.url  # the printed link must lead to this server
    return make_article(title="Riverside line opens", slug="riverside-line-opens")


@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_a_printed_article_page_carries_a_code_that_reads_back_and_counts(
    live_server, page, live_article, paper
):
    canteen = Placement.objects.create(article=live_article, name="Canteen board")
    page.goto(live_server.url + live_article.get_absolute_url())
    pdf = page.pdf(format=paper, print_background=True)
    short_url = live_article.get_short_url()
    # The link in plain text beside the code (a narrow column may wrap it).
    assert short_url in "".join(pdf_text(pdf).split())
    for dpi in (150, 72):
        assert short_url in decode_pdf(pdf, dpi)
    response = Client(HTTP_USER_AGENT=agents.PHONE).get(short_url)
    assert response["Location"] == live_article.get_full_url()
    live_article.refresh_from_db()
    canteen.refresh_from_db()
    assert (live_article.qr_scans, canteen.scans) == (1, 0)  # the page's code is "Website"
