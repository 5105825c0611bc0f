"""Bot detection: robots, crawlers, previews and monitors are not readers; browsers are."""

import pytest

from readership import bots
from tests.support.agents import BROWSER, CHROME, GOOGLEBOT, PHONE

BOTS = [
    GOOGLEBOT,
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; GPTBot/1.0; +https://openai.com/gptbot)",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "WhatsApp/2.23.20.0",
    "TelegramBot (like TwitterBot)",
    "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
    "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
    "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
    "Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)",
    "curl/8.5.0",
    "Wget/1.21.4",
    "python-requests/2.31.0",
    "Go-http-client/1.1",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "HeadlessChrome/120.0.0.0 Safari/537.36",
]
BROWSERS = [
    CHROME,
    BROWSER,
    PHONE,
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80",
    # In-app browsers of social apps are people reading, not previews.
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/460.0.0.0]",
]


@pytest.mark.parametrize("user_agent", BOTS)
def test_bots_are_bots(user_agent):
    assert bots.is_bot(user_agent) is True


@pytest.mark.parametrize("user_agent", BROWSERS)
def test_browsers_are_not_bots(user_agent):
    assert bots.is_bot(user_agent) is False


@pytest.mark.parametrize("user_agent", [None, "", "   ", "Mozilla/5.0 " + "x" * 600])
def test_missing_blank_or_absurd_user_agents_are_bots(user_agent):
    assert bots.is_bot(user_agent) is True


def test_each_user_agent_is_decided_once():
    bots._matches_list.cache_clear()
    for _ in range(5):
        bots.is_bot(BROWSERS[0])
        bots.is_bot(BOTS[0])
    info = bots._matches_list.cache_info()
    assert (info.misses, info.hits) == (2, 8)
