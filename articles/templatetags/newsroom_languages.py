"""Template tags for lists that mix languages: an item in another language than the page's
carries a `lang` attribute and a small visible label; a link to an article goes to the
address in the article's own language (`articles.languages`)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language, get_language_info, override

from articles import seo

register = template.Library()


def _is_other(language):
    return bool(language) and language != get_language()


@register.filter
def lang_attr(language):
    """` lang="…"` for an item in another language than the page's, else nothing."""
    if not _is_other(language):
        return ""
    return format_html(' lang="{}"', seo.hreflang(language))


@register.simple_tag
def language_label(language):
    """A small label naming an item's language when it is not the page's, else nothing."""
    if not _is_other(language):
        return ""
    return format_html(
        ' <span class="lang-label" lang="{}">{}</span>',
        seo.hreflang(language),
        get_language_info(language)["name_local"],
    )


@register.simple_tag
def article_url(section_slug, slug, language):
    """The address of the article `slug` of a section, in the article's language."""
    with override(language):
        return reverse("articles:article", args=[section_slug, slug])
