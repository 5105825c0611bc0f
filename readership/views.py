"""The view beacon's endpoint (`beacon.py`): check the POST, count it, answer with the total."""

from django.http import Http404, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from articles.models import Article
from readership import beacon, visits


@csrf_exempt  # a cached page carries no CSRF token; the signed token and origin check stand in
@never_cache
@require_POST
def count_view(request):
    """Count the view a page's beacon reports; the reply's total is written into the page."""
    if not beacon.is_on():
        raise Http404("View beacons are off (NEWSROOM_VIEW_COUNTING=server)")
    try:
        accepted = beacon.accept(request)
    except beacon.Refused as refused:
        return _refusal(refused)
    except Article.DoesNotExist:
        raise Http404("No such article") from None
    report = visits.report_view(request, accepted.article_id, accepted.stored_views)
    return JsonResponse({"views": report.views, "counted": report.counted})


def _refusal(refused):
    response = JsonResponse({"error": refused.message}, status=refused.status)
    if refused.retry_after:
        response["Retry-After"] = str(refused.retry_after)
    return response
