"""A second writer, whose drafts the first may not share."""

import pytest

from tests.conftest import editorial_group


@pytest.fixture
def other_writer(django_user_model):
    user = django_user_model.objects.create_user("other", "o@example.com", "pw-other-123")
    user.is_staff = True
    user.save()
    user.groups.add(editorial_group("Writers"))
    return user
