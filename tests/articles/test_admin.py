"""The editors' desk through the real admin forms: workflow, scheduling, revisions, lists."""

import html as htmllib
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import F
from django.forms import CheckboxInput, MultiWidget
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.feeds import feed_text
from articles.models import Article
from media.models import Image
from tests.conftest import image_bytes

pytestmark = pytest.mark.django_db

ADD_URL = "admin:articles_article_add"


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def form_values(response):
    """The POST data a browser would send for the admin form on this page, as rendered."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        bound = form[name]
        widget = field.widget
        value = bound.value()
        while hasattr(widget, "widget") and not isinstance(widget, MultiWidget):
            widget = widget.widget  # RelatedFieldWidgetWrapper
        if isinstance(widget, MultiWidget):
            parts = value if isinstance(value, list | tuple) else widget.decompress(value)
            for i, (sub, part) in enumerate(zip(widget.widgets, parts, strict=False)):
                formatted = sub.format_value(part)
                data[f"{name}_{i}"] = "" if formatted is None else formatted
        elif isinstance(widget, CheckboxInput):
            if value:
                data[name] = "on"
        elif value is None:
            data[name] = ""
        elif isinstance(value, list | tuple) and not hasattr(widget, "format_value"):
            data[name] = list(value)
        else:
            formatted = widget.format_value(value)
            data[name] = "" if formatted is None else formatted
    return data


def post_form(client, url, **changes):
    """GET the admin form, change some fields like an editor would, and POST it."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    data = form_values(page)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return client.post(url, data)


def errors_of(response):
    if response.status_code != 200 or not response.context:
        return {}
    return response.context["adminform"].form.errors


@pytest.fixture
def writer_client(client, writer):
    client.force_login(writer)
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def other_writer(django_user_model):
    user = django_user_model.objects.create_user("other", "o@example.com", "pw-other-123")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name="Writers"))
    return user


def new_article(client, section, **fields):
    fields.setdefault("title", "Harbour bridge reopens")
    fields.setdefault("slug", "harbour-bridge-reopens")
    fields.setdefault("section", str(section.pk))
    fields.setdefault("summary", "The bridge is open again.")
    fields.setdefault("body", "<h2>Works</h2><p>Six months of works.</p>")
    response = post_form(client, reverse(ADD_URL), **fields)
    return response


# --- writers --------------------------------------------------------------------------


def test_writer_creates_a_draft_and_cannot_publish_it(writer_client, writer, section):
    response = new_article(writer_client, section)
    assert response.status_code == 302, errors_of(response)
    article = Article.objects.get(slug="harbour-bridge-reopens")
    assert article.status == Article.Status.DRAFT
    assert article.author == writer
    assert article.history.first().history_user == writer

    page = writer_client.get(change_url(article))
    status_choices = [v for v, _ in page.context["adminform"].form.fields["status"].choices]
    assert status_choices == ["draft", "review"]
    assert "published_at" not in page.context["adminform"].form.fields
    assert "featured" not in page.context["adminform"].form.fields

    # Forcing the status, or pressing a Publish button the page does not show, is refused.
    for change in ({"status": "published"}, {"_workflow": "publish"}):
        response = post_form(writer_client, change_url(article), **change)
        assert response.status_code == 200
        assert "status" in errors_of(response)
        article.refresh_from_db()
        assert article.status == Article.Status.DRAFT
        assert article.published_at is None
    # A forged time of issue is ignored: the field is read-only for writers.
    post_form(writer_client, change_url(article), published_at_0="2020-01-01", status="draft")
    article.refresh_from_db()
    assert article.published_at is None
    assert Client().get(article.get_absolute_url()).status_code == 404

    response = post_form(writer_client, change_url(article), _workflow="review")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW


def test_writer_cannot_touch_published_or_others_articles(
    writer_client, writer, other_writer, make_article
):
    published = make_article(author=writer)
    others = make_article(status=Article.Status.DRAFT, author=other_writer, title="Not yours")

    # Published: visible read-only, and a POST is refused.
    page = writer_client.get(change_url(published))
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    response = writer_client.post(change_url(published), {"title": "Hijacked", "status": "draft"})
    assert response.status_code == 403
    published.refresh_from_db()
    assert published.title != "Hijacked"
    assert published.status == Article.Status.PUBLISHED

    # Someone else's draft: not in the list, not reachable.
    listing = writer_client.get(reverse("admin:articles_article_changelist"))
    assert "Not yours" not in listing.content.decode()
    assert writer_client.get(change_url(others)).status_code == 302  # "doesn't exist" redirect
    assert writer_client.post(change_url(others), {"title": "x"}).status_code in (302, 403, 404)
    others.refresh_from_db()
    assert others.title == "Not yours"

    # No bulk publishing for writers.
    response = writer_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "unpublish_selected", "_selected_action": [published.pk]},
    )
    published.refresh_from_db()
    assert published.status == Article.Status.PUBLISHED
    assert 'value="publish_selected"' not in listing.content.decode()


def test_writer_cannot_restore_a_revision_of_a_published_article(
    writer_client, writer, make_article
):
    article = make_article(author=writer, body="<p>Old</p>")
    version = article.history.earliest()
    url = reverse("admin:articles_article_simple_history", args=[article.pk, version.history_id])
    assert writer_client.get(url).status_code == 200  # may look
    response = writer_client.post(url, {"title": "x", "status": "draft"})
    assert response.status_code == 403


# --- editors --------------------------------------------------------------------------


def test_editor_publishes_and_unpublishes(editor_client, writer_client, writer, section):
    new_article(writer_client, section, _workflow="review")
    article = Article.objects.get(slug="harbour-bridge-reopens")
    assert article.status == Article.Status.REVIEW
    writer_client.logout()

    # The editor sees the article in review, and publishes it with the Publish button.
    from django.contrib.auth import get_user_model

    editor_client.force_login(get_user_model().objects.get(username="editor"))
    listing = editor_client.get(reverse("admin:articles_article_changelist") + "?state=review")
    assert "Harbour bridge reopens" in listing.content.decode()
    response = post_form(editor_client, change_url(article), _workflow="publish")
    assert response.status_code == 302, errors_of(response)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at is not None  # stamped on first publish
    public = editor_client.get(article.get_absolute_url())
    assert public.status_code == 200
    assert "Six months of works." in public.content.decode()
    editor_client.logout()
    assert editor_client.get(article.get_absolute_url()).status_code == 200
    assert editor_client.get(reverse("articles:home")).content.decode().count(article.title)

    # Unpublish with the bulk action: readers get a 404 again.
    editor_client.force_login(get_user_model().objects.get(username="editor"))
    response = editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "unpublish_selected", "_selected_action": [article.pk]},
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert article.history.first().history_user.username == "editor"
    editor_client.logout()
    assert editor_client.get(article.get_absolute_url()).status_code == 404


def test_bulk_publish(editor_client, make_article):
    drafts = [make_article(status=Article.Status.DRAFT) for _ in range(3)]
    response = editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_selected", "_selected_action": [a.pk for a in drafts]},
        follow=True,
    )
    assert "3 articles published." in response.content.decode()
    assert Article.objects.live().filter(pk__in=[a.pk for a in drafts]).count() == 3


def test_scheduled_article_goes_live_at_its_time(editor_client, client, section):
    when = timezone.now() + timedelta(days=2)
    response = new_article(
        editor_client,
        section,
        status="published",
        published_at_0=timezone.localtime(when).strftime("%Y-%m-%d"),
        published_at_1=timezone.localtime(when).strftime("%H:%M:%S"),
    )
    assert response.status_code == 302, errors_of(response)
    article = Article.objects.get(slug="harbour-bridge-reopens")
    assert article.is_scheduled

    listing = editor_client.get(reverse("admin:articles_article_changelist"))
    assert "Scheduled for " in listing.content.decode()
    editor_client.logout()
    assert client.get(article.get_absolute_url()).status_code == 404
    with time_machine.travel(when - timedelta(minutes=1)):
        assert client.get(article.get_absolute_url()).status_code == 404
    with time_machine.travel(when + timedelta(minutes=1)):
        assert client.get(article.get_absolute_url()).status_code == 200
        assert article.title in client.get(reverse("articles:home")).content.decode()


def test_restoring_a_revision_keeps_counters_and_short_code(editor_client, make_article):
    article = make_article(body="<p>First version of the story.</p>")
    post_form(editor_client, change_url(article), body="<p>Second version.</p>")
    article.refresh_from_db()
    assert article.body == "<p>Second version.</p>"
    Article.objects.filter(pk=article.pk).update(views=F("views") + 41, qr_scans=7)
    code = article.short_code

    first = article.history.earliest()
    revert_url = reverse(
        "admin:articles_article_simple_history", args=[article.pk, first.history_id]
    )
    page = editor_client.get(change_url(article))
    assert revert_url in page.content.decode()  # listed on the change page
    response = post_form(editor_client, revert_url)
    assert response.status_code == 302, errors_of(response)
    article.refresh_from_db()
    assert article.body == "<p>First version of the story.</p>"
    assert article.views == 41
    assert article.qr_scans == 7
    assert article.short_code == code
    assert article.history.count() == 3


# --- form behaviour --------------------------------------------------------------------


def test_duplicate_slug_is_a_clear_error_and_keeps_the_typing(editor_client, make_article):
    existing = make_article(slug="taken-slug")
    body = "<h2>My long draft</h2><p>Every word I typed.</p>"
    response = new_article(
        editor_client, existing.section, title="A new story", slug="taken-slug", body=body
    )
    assert response.status_code == 200
    errors = errors_of(response)
    assert "already uses the slug" in str(errors["slug"])
    html = response.content.decode()
    assert "Every word I typed." in html
    assert 'value="A new story"' in html
    assert Article.objects.filter(slug="taken-slug").count() == 1


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("北京新闻发布会", r"^bei-jing-xin-wen-fa-bu-hui$"),
        ("🎉🎉🎉", r"^\d{4}-\d{2}-\d{2}-[a-z0-9]{6}$"),
        ("Ça déménage à Zürich", r"^ca-demenage-a-zurich$"),
    ],
)
def test_empty_slug_is_made_from_any_title(editor_client, section, title, expected):
    response = new_article(editor_client, section, title=title, slug="")
    assert response.status_code == 302, errors_of(response)
    article = Article.objects.get(title=title)
    assert re.match(expected, article.slug), article.slug


def test_derived_slugs_are_made_unique(editor_client, section):
    for _ in range(2):
        response = new_article(editor_client, section, title="北京新闻", slug="")
        assert response.status_code == 302, errors_of(response)
    slugs = sorted(Article.objects.values_list("slug", flat=True))
    assert slugs == ["bei-jing-xin-wen", "bei-jing-xin-wen-2"]


def test_change_page_links_preview_and_view_on_site(editor_client, make_article, client):
    draft = make_article(status=Article.Status.DRAFT)
    page = editor_client.get(change_url(draft)).content.decode()
    preview = reverse("articles:preview", args=[draft.pk])
    assert f'href="{preview}"' in page
    assert "viewsitelink" not in page
    assert "Readership" in page and "QR code" in page and "Revisions" in page
    response = editor_client.get(preview)
    assert response.status_code == 200
    assert "Preview: not published" in response.content.decode()
    draft.refresh_from_db()
    assert draft.views == 0

    live = make_article()
    page = editor_client.get(change_url(live)).content.decode()
    assert "viewsitelink" in page


def test_editor_media_carries_the_csp_nonce(editor_client):
    response = editor_client.get(reverse(ADD_URL))
    html = response.content.decode()
    match = re.search(r'<script type="importmap"[^>]*nonce="([^"]+)"', html)
    assert match, "the prose editor's import map needs the CSP nonce"
    csp = response.headers.get("Content-Security-Policy", "")
    assert f"'nonce-{match.group(1)}'" in csp
    assert "django_prose_editor/editor.js" in html
    assert "data-django-prose-editor-configurable" in html


def test_library_images_get_size_and_alt_in_bodies(editor_client, section, make_image):
    image = make_image(name="harbour.jpg", alt_text="The harbour at dawn")
    Image.objects.filter(pk=image.pk).update(width=1200, height=800)
    image.refresh_from_db()
    body = (
        f'<figure><img src="{image.file.url}"><figcaption>Dawn</figcaption></figure>'
        '<p><img src="https://example.org/x.png" alt="outside"></p>'
    )
    response = new_article(editor_client, section, body=body)
    assert response.status_code == 302, errors_of(response)
    article = Article.objects.get(slug="harbour-bridge-reopens")
    assert (
        f'<img src="{image.file.url}" alt="The harbour at dawn" width="{image.width}" '
        f'height="{image.height}">' in article.body
    )
    assert "<figcaption>Dawn</figcaption>" in article.body
    assert '<img src="https://example.org/x.png" alt="outside">' in article.body


# --- XSS through the admin ---------------------------------------------------------------


class LiveMarkup(HTMLParser):
    """What a browser would actually run: elements, event handlers, script bodies, URLs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.handlers, self.bad_urls, self.scripts = set(), [], [], []
        self._in_script = False

    @classmethod
    def scan(cls, html):
        parser = cls()
        parser.feed(html)
        return parser

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        types = dict(attrs).get("type") or "text/javascript"
        # JSON-LD is data: it must not break out of its element, which the parser checks.
        self._in_script = tag == "script" and "json" not in types
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append((tag, name, value))
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                ("javascript:", "data:text")
            ):
                self.bad_urls.append((tag, value))

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


PAYLOADS = {
    "title": '<script>alert("t")</script>Title',
    "summary": '"><img src=x onerror=alert("s")>',
    "byline": "</li><script>alert('b')</script>",
    "tags": '<svg onload=alert("tag")>, safe',
    "body": (
        '<p onclick="alert(1)">Hi<script>alert("body")</script></p>'
        '<a href="javascript:alert(2)">link</a><img src="data:text/html,x" onerror="alert(3)">'
        '<iframe src="https://evil.example"></iframe><style>body{}</style>'
        '<figure><img src="/media/x.jpg" alt="a" onload="alert(4)">'
        "<figcaption>Cap<script>alert(5)</script></figcaption></figure>"
    ),
}


def test_xss_through_the_admin_is_inert_on_the_site(editor_client, client, section):
    response = new_article(editor_client, section, status="published", **PAYLOADS)
    assert response.status_code == 302, errors_of(response)
    article = Article.objects.get(slug="harbour-bridge-reopens")
    editor_client.logout()
    pages = [client.get(article.get_absolute_url()), client.get(reverse("articles:home"))]
    for page in pages:
        assert page.status_code == 200
        html = page.content.decode()
        found = LiveMarkup.scan(html)
        assert found.tags.isdisjoint({"iframe", "object", "embed"}), found.tags
        assert not found.handlers, found.handlers
        assert not found.bad_urls, found.bad_urls
        assert not any("alert" in s for s in found.scripts), found.scripts
    html = pages[0].content.decode()
    assert "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;Title" in html
    assert "<figcaption>Cap</figcaption>" in article.body  # stored clean
    assert "onload" not in article.body and "<script" not in article.body


# --- the changelist --------------------------------------------------------------------


def count_changelist_queries(client):
    url = reverse("admin:articles_article_changelist")
    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_changelist_queries_do_not_grow_with_rows(editor_client, editor, make_article, make_image):
    cover = make_image()
    for i in range(5):
        make_article(cover=cover, author=editor, views=i, qr_scans=i)
    five, response = count_changelist_queries(editor_client)
    assert response.context["cl"].result_count == 5
    for i in range(95):
        make_article(
            cover=cover if i % 2 else None,
            author=editor,
            status=Article.Status.PUBLISHED if i % 3 else Article.Status.DRAFT,
        )
    hundred, response = count_changelist_queries(editor_client)
    assert len(response.context["cl"].result_list) == 100
    assert hundred == five, (five, hundred)
    html = response.content.decode()
    for column in ("column-thumbnail", "column-status_badge", "column-views", "column-qr_scans"):
        assert column in html
    assert 'class="nr-thumb"' in html


def test_changelist_filters_and_search(editor_client, make_article):
    make_article(title="Quarterly results beat forecasts", body="<p>Revenue up 12%.</p>")
    make_article(title="New office opens", status=Article.Status.DRAFT)
    url = reverse("admin:articles_article_changelist")
    html = editor_client.get(url, {"q": "Revenue"}).content.decode()
    assert "Quarterly results" in html and "New office" not in html
    html = editor_client.get(url, {"state": "draft"}).content.decode()
    assert "New office" in html and "Quarterly results" not in html
    html = editor_client.get(url, {"state": "live"}).content.decode()
    assert "Quarterly results" in html and "New office" not in html


# --- the image library -----------------------------------------------------------------


def test_image_alt_text_is_required(editor_client):
    url = reverse("admin:media_image_add")
    upload = SimpleUploadedFile("a.jpg", image_bytes(), content_type="image/jpeg")
    response = editor_client.post(url, {"file": upload, "title": "A", "alt_text": "   "})
    assert response.status_code == 200
    assert "alt_text" in response.context["adminform"].form.errors
    assert not Image.objects.exists()

    upload = SimpleUploadedFile("a.jpg", image_bytes(), content_type="image/jpeg")
    response = editor_client.post(url, {"file": upload, "title": "A", "alt_text": "A pier"})
    assert response.status_code == 302
    image = Image.objects.get()
    assert image.uploaded_by.username == "editor"
    listing = editor_client.get(reverse("admin:media_image_changelist")).content.decode()
    assert 'class="nr-thumb"' in listing
    page = editor_client.get(reverse("admin:media_image_change", args=[image.pk]))
    assert 'class="nr-preview"' in page.content.decode()


def test_bad_upload_is_a_form_error(editor_client):
    upload = SimpleUploadedFile("evil.jpg", b"<script>not an image</script>")
    response = editor_client.post(
        reverse("admin:media_image_add"), {"file": upload, "title": "x", "alt_text": "x"}
    )
    assert response.status_code == 200
    assert "file" in response.context["adminform"].form.errors
    assert not Image.objects.exists()


def test_image_picker_lists_the_library(editor_client, make_image, client):
    make_image(name="pier.jpg", alt_text="The pier", caption="The pier at noon")
    make_image(name="crane.jpg", alt_text="A crane")
    url = reverse("admin:media_image_picker")
    html = editor_client.get(url, {"CKEditorFuncNum": "-1", "q": "pier"}).content.decode()
    assert 'data-alt="The pier"' in html and 'data-caption="The pier at noon"' in html
    assert "A crane" not in html
    assert 'data-func-num="-1"' in html
    assert "js/admin-image-picker.js" in html
    # Junk function numbers are dropped, not echoed.
    html = editor_client.get(url, {"CKEditorFuncNum": '"><script>'}).content.decode()
    assert 'data-func-num=""' in html
    editor_client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_xss_through_the_admin_is_inert_in_feeds(editor_client, client, section):
    response = new_article(editor_client, section, status="published", **PAYLOADS)
    assert response.status_code == 302, errors_of(response)
    article = Article.objects.get(slug="harbour-bridge-reopens")
    editor_client.logout()
    # Feed readers render <description> as HTML: it must be inert once unescaped.
    feed = client.get(reverse("articles:feed"))
    assert feed.status_code == 200
    xml = feed.content.decode()
    assert feed_text(article.title) in htmllib.unescape(xml)
    for chunk in re.findall(r"<description>(.*?)</description>", xml, re.S):
        found = LiveMarkup.scan(htmllib.unescape(chunk))
        assert not found.handlers and not found.bad_urls and not found.scripts, chunk
        assert found.tags.isdisjoint({"iframe", "object", "embed", "script", "svg"})
