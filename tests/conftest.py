"""Shared fixtures: content factories, users, and a real browser (Debian's chromium)."""

import io
import itertools
import os
import shutil
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image as PILImage

from articles.models import Article, Section
from core import process_state
from media.models import Image

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]

_counter = itertools.count(1)


def pytest_collection_modifyitems(items):
    """Run live-server tests last, as Django orders its TransactionTestCases.

    They flush every table when they end, the data migrations' groups included, so a test
    after them would not see the database that `migrate` makes (see `editorial_group`).
    """
    items.sort(key=lambda item: "live_server" in item.fixturenames)


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Each test gets an empty cache (and no process-local copies) and its own media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    process_state.clear()
    yield
    cache.clear()
    process_state.clear()


@pytest.fixture
def news_center(db):
    return Section.objects.create(name="News center", slug="news-center", position=0)


@pytest.fixture
def section(news_center):
    return Section.objects.create(
        name="Company news", slug="company-news", parent=news_center, position=1
    )


@pytest.fixture
def make_article(section):
    """Make an article; live (published an hour ago, a minute before the test's previous one)
    unless told otherwise."""
    # Per test: with the session's counter, articles made late in a long run were days old.
    made_in_test = itertools.count()

    def make(**fields):
        n = next(_counter)
        age = timedelta(hours=1, minutes=next(made_in_test))
        fields.setdefault("title", f"Article number {n}")
        fields.setdefault("slug", f"article-{n}")
        fields.setdefault("section", section)
        fields.setdefault("summary", f"Summary of article {n}.")
        fields.setdefault("body", f"<h2>Part one</h2><p>Body of article {n}.</p>")
        fields.setdefault("status", Article.Status.PUBLISHED)
        if fields["status"] == Article.Status.PUBLISHED:
            fields.setdefault("published_at", timezone.now() - age)
        tags = fields.pop("tags", None)
        article = Article.objects.create(**fields)
        if tags:
            article.tags.set(tags)
        return article

    return make


@pytest.fixture
def article(make_article):
    return make_article(title="Riverside line opens", slug="riverside-line-opens")


def image_bytes(fmt="JPEG", size=(1200, 800), color=(30, 90, 160)):
    buffer = io.BytesIO()
    PILImage.new("RGB" if fmt != "PNG" else "RGBA", size, color).save(buffer, fmt)
    return buffer.getvalue()


@pytest.fixture
def make_image(db):
    def make(name="photo.jpg", fmt="JPEG", size=(1200, 800), **fields):
        fields.setdefault("title", name)
        fields.setdefault("alt_text", f"Alt text for {name}")
        image = Image(**fields)
        image.file = SimpleUploadedFile(name, image_bytes(fmt, size))
        image.save()
        return image

    return make


def editorial_group(name):
    """A group of the data migration, remade by that migration's own code if a flush took it."""
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    if not Group.objects.filter(name=name).exists():
        loader = MigrationLoader(connection)
        # The groups, the image permissions they hold since images moved to `media`, and
        # their QR placement permissions.
        for key in [
            ("articles", "0002_editorial_groups"),
            ("media", "0002_editorial_groups"),
            ("qr", "0002_editorial_groups"),
        ]:
            forward = loader.get_migration(*key).operations[0].code
            forward(loader.project_state(key).apps, None)
    return Group.objects.get(name=name)


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor", "editor@example.com", "pw-editor-123")
    user.is_staff = True
    user.save()
    user.groups.add(editorial_group("Editors"))
    return user


@pytest.fixture
def writer(django_user_model):
    user = django_user_model.objects.create_user("writer", "writer@example.com", "pw-writer-123")
    user.is_staff = True
    user.save()
    user.groups.add(editorial_group("Writers"))
    return user


@pytest.fixture
def clean_redis(redis_url):
    """A client of the test Redis with the view store's keys removed before and after."""
    import redis

    from readership.backends import redis as redis_store

    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(f"{redis_store.REDIS_PREFIX}:*"):
        client.delete(key)
    yield client
    for key in client.scan_iter(f"{redis_store.REDIS_PREFIX}:*"):
        client.delete(key)


@pytest.fixture
def redis_url():
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.skip("set TEST_REDIS_URL=redis://127.0.0.1:6379/0 to run Redis tests")
    return url


@pytest.fixture
def postgres_only(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip(
            "set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom "
            "to run PostgreSQL tests"
        )


# --- Browser (pytest-playwright) --------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM:
        pytest.skip("browser tests need Debian's chromium: apt-get install -y chromium")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture
def writer_client(client, writer):
    client.force_login(writer)
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
