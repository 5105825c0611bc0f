"""The editors' desk on a 1280 px laptop screen: the article list shows its counts without
horizontal scrolling, the admin pages load without a failed request or console error, the admin
carries the site's name, and the body editor opens tall enough to write in."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from articles.demo.content import ARTICLES, SECTIONS
from articles.models import Article, Section
from tests.articles.browser import sign_in_as_desk

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LAPTOP = {"width": 1280, "height": 800}


@pytest.fixture
def desk(desk_editor, make_article, make_image):
    """A dozen articles like the demo's: long titles, every status, big counts, a cover."""
    desk_editor.first_name, desk_editor.last_name = "Grace", "Zhou"
    desk_editor.save()
    # `make_article`'s own fixture already made two of them.
    sections = {
        slug: Section.objects.update_or_create(slug=slug, defaults={"name": name})[0]
        for slug, name, *_rest in SECTIONS
    }
    cover = make_image(name="line.jpg", alt_text="The new line")
    statuses = [Article.Status.PUBLISHED, Article.Status.DRAFT, Article.Status.REVIEW]
    articles = []
    for n, demo in enumerate(ARTICLES[:11]):
        articles.append(
            make_article(
                title=demo["title"],
                slug=demo["slug"],
                section=sections[demo["section"]],
                status=statuses[n % 3],
                cover=cover if n % 2 else None,
                author=desk_editor,
                views=1_234_567 + n,
                qr_scans=98_765 + n,
            )
        )
    articles.append(
        make_article(
            title="Harbor Automation will publish its annual results for shareholders and staff",
            section=sections["media-coverage"],
            published_at=timezone.now() + timedelta(days=3),
            views=0,
        )
    )
    return articles


def sign_in(page, live_server):
    page.set_viewport_size(LAPTOP)
    page.set_default_timeout(15000)
    sign_in_as_desk(page, live_server)


def test_the_article_list_fits_a_laptop_screen(live_server, page, desk):
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/admin/articles/article/")
    assert page.locator("#result_list tbody tr").count() == len(desk)

    for column in ("views", "qr_scans"):
        cells = page.locator(f"#result_list .column-{column}, #result_list td.field-{column}")
        assert cells.count() == len(desk) + 1
        for box in (cells.nth(i).bounding_box() for i in range(cells.count())):
            assert box["x"] >= 0 and box["x"] + box["width"] <= LAPTOP["width"], (column, box)

    overflow = page.evaluate(
        """() => {
            const results = document.querySelector('#changelist .results');
            return [results.scrollWidth - results.clientWidth,
                    document.documentElement.scrollWidth - window.innerWidth];
        }"""
    )
    assert overflow == [0, 0]

    for title in page.locator("#result_list .field-title a").all():
        line_height = float(title.evaluate("a => getComputedStyle(a).lineHeight")[:-2])
        assert title.bounding_box()["height"] <= 2 * line_height + 1
    # Clamped on screen only: the whole title is still the link's text.
    assert page.get_by_role("link", name=ARTICLES[0]["title"]).count() == 1


def test_the_admin_pages_load_cleanly_and_carry_the_site_name(live_server, page, desk, make_image):
    image = make_image(name="quay.jpg")
    problems = []
    page.on("response", lambda r: problems.append((r.status, r.url)) if r.status >= 400 else None)
    page.on("requestfailed", lambda r: problems.append(("failed", r.url, r.failure)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    sign_in(page, live_server)
    pages = [
        "/admin/",
        "/admin/articles/article/",
        "/admin/articles/article/add/",
        f"/admin/articles/article/{desk[0].pk}/change/",
        "/admin/media/image/",
        f"/admin/media/image/{image.pk}/change/",
    ]
    for path in pages:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert settings.SITE_NAME in page.inner_text("#site-name"), path
        assert page.title().endswith(f"| {settings.SITE_NAME}"), path
        assert "Django administration" not in page.inner_text("#header"), path
    assert problems == []


def test_the_body_editor_opens_tall_and_grows(live_server, page, desk_editor):
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    editor = page.locator(".prose-editor [contenteditable=true].ProseMirror")
    opened = editor.bounding_box()["height"]
    assert opened >= 300
    editor.click()
    for n in range(25):
        page.keyboard.type(f"Paragraph {n} of a long report from the riverside line.")
        page.keyboard.press("Enter")
    grown = editor.bounding_box()["height"]
    assert grown > opened + 200, (opened, grown)
    # It grows itself rather than scrolling inside: the last paragraph is in the box.
    assert editor.evaluate("e => e.scrollHeight - e.clientHeight") <= 1
