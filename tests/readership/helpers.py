"""What the readership tests read back: the figure on the page and the stored counts."""

import re

from readership.models import DailyStat
from tests.support.agents import GOOGLEBOT

# User agents that must never count, one of each kind `readership.bots` knows.
BOTS = {
    "search crawler": GOOGLEBOT,
    "AI crawler": "Mozilla/5.0 (compatible; GPTBot/1.0; +https://openai.com/gptbot)",
    "link preview": "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "chat preview": "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "monitor": "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
    "HTTP library": "python-requests/2.31.0",
    "command line": "curl/8.5.0",
    "headless browser": (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "HeadlessChrome/120.0.0.0 Safari/537.36"
    ),
}


def shown_views(response):
    """The "Views: N" figure as the reader sees it on the page."""
    match = re.search(rb"<span data-views>(\d+)</span>", response.content)
    assert match, "no views figure on the page"
    return int(match.group(1))


def views(article):
    article.refresh_from_db()
    return article.views


def daily_views(article):
    return sum(DailyStat.objects.filter(article=article).values_list("views", flat=True))
