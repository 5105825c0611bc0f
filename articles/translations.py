"""Articles in other languages: an article, its original and the original's other translations.

`translation_of` points from a translation to its original; readers of either see the
other(s), so one query looks both ways.
"""

from django.db.models import Q
from django.urls import reverse, translate_url
from django.utils.translation import get_language, override

from articles.models import Article


def translations(article):
    """Live versions of `article` in other languages, original first; one query, memoised."""
    cached = getattr(article, "_translations", None)
    if cached is not None:
        return cached
    links = Q(translation_of_id=article.pk)
    if article.translation_of_id:
        links |= Q(pk=article.translation_of_id) | Q(translation_of_id=article.translation_of_id)
    # Liveness is checked in Python: in SQL it would steer the planner to the (status,
    # published_at) index and a scan of every live article instead of these few links.
    found = (
        Article.objects.filter(links)
        .exclude(pk=article.pk)
        .exclude(language=article.language)
        .select_related("section")
        .only(
            "title",
            "slug",
            "language",
            "translation_of_id",
            "status",
            "published_at",
            "section__slug",
            "section__name",
        )
        .order_by("translation_of_id", "language", "id")
    )
    result, seen = [], set()
    for other in found:
        if not other.is_live:
            continue
        if other.language not in seen:  # one version per language
            seen.add(other.language)
            result.append(other)
    result.sort(key=lambda a: a.pk != article.translation_of_id)
    article._translations = result
    return result


def page_in_language(path, language, article=None):
    """The address of the page at `path` (in the active language) in `language`: the language
    switcher's link. An article's page: its translation into `language`, else its section's
    page there (an article has one address, in its own language). Any other page: the same
    address under that language's prefix; one no route knows (an error page): that home."""
    if article is not None:
        if article.language == language:
            return article.get_absolute_url()
        for other in translations(article):
            if other.language == language:
                return other.get_absolute_url()
        with override(language):
            return article.section.get_absolute_url()
    if language == get_language():
        return path
    translated = translate_url(path, language)
    if translated == path:
        with override(language):
            return reverse("articles:home")
    return translated
