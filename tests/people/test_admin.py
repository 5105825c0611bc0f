"""Author profiles in the admin: editors keep them, writers only see them."""

import pytest
from django.urls import reverse

from people.models import Author
from tests.articles.admin_forms import errors_of, post_form

pytestmark = pytest.mark.django_db
ADD_URL = reverse("admin:people_author_add")


def test_an_editor_adds_a_profile_through_the_admin(editor_client, django_user_model, make_image):
    user = django_user_model.objects.create_user("lin")
    photo = make_image("lin.jpg")
    response = post_form(
        editor_client,
        ADD_URL,
        user=str(user.pk),
        name="Lin Yue",
        slug="lin-yue",
        role="Reporter",
        bio="Lin covers the plants.\x07",
        photo=str(photo.pk),
    )
    assert response.status_code == 302, errors_of(response)
    author = Author.objects.get()
    assert (author.user, author.name, author.slug, author.photo) == (
        user,
        "Lin Yue",
        "lin-yue",
        photo,
    )
    assert author.bio == "Lin covers the plants."  # control characters dropped
    listing = editor_client.get(reverse("admin:people_author_changelist"), {"q": "lin"})
    assert 'href="/authors/lin-yue/"' in listing.content.decode()


def test_slugs_and_users_are_one_profile_each(editor_client, make_author, django_user_model):
    taken = make_author()
    other = django_user_model.objects.create_user("ada")
    response = post_form(editor_client, ADD_URL, user=str(other.pk), name="Ada", slug="lin-yue")
    assert "slug" in errors_of(response)
    response = post_form(editor_client, ADD_URL, user=str(taken.user.pk), name="Ada", slug="ada")
    assert "user" in errors_of(response)
    assert Author.objects.count() == 1


def test_slugs_must_be_slugs(editor_client, django_user_model):
    user = django_user_model.objects.create_user("ada")
    response = post_form(editor_client, ADD_URL, user=str(user.pk), name="Ada", slug="a/b c")
    assert "slug" in errors_of(response)


def test_writers_see_profiles_but_cannot_change_them(writer_client, make_author):
    author = make_author()
    change = reverse("admin:people_author_change", args=[author.pk])
    assert writer_client.get(reverse("admin:people_author_changelist")).status_code == 200
    assert writer_client.get(ADD_URL).status_code == 403
    assert writer_client.post(change, {"name": "Someone else"}).status_code == 403
    author.refresh_from_db()
    assert author.name == "Lin Yue"
