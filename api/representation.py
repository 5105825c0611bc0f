"""The JSON the API returns, built from models: the shapes `schemas.py` declares."""

import re
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from taggit.models import TaggedItem

from api import schemas
from articles.models import Article
from core.site_url import absolute_url
from media.html import rendition_list
from readership import counts

_RELATIVE_URL = re.compile(r'(\s(?:src|href)=")/(?!/)')


def index_json():
    """The index at the API's root: absolute links from SITE_URL, like every link here."""
    base = reverse("api-v1:openapi-json").removesuffix("openapi.json")
    return {
        "name": f"{settings.SITE_NAME} Content API",
        "version": "1",
        "schema_url": absolute_url(base + "openapi.json"),
        "docs_url": absolute_url(base + "docs"),
        "links": {
            "sections": absolute_url(base + "sections"),
            "articles": absolute_url(base + "articles"),
            "article": absolute_url(base + "articles/{id}"),
            "article_by_path": absolute_url(base + "sections/{section}/articles/{slug}"),
            "view_report": absolute_url(base + "articles/{id}/view"),
        },
    }


def absolute_body(html):
    """Apps have no base URL: point the body's relative links and images at the site."""
    site_root = absolute_url("/")
    return _RELATIVE_URL.sub(lambda m: m.group(1) + site_root, html)


def image_json(image):
    if image is None or not image.file:
        return None
    return {
        "url": absolute_url(image.file.url),
        "width": image.width,
        "height": image.height,
        "alt_text": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
        "renditions": rendition_list(image),
    }


def section_ref(section):
    return {
        "id": section.pk,
        "name": section.name,
        "slug": section.slug,
        "url": absolute_url(section.get_absolute_url()),
    }


def section_tree_json(tree):
    """Every section, top level first, each with its sub-sections in `children`."""

    def node(section):
        return {
            "id": section.pk,
            "name": section.name,
            "slug": section.slug,
            "description": section.description,
            "position": section.position,
            "parent_id": section.parent_id,
            "url": absolute_url(section.get_absolute_url()),
            "children": [node(child) for child in tree.children(section)],
        }

    return [node(section) for section in tree.top_level]


def tags_json(article):
    tags = getattr(article, "tag_list", None)
    if tags is None:
        tags = [{"name": tag.name, "slug": tag.slug} for tag in article.tags.all()]
    return sorted(tags, key=lambda tag: tag["name"])


def attach_tags(articles):
    """Give each article its tags as `tag_list` ({name, slug} dicts), in one query.

    Not prefetch_related("tags"): taggit builds a queryset per article while prefetching.
    """
    by_id = {article.pk: [] for article in articles}
    if by_id:
        rows = TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Article), object_id__in=by_id
        ).values_list("object_id", "tag__name", "tag__slug")
        for object_id, name, slug in rows:
            by_id[object_id].append({"name": name, "slug": slug})
    for article in articles:
        article.tag_list = by_id[article.pk]


FIELD_BUILDERS = {
    "id": lambda a: a.pk,
    "title": lambda a: a.title,
    "slug": lambda a: a.slug,
    "section": lambda a: section_ref(a.section),
    "language": lambda a: a.language,
    "summary": lambda a: a.summary,
    "cover": lambda a: image_json(a.cover),
    "byline": lambda a: a.byline,
    "published_at": lambda a: a.published_at,
    "updated_at": lambda a: a.updated_at,
    "featured": lambda a: a.featured,
    "views": lambda a: a.views,
    "tags": tags_json,
    "url": lambda a: a.get_full_url(),
    "short_url": lambda a: a.get_short_url(),
}


def article_json(article, fields=schemas.LIST_FIELDS):
    return {name: FIELD_BUILDERS[name](article) for name in fields}


def article_detail_json(article):
    data = article_json(article)
    # With the Redis view store, add the views still waiting to be flushed.
    data["views"] = counts.current_views(article.pk, article.views)
    data["translation_of"] = article.translation_of_id
    data["body"] = absolute_body(article.body)
    return data


def page_url(request, number):
    """The absolute URL of another page of this list, with the same filters."""
    query = request.GET.copy()
    query["page"] = number
    return absolute_url(f"{request.path}?{urlencode(sorted(query.items()))}")


def article_page_json(request, page, fields):
    """One page of the article list (a `listing.ArticlePage`), with links to its neighbours."""
    last = page.last_number
    has_next = page.number < min(last, schemas.MAX_PAGE)
    has_previous = page.number > 1 and last > 0
    return {
        "count": page.count,
        "page": page.number,
        "page_size": page.size,
        "pages": last,
        "next": page_url(request, page.number + 1) if has_next else None,
        "previous": page_url(request, min(page.number - 1, last)) if has_previous else None,
        "results": [article_json(article, fields) for article in page.rows],
    }
