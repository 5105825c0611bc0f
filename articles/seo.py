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
from django.urls import reverse, translate_url
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator, get_text_list
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.site_url import absolute_url
from media.html import social_card
from people.models import profile_of

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


def byline_name(article):
    """The byline as data: without the "By" it is printed with."""
    return BYLINE_PREFIX.sub("", article.byline or "", count=1).strip()


def credited_author(article):
    """The author profile (`people`) of the person the article is credited to, or None: its
    author's, unless the byline names someone else (a guest, the newsroom)."""
    profile = profile_of(article.author) if article.author_id else None
    if profile is None:
        return None
    byline = byline_name(article)
    return profile if not byline or byline.casefold() == profile.name.casefold() else None


def author(article):
    """The schema.org author: the byline (a Person, or an Organization if it names the
    newsroom), else the author's name, else the publisher. A Person with an author page
    carries its address."""
    profile = credited_author(article)
    if profile is not None:
        url = absolute_url(profile.get_absolute_url())
        return {"@type": "Person", "name": byline_name(article) or profile.name, "url": url}
    byline = byline_name(article)
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


def language_alternates(path):
    """[(hreflang, absolute URL)] of the page at `path` (an address in the active language) in
    every language, then x-default: the default language's."""
    found = {code: absolute_url(translate_url(path, code)) for code, _name in settings.LANGUAGES}
    return [
        *((hreflang(code), url) for code, url in found.items()),
        ("x-default", found[settings.LANGUAGE_CODE]),
    ]


def list_page_meta(title, text, path):
    """What _page_meta.html prints for a list page at `path` (the same for every reader)."""
    language = get_language()
    return {
        "title": title,
        "description": page_description(text),
        "canonical": absolute_url(path),
        "alternates": language_alternates(path),
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
    return list_page_meta(settings.SITE_NAME, text, reverse("articles:home"))


def section_meta(section, path):
    """A section page's: its own description, else a sentence naming it and the site."""
    text = section.description or _("The latest news in %(section)s from %(site)s.") % {
        "section": section.name,
        "site": settings.SITE_NAME,
    }
    return list_page_meta(f"{section.name} · {settings.SITE_NAME}", text, path)


def tag_meta(tag_name, path):
    """A tag page's: a sentence naming the tag and the site."""
    text = _("Articles tagged “%(tag)s” from %(site)s.") % {
        "tag": tag_name,
        "site": settings.SITE_NAME,
    }
    return list_page_meta(f"{tag_name} · {settings.SITE_NAME}", text, path)


def author_meta(profile, path):
    """An author page's: their biography, else their name and role; their photo as the card."""
    text = profile.bio or _("Articles by %(name)s, %(site)s.") % {
        "name": ", ".join(filter(None, [profile.name, profile.role])),
        "site": settings.SITE_NAME,
    }
    meta = list_page_meta(f"{profile.name} · {settings.SITE_NAME}", text, path)
    card = social_image(profile.photo) if profile.photo_id else None
    return {**meta, "og_type": "profile", "og_image": card}


def author_page_json_ld(profile):
    """The schema.org ProfilePage of an author's page, its Person as the main entity."""
    person = {
        "@type": "Person",
        "name": profile.name,
        "url": absolute_url(profile.get_absolute_url()),
        "worksFor": {"@type": "NewsMediaOrganization", "name": settings.SITE_NAME},
    }
    if profile.role:
        person["jobTitle"] = profile.role
    if profile.bio:
        person["description"] = page_description(profile.bio)
    card = social_image(profile.photo) if profile.photo_id else None
    if card:
        person["image"] = card[0]
    page = {"@context": "https://schema.org", "@type": "ProfilePage", "mainEntity": person}
    return json_ld(page)
