"""Template tags for the reader's pages: article metadata, translations, related articles,
the language switcher. Tags rather than view context so any page can use them."""

from django import template
from django.conf import settings
from django.utils.translation import get_language, get_language_info

from articles import cached, seo
from articles.sections import section_tree
from articles.translations import translations

register = template.Library()


@register.inclusion_tag("articles/_article_meta.html", takes_context=True)
def article_meta(context, article):
    request = context.get("request")
    return {
        **seo.article_meta(article, translations(article)),
        "article": article,
        "SITE_NAME": settings.SITE_NAME,
        # A cached article page carries a marker here, filled per request (core.pagecache).
        "csp_nonce": context.get("csp_nonce") or getattr(request, "csp_nonce", ""),
    }


@register.inclusion_tag("articles/_page_meta.html")
def home_meta():
    return {**seo.home_meta(section_tree()), "SITE_NAME": settings.SITE_NAME}


@register.inclusion_tag("articles/_page_meta.html", takes_context=True)
def section_meta(context, section):
    # page_path, not the request: the cached page is the same for every reader.
    path = context.get("page_path") or section.get_absolute_url()
    return {**seo.section_meta(section, path), "SITE_NAME": settings.SITE_NAME}


@register.inclusion_tag("articles/_translations.html")
def translation_links(article):
    return {
        "translations": [
            (t, get_language_info(t.language)["name_local"], seo.hreflang(t.language))
            for t in translations(article)
        ]
    }


@register.inclusion_tag("articles/_related.html")
def related_articles(article):
    return {"related": cached.related_articles(article)}


@register.inclusion_tag("articles/_language_switcher.html", takes_context=True)
def language_switcher(context):
    request = context.get("request")
    current = get_language()
    return {
        # A cached page must not carry one reader's query string to the next.
        "next": context.get("page_path") or (request.get_full_path() if request else "/"),
        "current": current,
        "languages": [
            (code, get_language_info(code)["name_local"], seo.hreflang(code))
            for code, _name in settings.LANGUAGES
        ],
    }
