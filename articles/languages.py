"""Which articles a reader of one language sees in a list, and how a list marks the others.

A story is an original and its translations (`Article.translation_of`). In language L a list
shows every article in L, and an article in another language only when its story has no live
version in L: a Chinese reader never sees the English original of a story translated into
Chinese, and still sees an English-only story, labelled with its language, unless the site
turns that off (NEWSROOM_SHOW_UNTRANSLATED). One condition in the list's own query: two
IN subqueries over the live translations in the reader's language (index
`article_language_live`), each run once, and a lookup of the article's original by its key.
"""

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import get_language, get_supported_language_variant

from articles.models import Article


def reader_language(language=None):
    """`language`, or the active one, as a code of settings.LANGUAGES."""
    try:
        return get_supported_language_variant(language or get_language() or "")
    except LookupError:
        return settings.LANGUAGE_CODE


def show_untranslated():
    return settings.NEWSROOM_SHOW_UNTRANSLATED


def scope_key(language=None):
    """What a cached list depends on besides its content: the language and the setting."""
    return f"{reader_language(language)}:{int(show_untranslated())}"


def translated_into(language):
    """True for an article whose story has a live version in `language`: it is the original of
    one, its original is one, or it shares its original with one.

    Translations are few: those are uncorrelated IN subqueries, each run once per query and
    read off the `article_language_live` index (a correlated EXISTS per row made SQLite scan
    the live index for every article); NULLs are kept out of them, as NOT IN with a NULL inside
    is never true. The original is looked up by its primary key: as an IN over the language's
    live articles it listed every one of them (most of a site) once per query."""
    live = Article.objects.live().filter(language=language)
    translations = live.filter(translation_of__isnull=False).values("translation_of_id")
    return (
        Q(pk__in=translations)
        | Exists(live.filter(pk=OuterRef("translation_of_id")))
        | Q(translation_of_id__in=translations)
    )


def listed_in(language=None):
    """The condition an article meets to be listed for a reader of `language` (default: the
    active one): a filter, or an aggregate's `filter=`."""
    language = reader_language(language)
    mine = Q(language=language)
    return (mine | ~translated_into(language)) if show_untranslated() else mine


def in_language(articles, language=None):
    """`articles` as a reader of `language` (default: the active one) sees them listed."""
    return articles.filter(listed_in(language))
