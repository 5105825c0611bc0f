"""An author's page: who they are and their live articles, cached like a section's page."""

from django.http import Http404
from django.views.decorators.http import require_safe

from articles import listings
from articles.views.reader import list_page_seconds
from core.pagecache import CachedPage
from core.pagination import page_number, paginate
from people.models import Author
from people.profiles import author_key


@require_safe
def author_detail(request, author_slug):
    """An author's profile and live articles; an unknown slug is a 404, junk page numbers as on
    sections (`core.pagination`)."""
    found = author_key(author_slug)
    if found is None:
        raise Http404("No such author")
    listing = listings.author_listing(found.user_id)
    number = page_number(request, listing.live_count)
    page = CachedPage("author", found.pk, number)
    if page.is_missing:
        profile = Author.objects.select_related("photo").filter(pk=found.pk).first()
        if profile is None:  # deleted since it was looked up
            raise Http404("No such author")
        path = profile.get_absolute_url()
        context = {
            "author": profile,
            "page_obj": paginate(request, listing.articles(), count=listing.live_count),
            "page_path": path if number == 1 else f"{path}?page={number}",
        }
        page.render(request, "people/author.html", context, list_page_seconds())
    return page.response(request)
