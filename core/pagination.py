"""Paging that never fails a reader: ?page= junk gives page 1, past the end gives the last."""

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator


def paginate(request, queryset, per_page=None, count=None):
    """Page from ?page=: junk gives page 1, past the end gives the last page.

    With `count` known (cached), no COUNT query runs and the page's rows load lazily.
    """
    paginator = Paginator(queryset, per_page or settings.NEWSROOM_PAGE_SIZE)
    if count is not None:
        paginator.count = count
    return paginator.page(page_number(request, paginator))


def page_number(request, paginator):
    """The page ?page= asks for, as paginate() settles it; needs only the paginator's count."""
    try:
        return paginator.validate_number(request.GET.get("page", 1))
    except PageNotAnInteger:
        return 1
    except EmptyPage:
        return paginator.num_pages
