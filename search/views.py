"""/search/?q=: the reader's search page. Any query gives a normal page, never an error."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from core.pagination import paginate
from search import highlight, results
from search.query import clean_query, terms, was_cut

SEARCH_PAGE_SIZE = 10


@require_safe
def search(request):
    raw = request.GET.get("q", "")
    query = clean_query(raw)
    words = terms(query)
    page = None
    shown = []
    if words:
        page = paginate(request, results.results(query), per_page=SEARCH_PAGE_SIZE)
        shown = [highlight.marked(article, words) for article in page.object_list]
    return render(
        request,
        "search/search.html",
        {
            "query": query,
            "truncated": was_cut(raw, query),
            "page_obj": page,
            "capped": page is not None and results.capped(query, page.paginator.count),
            "results": shown,
            "page_path": search_path(query, page),
        },
    )


def search_path(query, page):
    """This page's address without what readers add (tracking parameters): its canonical."""
    params = {"q": query} if query else {}
    if page is not None and page.number > 1:
        params["page"] = page.number
    path = reverse("search:search")
    return f"{path}?{urlencode(params)}" if params else path
