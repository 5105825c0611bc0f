"""What search engines and chat apps read about an article: absolute URLs, social cards, JSON-LD.

Every absolute URL here is built from settings.SITE_URL, never from the request's Host
header, so a forged Host cannot poison canonical links, feeds, sitemaps or share cards.
The JSON-LD is escaped like django's `json_script` (`<`, `>`, `&` as \\u escapes), so
no title can close the <script> element it sits in.
"""

import json
import logging
import re

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator, get_text_list
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.site_url import absolute_url
from media.html import social_card

logger = logging.getLogger(__name__)

DESCRIPTION_CHARS = 300
# List pages' descriptions stay within what search engines show as a snippet.
PAGE_DESCRIPTION_CHARS = 160
# "By" is how a byline is printed, not part of the name.
BYLINE_PREFIX = re.compile(r"^\s*by\b[\s:]*", re.IGNORECASE)
# A byline naming a desk or the newsroom rather than a person.
ORGANISATION_WORDS = re.compile(r"\b(newsroom|staff|editors|editorial|desk)\b|编辑部", re.I)
# hreflang / og:locale / Google News codes for the languages in settings.LANGUAGES.
HREFLANG = {"en": "en", "zh-hans": "zh-Hans"}
OG_LOCALE = {"en": "en_US", "zh-hans": "zh_CN"}
NEWS_LANGUAGE = {"en": "en", "zh-hans": "zh-cn"}
JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def hreflang(language):
    return HREFLANG.get(language, language)


def description(article):
    """The meta description: the summary, or the start of the body as plain text."""
    text = article.summary or strip_tags(getattr(article, "body", "") or "")
    return Truncator(" ".join(text.split())).chars(DESCRIPTION_CHARS)


def names_organisation(name):
    """Whether a byline names the site or one of its desks rather than a person."""
    site = settings.SITE_NAME.casefold()
    return bool(ORGANISATION_WORDS.search(name)) or bool(site and site in name.casefold())


def author(article):
    """The schema.org author: the byline (a Person, or an Organization if it names the
    newsroom), else the author's name, else the publisher."""
    byline = BYLINE_PREFIX.sub("", article.byline or "", count=1).strip()
    if byline:
        kind = "Organization" if names_organisation(byline) else "Person"
        return {"@type": kind, "name": byline}
    user = article.author if article.author_id else None
    name = (user.get_full_name() or user.get_username()) if user is not None else ""
    if name:
        return {"@type": "Person", "name": name}
    return {"@type": "Organization", "name": settings.SITE_NAME}


def author_name(article):
    """The name of whoever `article` is by, without the "By" a byline is printed with."""
    return author(article)["name"]


def social_image(image):
    """(absolute URL, width, height) of the share card of `image` (1200x630 at most), or None.

    `media` makes the card when the image is saved; without one (or if it fails) the
    original file stands in, so a share never loses its picture.
    """
    if image is None:
        return None
    try:
        card = social_card(image)
    except Exception:  # a broken card must not break the article page
        logger.exception("social card for image %s failed", image.pk)
        card = None
    if card:
        # The card's own size: a source narrower than 1200 px gives a smaller card.
        return absolute_url(card["url"]), card["width"], card["height"]
    try:
        url = image.file.url
    except ValueError:  # no file attached
        return None
    return absolute_url(url), image.width, image.height


def image_url(image):
    """Absolute URL of the original image file (feeds' enclosures)."""
    try:
        return absolute_url(image.file.url) if image else ""
    except ValueError:
        return ""


def publisher():
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.SITE_NAME,
        "url": absolute_url("/"),
        "logo": {
            "@type": "ImageObject",
            # A 600x60 raster, as Google asks; a site replaces the static file with its own.
            "url": absolute_url(static("img/publisher-logo.png")),
            "width": 600,
            "height": 60,
        },
    }


def news_article(article, translations=()):
    """The schema.org NewsArticle of `article` as a dict."""
    url = article.get_full_url()
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": Truncator(article.title).chars(110),
        "description": description(article),
        "inLanguage": hreflang(article.language),
        "articleSection": article.section.name,
        "publisher": publisher(),
    }
    if article.published_at:
        data["datePublished"] = article.published_at.isoformat()
    modified = article.updated_at or article.published_at
    if modified:
        if article.published_at and modified < article.published_at:
            modified = article.published_at  # scheduled: edited before it went out
        data["dateModified"] = modified.isoformat()
    data["author"] = author(article)
    card = social_image(article.cover)
    if card:
        image = {"@type": "ImageObject", "url": card[0]}
        if card[1] and card[2]:
            image.update(width=card[1], height=card[2])
        data["image"] = [image]
    original = [t for t in translations if t.pk == article.translation_of_id]
    if original:
        data["translationOfWork"] = {"@id": original[0].get_full_url()}
    others = [t for t in translations if t.translation_of_id == article.pk]
    if others:
        data["workTranslation"] = [
            {"@id": t.get_full_url(), "inLanguage": hreflang(t.language)} for t in others
        ]
    return data


def json_ld(data):
    """`data` as JSON safe to put between <script> tags."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(text.translate(JSON_ESCAPES))  # escaped just above


def article_meta(article, translations=()):
    """Everything _article_meta.html prints for `article`."""
    card = social_image(article.cover)
    return {
        "canonical": article.get_full_url(),
        "description": description(article),
        "author_name": author_name(article),
        "og_locale": OG_LOCALE.get(article.language, article.language),
        "og_image": card,
        "image_alt": article.cover.alt_text if card else "",
        "hreflang": hreflang(article.language),
        "translations": [(hreflang(t.language), t) for t in translations],
        "json_ld": json_ld(news_article(article, translations)),
    }


def page_description(text):
    """`text` as a list page's meta description: one line, snippet length."""
    return Truncator(" ".join(text.split())).chars(PAGE_DESCRIPTION_CHARS)


def list_page_meta(title, text, path):
    """What _page_meta.html prints for a list page at `path` (the same for every reader)."""
    language = get_language()
    return {
        "title": title,
        "description": page_description(text),
        "canonical": absolute_url(path),
        "og_locale": OG_LOCALE.get(language, language),
    }


def home_meta(tree):
    """The home page's: the site, and the desks its front page has a block for."""
    names = [section.name for section in tree.desks()]
    if names:
        text = _("News from %(site)s: %(sections)s.") % {
            "site": settings.SITE_NAME,
            "sections": get_text_list(names, _("and")),
        }
    else:
        text = _("News from %(site)s.") % {"site": settings.SITE_NAME}
    return list_page_meta(settings.SITE_NAME, text, "/")


def section_meta(section, path):
    """A section page's: its own description, else a sentence naming it and the site."""
    text = section.description or _("The latest news in %(section)s from %(site)s.") % {
        "section": section.name,
        "site": settings.SITE_NAME,
    }
    return list_page_meta(f"{section.name} · {settings.SITE_NAME}", text, path)
