import pytest
from django.test import Client

from tests.support.agents import PHONE


@pytest.fixture
def reader():
    """A phone's browser: the counters do not count clients without a browser User-Agent."""
    return Client(HTTP_USER_AGENT=PHONE)
