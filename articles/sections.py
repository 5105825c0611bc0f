"""The section tree, loaded once and cached: navigation and breadcrumbs cost no query.

Sections change rarely; `signals.py` drops the cached tree whenever one is saved or deleted.
"""

from dataclasses import dataclass, field

from django.core.cache import cache

from articles.models import Section

CACHE_KEY = "newsroom:section-tree:v1"


@dataclass
class SectionTree:
    by_id: dict = field(default_factory=dict)
    by_slug: dict = field(default_factory=dict)
    top_level: list = field(default_factory=list)

    def ancestors(self, section):
        """Sections from the top down to `section`, for breadcrumbs."""
        chain, seen = [], set()
        current = self.by_id.get(section.pk, section)
        while current is not None and current.pk not in seen:
            seen.add(current.pk)
            chain.append(current)
            current = self.by_id.get(current.parent_id)
        return list(reversed(chain))

    def children(self, section):
        return [s for s in self.by_id.values() if s.parent_id == section.pk]

    def desks(self):
        """The sections the front page shows a block for: subsections (the desks), or the
        top-level sections if there are none."""
        return [s for s in self.by_id.values() if s.parent_id is not None] or self.top_level

    def descendant_ids(self, section):
        """The section's id and its subsections' (a cycle in the data is walked once)."""
        ids, todo = [], [section]
        while todo:
            current = todo.pop()
            if current.pk in ids:
                continue
            ids.append(current.pk)
            todo.extend(self.children(current))
        return ids


def build_tree():
    tree = SectionTree()
    for section in Section.objects.order_by("position", "name"):
        tree.by_id[section.pk] = section
        tree.by_slug[section.slug] = section
        if section.parent_id is None:
            tree.top_level.append(section)
    return tree


def section_tree():
    tree = cache.get(CACHE_KEY)
    if tree is None:
        tree = build_tree()
        cache.set(CACHE_KEY, tree, None)
    return tree


def forget_tree():
    cache.delete(CACHE_KEY)
