"""Another writer, for the admin's who-may-edit-what tests; an editor for the browser tests."""

import pytest
from django.contrib.auth.models import Group, Permission

from tests.articles.browser import DESK_PASSWORD, DESK_USERNAME


@pytest.fixture
def other_writer(django_user_model):
    user = django_user_model.objects.create_user("other", "o@example.com", "pw-other-123")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name="Writers"))
    return user


EDITOR_PERMISSIONS = [
    "add_article", "change_article", "view_article", "publish_article",
    "view_section", "add_image", "change_image", "view_image",
]  # fmt: skip


@pytest.fixture
def desk_editor(transactional_db, django_user_model):
    # live_server tests flush the database, data migrations included: make the group here.
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label__in=["articles", "media"], codename__in=EDITOR_PERMISSIONS
        )
    )
    user = django_user_model.objects.create_user(DESK_USERNAME, "desk@example.com", DESK_PASSWORD)
    user.is_staff = True
    user.save()
    user.groups.add(group)
    return user
