"""An outside reviewer reads a draft from a link an editor made in chromium, and the link
stops working when the editor revokes it."""

import re

import pytest
from django.contrib.auth.models import Group, Permission

from articles.models import Article
from tests.articles.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def editor_user(transactional_db, django_user_model):
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="articles",
            codename__in=["view_article", "change_article", "publish_article", "view_section"],
        )
    )
    user = django_user_model.objects.create_user("ed", "ed@example.com", "pw-ed-12345")
    user.is_staff = True
    user.save()
    user.groups.add(group)
    return user


def test_a_reviewer_reads_the_draft_until_the_link_is_revoked(
    page, browser, live_server, editor_user, make_article
):
    draft = make_article(
        title="Interview with the mayor", status=Article.Status.REVIEW, author=editor_user
    )
    sign_in(page, live_server, "ed", "pw-ed-12345")
    page.goto(f"{live_server.url}/admin/articles/article/{draft.pk}/change/")
    page.click("a.nr-sharelink")
    page.fill("#id_note", "The mayor's office")
    page.fill("#id_days", "3")
    page.click("input[name=_save]")
    link = page.locator("#result_list input[readonly]").first.input_value()
    assert re.match(r"http://testserver/preview/[^/]+/$", link)
    path = link.removeprefix("http://testserver")

    reviewer = browser.new_context().new_page()
    response = reviewer.goto(f"{live_server.url}{path}")
    assert response.status == 200
    assert reviewer.locator("h1").first.text_content() == "Interview with the mayor"
    assert reviewer.locator(".preview-banner").is_visible()
    assert response.headers["x-robots-tag"].startswith("noindex")

    page.check("#result_list input[name=_selected_action]")
    page.select_option("select[name=action]", "revoke_selected")
    page.click("button[name=index]")
    assert page.locator(".messagelist").text_content().strip().startswith("1 link revoked")
    assert reviewer.goto(f"{live_server.url}{path}").status == 404
