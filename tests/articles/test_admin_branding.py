"""The admin carries the site's name (NEWSROOM_SITE_NAME), not "Django administration"."""

import pytest
from django.conf import settings
from django.contrib import admin
from django.templatetags.static import static
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_admin_site_is_named_after_the_site():
    assert admin.site.site_header == settings.SITE_NAME
    assert admin.site.site_title == settings.SITE_NAME
    assert str(admin.site.index_title).startswith(settings.SITE_NAME)


@pytest.mark.parametrize("name", ["index", "articles_article_changelist", "media_image_changelist"])
def test_admin_pages_show_the_site_name_and_its_icon(editor_client, name):
    html = editor_client.get(reverse(f"admin:{name}")).content.decode()
    index = reverse("admin:index")
    assert f'<div id="site-name"><a href="{index}">{settings.SITE_NAME}</a>' in html
    assert f"| {settings.SITE_NAME}</title>" in html
    assert "Django administration" not in html
    assert "Django site admin" not in html
    # An icon of our own: without it browsers ask for /favicon.ico, a 404.
    assert f'<link rel="icon" href="{static("img/favicon.svg")}"' in html


def test_the_login_page_is_named_too(client):
    html = client.get(reverse("admin:login")).content.decode()
    assert settings.SITE_NAME in html
    assert "Django administration" not in html
