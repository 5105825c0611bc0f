"""Template tags for the reader's pages: article metadata, translations, related articles,
the language switcher. Tags rather than view context so any page can use them."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language, get_language_info

from articles import cached, seo
from articles.sections import section_tree
from articles.translations import page_in_language, translations
from core.site_url import absolute_url

register = template.Library()


@register.inclusion_tag("articles/_article_meta.html")
def article_meta(article):
    return {
        **seo.article_meta(article, translations(article)),
        "article": article,
        "SITE_NAME": settings.SITE_NAME,
    }


@register.inclusion_tag("articles/_page_meta.html")
def home_meta():
    return {**seo.home_meta(section_tree()), "SITE_NAME": settings.SITE_NAME}


@register.inclusion_tag("articles/_page_meta.html", takes_context=True)
def section_meta(context, section):
    # page_path, not the request: the cached page is the same for every reader.
    path = context.get("page_path") or section.get_absolute_url()
    return {**seo.section_meta(section, path), "SITE_NAME": settings.SITE_NAME}


@register.inclusion_tag("articles/_page_meta.html", takes_context=True)
def tag_meta(context, tag):
    path = context.get("page_path") or reverse("articles:tag", args=[tag.slug])
    return {**seo.tag_meta(tag.name, path), "SITE_NAME": settings.SITE_NAME}


@register.inclusion_tag("articles/_page_meta.html", takes_context=True)
def author_meta(context, profile):
    path = context.get("page_path") or profile.get_absolute_url()
    return {**seo.author_meta(profile, path), "SITE_NAME": settings.SITE_NAME}


@register.simple_tag
def author_json_ld(profile):
    return seo.author_page_json_ld(profile)


@register.simple_tag
def credited_author(article):
    """The author profile the article's byline links to, or None (`seo.credited_author`)."""
    return seo.credited_author(article)


@register.inclusion_tag("articles/_tags.html")
def article_tags(article):
    tags = [tag for tag in article.tags.all() if tag.slug]  # a name of only symbols has none
    return {"tags": sorted(tags, key=lambda tag: tag.name.casefold())}


@register.inclusion_tag("articles/_language_links.html", takes_context=True)
def language_links(context):
    """Canonical and hreflang links of a page that has no other metadata (search)."""
    path = context.get("page_path") or context["request"].get_full_path()
    return {"canonical": absolute_url(path), "alternates": seo.language_alternates(path)}


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
    """Links to this page in each language (`translations.page_in_language`)."""
    request = context.get("request")
    # A cached page must not carry one reader's query string to the next.
    path = context.get("page_path") or (request.get_full_path() if request else "/")
    article = context.get("article") if context.get("is_article_page") else None
    return {
        "current": get_language(),
        "languages": [
            (
                code,
                get_language_info(code)["name_local"],
                seo.hreflang(code),
                page_in_language(path, code, article),
            )
            for code, _name in settings.LANGUAGES
        ],
    }
