"""A section cannot be its own ancestor: the admin says so, and a loop already in a database
gives normal pages, not a hang."""

import pytest
from django.urls import reverse

from articles.models import Section
from tests.articles.admin_forms import form_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(section):
    """News center > Company news > Product desk."""
    return Section.objects.create(name="Product desk", slug="product-desk", parent=section)


@pytest.mark.parametrize("parent", ["itself", "its grandchild"])
def test_the_admin_refuses_a_parent_inside_the_section(editor_client, news_center, desk, parent):
    url = reverse("admin:articles_section_change", args=[news_center.pk])
    data = form_values(editor_client.get(url))
    data["parent"] = str(news_center.pk if parent == "itself" else desk.pk)
    response = editor_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "choose a parent outside it" in str(errors["parent"])
    news_center.refresh_from_db()
    assert news_center.parent_id is None


def test_a_parent_outside_the_section_is_fine(editor_client, news_center, section, desk):
    other = Section.objects.create(name="Archive", slug="archive")
    url = reverse("admin:articles_section_change", args=[desk.pk])
    data = {**form_values(editor_client.get(url)), "parent": str(other.pk)}
    assert editor_client.post(url, data).status_code == 302
    desk.refresh_from_db()
    assert desk.parent_id == other.pk


def test_a_loop_already_in_the_database_gives_normal_pages(
    client, news_center, section, desk, make_article
):
    article = make_article(section=desk)
    # Forced behind validation's back, as an old release or a raw UPDATE could have done.
    Section.objects.filter(pk=news_center.pk).update(parent=desk)
    for url in [
        "/news/news-center/",
        "/news/company-news/?page=2",
        "/news/product-desk/feed/",
        article.get_absolute_url(),
        "/api/v1/articles?section=news-center",
        "/sitemap.xml",
        "/",
    ]:
        assert client.get(url).status_code == 200, url
    listed = client.get("/api/v1/articles?section=company-news").json()
    assert [a["id"] for a in listed["results"]] == [article.pk]
