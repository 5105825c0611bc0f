"""An editor's day in a real browser: write with the rich-text editor, preview, publish, read."""

import re

import pytest

from articles.models import Article
from tests.articles.browser import sign_in_as_desk

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_write_preview_publish_and_read(live_server, page, desk_editor, section, make_image):
    make_image(name="harbour.jpg", alt_text="Cranes over the harbour", caption="The new quay")
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: (
            errors.append(msg.text)
            if msg.type == "error" and "Content Security Policy" in msg.text
            else None
        ),
    )
    page.set_default_timeout(15000)

    sign_in_as_desk(page, live_server)

    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.locator("#id_title").press_sequentially("Harbour quay opens to the public")
    assert page.input_value("#id_slug") == "harbour-quay-opens-to-the-public"  # prepopulated
    page.select_option("#id_section", str(section.pk))
    page.fill("#id_summary", "The new quay is open from today.")

    editor = page.locator(".prose-editor [contenteditable=true].ProseMirror")
    editor.click()
    page.keyboard.type("## Opening day")  # markdown shortcut: a level-2 heading
    page.keyboard.press("Enter")
    page.keyboard.type("Hundreds walked the new quay this morning.")
    page.keyboard.press("Enter")

    # Insert a figure from the image library through the picker window.
    page.locator(".prose-menubar button[title='figure']").click()
    dialog = page.locator("dialog.prose-editor-dialog")
    with page.expect_popup() as popup_info:
        dialog.get_by_role("button", name="Browse...").click()
    picker = popup_info.value
    picker.wait_for_load_state()
    picker.locator(".nr-picker__item", has_text="harbour.jpg").click()
    assert dialog.locator("input[name=altText]").input_value() == "Cranes over the harbour"
    assert dialog.locator("input[name=caption]").input_value() == "The new quay"
    dialog.get_by_role("button", name="Insert").click()
    assert editor.locator("figure figcaption").inner_text() == "The new quay"

    page.click("input[name=_continue]")
    page.wait_for_url(re.compile(r"/admin/articles/article/\d+/change/"))
    article = Article.objects.get(slug="harbour-quay-opens-to-the-public")
    assert article.status == Article.Status.DRAFT
    assert "<h2>Opening day</h2>" in article.body
    assert "<p>Hundreds walked the new quay this morning.</p>" in article.body
    assert re.search(
        r'<figure><img src="/media/images/[^"]+harbour[^"]*\.jpg" alt="Cranes over the harbour"'
        r"[^>]*><figcaption>The new quay</figcaption></figure>",
        article.body,
    ), article.body

    with page.expect_popup() as preview_info:
        page.get_by_role("link", name="Preview", exact=True).click()
    preview = preview_info.value
    preview.wait_for_load_state()
    assert "Preview: not published" in preview.inner_text("body")
    assert preview.inner_text("h1") == "Harbour quay opens to the public"
    preview.close()
    article.refresh_from_db()
    assert article.views == 0

    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(re.compile(r"/admin/articles/article/\d+/change/"))
    assert "is now: Published" in page.inner_text(".messagelist")
    article.refresh_from_db()
    assert article.is_live

    # A reader (no session) finds it on the home page and reads it.
    reader = page.context.browser.new_context()
    public = reader.new_page()
    public.goto(f"{live_server.url}/")
    public.get_by_role("link", name="Harbour quay opens to the public").first.click()
    public.wait_for_url(re.compile(r"/news/company-news/harbour-quay-opens-to-the-public/$"))
    assert public.inner_text("h1") == "Harbour quay opens to the public"
    assert public.locator(".article__body h2").inner_text() == "Opening day"
    assert public.locator(".article__body figcaption").first.inner_text().startswith("The new quay")
    assert "Preview" not in public.inner_text("body")
    reader.close()
    assert not errors, errors
