"""axe-core in chromium on the admin pages editors live in: the desk (the admin's home), the
article list (with a search) and an article's page. No serious or critical violation."""

from datetime import timedelta

import pytest
from django.utils import timezone

from readership.models import DailyStat
from tests.articles.browser import sign_in_as_desk
from tests.articles.conftest import desk_editor  # noqa: F401 (a fixture used below)
from tests.site.test_a11y_browser import axe_problems

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def desk_content(desk_editor, make_article, make_image):  # noqa: F811
    cover = make_image(name="line.jpg", alt_text="The new line")
    read = make_article(title="Riverside line opens", cover=cover, author=desk_editor)
    make_article(title="Waiting for an editor", status="review", author=desk_editor)
    make_article(title="Noon announcement", published_at=timezone.now() + timedelta(minutes=5))
    make_article(title="Expiring notice", expires_at=timezone.now() + timedelta(days=1))
    DailyStat.objects.create(article=read, day=timezone.localdate(), views=120, qr_scans=7)
    return read


def test_admin_pages_have_no_serious_or_critical_axe_violations(live_server, page, desk_content):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.set_default_timeout(15000)
    sign_in_as_desk(page, live_server)
    assert page.locator(".nr-desk").count() == 1  # the desk is the admin's home
    problems = {}
    for path in [
        "/admin/",
        "/admin/articles/article/",
        "/admin/articles/article/?q=riverside",
        f"/admin/articles/article/{desk_content.pk}/change/",
    ]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        found = axe_problems(page)
        if found:
            problems[path] = found
    assert problems == {}
