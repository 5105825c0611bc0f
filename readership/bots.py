"""Is this User-Agent a person's browser? Robots, crawlers, link previews and monitors are not.

Why a module: "Views: N" must count readers, and most traffic to a news site is not readers.
The patterns come from the maintained `crawler-user-agents` list (PyPI, updated monthly; it
covers search crawlers, AI crawlers, link-preview fetchers such as facebookexternalhit,
Slackbot, WhatsApp and Discordbot, uptime monitors, HTTP libraries such as curl and
python-requests, and headless browsers): upgrading the package updates the list, no regex of
ours to maintain.

A user agent is decided once per process and remembered (an LRU cache of the last 4,096
distinct strings): matching the whole list is slow, and readers' browsers send few distinct ones.
"""

from functools import lru_cache

import crawleruseragents

# Longer strings are not browsers' and would only cost regex time and cache memory.
MAX_USER_AGENT = 512


@lru_cache(maxsize=4096)
def _matches_list(user_agent):
    return crawleruseragents.is_crawler(user_agent)


def is_bot(user_agent):
    """True unless `user_agent` looks like a person's browser.

    An empty or missing User-Agent is a bot: every browser sends one. So is an absurdly long one.
    """
    user_agent = (user_agent or "").strip()
    if not user_agent or len(user_agent) > MAX_USER_AGENT:
        return True
    return _matches_list(user_agent)
