import pytest

from people.models import Author


@pytest.fixture
def make_author(django_user_model):
    """Make a user with an author profile."""

    def make(name="Lin Yue", slug="lin-yue", **fields):
        username = fields.pop("username", slug)
        user = django_user_model.objects.create_user(username)
        return Author.objects.create(user=user, name=name, slug=slug, **fields)

    return make


@pytest.fixture
def lin(make_author, make_image):
    photo = make_image("lin.jpg", size=(600, 600), alt_text="Portrait of Lin Yue")
    return make_author(
        role="Reporter",
        bio="Lin covers the plants.\n\nShe <b>was</b> a shipyard reporter.",
        photo=photo,
    )
