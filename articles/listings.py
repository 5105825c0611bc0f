"""What the reader's list pages show: the front page's blocks, and a section's page of articles.

Queries are `ArticleQuerySet` methods; a section's live count comes cached (`articles.cached`),
so the page asked for is settled before any article is loaded.
"""

from dataclasses import dataclass

from articles import cached
from articles.models import Article, Section
from articles.sections import SectionTree, section_tree

FRONT_PAGE_LATEST = 12


def front_page():
    """The home page's articles: one featured (the newest marked so, else the newest), the
    latest after it, and each desk's newest few (top-level sections if there are no desks)."""
    tree = section_tree()
    latest = list(Article.objects.listed()[: FRONT_PAGE_LATEST + 1])
    featured = [a for a in latest if a.featured][:1] or latest[:1]
    featured_ids = {a.pk for a in featured}
    desks = tree.desks()
    by_desk = Article.objects.latest_by_section([s.pk for s in desks])
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
        return Article.objects.listed().filter(section_id__in=self.section_ids)

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
