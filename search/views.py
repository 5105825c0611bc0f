"""/search/?q=: the reader's search page. Any query gives a normal page, never an error."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.pagination import paginate
from search import engine as search_engine

SEARCH_PAGE_SIZE = 10


@require_safe
def search(request):
    raw = request.GET.get("q", "")
    query = search_engine.clean_query(raw)
    words = search_engine.terms(query)
    page = None
    results = []
    if words:
        page = paginate(request, search_engine.results(query), per_page=SEARCH_PAGE_SIZE)
        results = [
            {
                "article": article,
                "title": search_engine.highlight(article.title, words),
                "summary": search_engine.highlight(article.summary, words),
                "snippet": search_engine.snippet(article, words),
            }
            for article in page.object_list
        ]
    return render(
        request,
        "articles/search.html",
        {
            "query": query,
            "truncated": len(raw) > len(query) and len(raw.strip()) > search_engine.MAX_QUERY_CHARS,
            "page_obj": page,
            "capped": page is not None and search_engine.capped(page.paginator.count),
            "results": results,
        },
    )
