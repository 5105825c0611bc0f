"""Paging that never fails a reader: ?page= junk gives page 1, past the end gives the last."""

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator


def paginate(request, queryset, per_page=None, count=None):
    """The page of `queryset` that ?page= asks for, settled as `page_number` settles it.

    With `count` known (cached), no COUNT query runs and the page's rows load lazily.
    """
    paginator = Paginator(queryset, per_page or settings.NEWSROOM_PAGE_SIZE)
    if count is not None:
        paginator.count = count
    return paginator.page(_settled_number(request, paginator))


def page_number(request, count, per_page=None):
    """The page ?page= asks for among `count` items: junk gives 1, past the end the last.

    Needs no query, so a cached page can be looked up by its number before anything is loaded.
    """
    items = range(count)  # stands for the rows: a paginator needs only their number
    return _settled_number(request, Paginator(items, per_page or settings.NEWSROOM_PAGE_SIZE))


def _settled_number(request, paginator):
    try:
        return paginator.validate_number(request.GET.get("page", 1))
    except PageNotAnInteger:
        return 1
    except EmptyPage:
        return paginator.num_pages
