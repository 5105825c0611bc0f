"""Another writer, for the admin's who-may-edit-what tests."""

import pytest
from django.contrib.auth.models import Group


@pytest.fixture
def other_writer(django_user_model):
    user = django_user_model.objects.create_user("other", "o@example.com", "pw-other-123")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name="Writers"))
    return user
