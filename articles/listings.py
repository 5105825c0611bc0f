"""What the reader's list pages show: the front page's blocks, and the articles of a section,
a tag or an author, a page at a time.

Queries are `ArticleQuerySet` methods; a section's live count comes cached (`articles.cached`),
so the page asked for is settled before any article is loaded. Every list goes through
`listed()` (or `in_language`): it shows the reader's language (`articles.languages`).
"""

from dataclasses import dataclass

from taggit.models import Tag

from articles import cached
from articles.languages import in_language, scope_key
from articles.models import Article, Section
from articles.sections import SectionTree, section_tree
from core.pagecache import fetch, fragment_key, store

FRONT_PAGE_LATEST = 12


def listed(language=None):
    """Live articles as a list shows them to a reader of `language` (default: the active one):
    newest first, with cover and section; one version of each story."""
    return in_language(Article.objects.listed(), language)


def for_article_page(language):
    """Articles with what their page shows; previous/next as a reader of `language` sees them."""
    return Article.objects.for_article_page(in_language(Article.objects.live(), language))


def front_page():
    """The home page's articles: one featured (the newest marked so, else the newest), the
    latest after it, and each desk's newest few (top-level sections if there are no desks)."""
    tree = section_tree()
    latest = list(listed()[: FRONT_PAGE_LATEST + 1])
    featured = [a for a in latest if a.featured][:1] or latest[:1]
    featured_ids = {a.pk for a in featured}
    desks = tree.desks()
    by_desk = in_language(Article.objects.all()).latest_by_section([s.pk for s in desks])
    return {
        "featured": featured,
        "latest": [a for a in latest if a.pk not in featured_ids][:FRONT_PAGE_LATEST],
        "section_blocks": [(s, by_desk[s.pk]) for s in desks if by_desk[s.pk]],
    }


@dataclass(frozen=True)
class SectionListing:
    """A section's live articles, its subsections' included."""

    section: Section
    tree: SectionTree
    section_ids: list
    stats: cached.SectionStats

    def articles(self):
        return listed().filter(section_id__in=self.section_ids)

    def context(self, page_number):
        """The page's surroundings: the section, its breadcrumbs and subsections, its path."""
        path = self.section.get_absolute_url()
        return {
            "section": self.section,
            "breadcrumbs": self.tree.ancestors(self.section),
            "subsections": self.tree.children(self.section),
            "page_path": path if page_number == 1 else f"{path}?page={page_number}",
        }


def section_listing(section_slug):
    """The SectionListing of the section with that slug, or None: no query once cached."""
    tree = section_tree()
    section = tree.by_slug.get(section_slug)
    if section is None:
        return None
    section_ids = tree.descendant_ids(section)
    return SectionListing(section, tree, section_ids, cached.section_stats(section_ids))


@dataclass(frozen=True)
class ArticleListing:
    """The live articles matching `filters` (one tag's, one author's), listed and paged as a
    section's are; their number comes cached (`listing_count`)."""

    filters: tuple  # (lookup, value) pairs
    live_count: int

    def articles(self):
        return listed().filter(**dict(self.filters))


def article_listing(**filters):
    filters = tuple(sorted(filters.items()))
    return ArticleListing(filters, listing_count(filters))


def listing_count(filters):
    """How many live articles match `filters`: one COUNT, cached per generation and language
    (lists may differ by language), until the next article falls due or expires."""
    key = fragment_key(("listing-count", scope_key(), *filters))
    current, count = fetch(key)
    if count is None:
        count = listed().filter(**dict(filters)).count()
        store(key, current, count, cached.fragment_seconds())
    return count


@dataclass(frozen=True)
class TagListing:
    """A tag's page: the tag, and its live articles."""

    pk: int
    name: str
    slug: str
    listing: ArticleListing


def tag_listing(tag_slug):
    """The TagListing of the tag with that slug, or None when no live article carries it in
    any language (a draft's tags stay unseen). Found tags are cached; a junk slug costs one
    indexed query. A tag page exists in every language, perhaps empty in one."""
    key = fragment_key(("tag", tag_slug))
    current, found = fetch(key)
    if found is None:
        row = live_tags().filter(slug=tag_slug).values_list("pk", "name", "slug").first()
        if row is None:
            return None
        found = tuple(row)
        store(key, current, found, cached.fragment_seconds())
    pk, name, slug = found
    return TagListing(pk, name, slug, article_listing(tags__pk=pk))


def live_tags():
    """Tags that at least one live article carries (and that have a slug: a name of only
    symbols gets none, and no page)."""
    tagged = Article.tags.through.objects.filter(
        content_type__app_label=Article._meta.app_label,
        content_type__model=Article._meta.model_name,
        object_id__in=Article.objects.live().values("pk"),
    )
    return Tag.objects.filter(pk__in=tagged.values("tag_id")).exclude(slug="")


def author_listing(user_id):
    """The live articles whose author is the user `user_id`, newest first."""
    return article_listing(author_id=user_id)
