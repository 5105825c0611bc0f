"""Property-based contract test of the Content API with schemathesis.

Schemathesis reads /api/v1/openapi.json and sends generated requests, valid and invalid,
to every operation, in process through Django's WSGI application. Every response must
not be a server error and must match the status codes, headers and JSON schemas the
OpenAPI document promises; invalid input must be rejected, valid input accepted.
Bounded (a fixed number of examples per operation, derandomised) to stay well under a minute.
"""

import json
from datetime import timedelta

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings

from api.v1 import api
from articles.models import Article

EXAMPLES = 40


@pytest.fixture
def keep_test_connection():
    """Requests go through Django's real WSGI handler, which closes the database connection
    when a request ends; inside a test transaction, keep it (as Django's test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_content(db, keep_test_connection, settings, make_article, make_image):
    settings.NEWSROOM_API_RATE = "off"  # limits are tested in test_throttling.py
    settings.NEWSROOM_API_VIEW_RATE = "off"
    cover = make_image("cover.jpg")
    make_article(cover=cover, tags=["Transport"], featured=True)
    make_article(language="zh-hans", tags=["City"])
    make_article(status=Article.Status.DRAFT)
    make_article(published_at=timezone.now() + timedelta(days=1))


# The document the API serves, generated from the code (no database needed to build it).
schema = schemathesis.openapi.from_dict(
    json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/")))
)
schema.app = get_wsgi_application()


@pytest.mark.slow
@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case, api_content):
    response = case.call_and_validate()
    assert response.status_code < 500
