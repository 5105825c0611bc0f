"""A database made before the apps were split migrates forward with every row intact.

Until the split, images, daily counts and the flush ledger belonged to `articles` (and a
`counter_ledger` app). The test builds such a database with the project's own migrations up to
`articles.0004` and the historical models of that state (plus the ledger table, its content type
and the image and count permissions the groups held then), fills it, runs `migrate`, and checks
that rows, counts, foreign keys, revisions, permissions and the ledger all survived, on SQLite
and on PostgreSQL (TEST_DATABASE_URL).
"""

import json

import pytest

from tests.site.test_migrations import manage, scratch_postgres, scratch_site

pytestmark = pytest.mark.slow

BEFORE_THE_SPLIT = ("articles", "0004_sqlite_search_index")

BUILD_OLD_DATABASE = """
import json
from datetime import date, timedelta

from django.apps.registry import Apps
from django.db import connection, models
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

old = MigrationExecutor(connection).loader.project_state(
    ("articles", "0004_sqlite_search_index")
).apps
ContentType = old.get_model("contenttypes", "ContentType")
Permission = old.get_model("auth", "Permission")
Group = old.get_model("auth", "Group")
User = old.get_model("auth", "User")
Section = old.get_model("articles", "Section")
Article = old.get_model("articles", "Article")
HistoricalArticle = old.get_model("articles", "HistoricalArticle")
Image = old.get_model("articles", "Image")
DailyStat = old.get_model("articles", "DailyStat")


class OldAppliedBatch(models.Model):
    # The table the former counter_ledger app's only migration made.
    name = models.CharField(max_length=100, unique=True)
    applied_at = models.DateTimeField(db_index=True)

    class Meta:
        apps = Apps()
        app_label = "counter_ledger"
        db_table = "counter_ledger_appliedbatch"


with connection.schema_editor() as editor:
    editor.create_model(OldAppliedBatch)
MigrationRecorder(connection).record_applied("counter_ledger", "0001_initial")
OldAppliedBatch.objects.create(name="batch-before-the-split", applied_at=timezone.now())

# What main's migrate left behind: content types and permissions of the models that move.
perms = {}
for app, model, verbose in [
    ("articles", "image", "image"),
    ("articles", "dailystat", "daily count"),
    ("counter_ledger", "appliedbatch", "applied count batch"),
]:
    ct, _ = ContentType.objects.get_or_create(app_label=app, model=model)
    for action in ("add", "change", "delete", "view"):
        perms[f"{action}_{model}"], _ = Permission.objects.get_or_create(
            content_type=ct,
            codename=f"{action}_{model}",
            defaults={"name": f"Can {action} {verbose}"},
        )
writers, editors = Group.objects.get(name="Writers"), Group.objects.get(name="Editors")
writers.permissions.add(perms["add_image"], perms["view_image"])
editors.permissions.add(*(perms[f"{a}_image"] for a in ("add", "change", "delete", "view")))
editor = User.objects.create(username="old-editor", is_staff=True)
editor.groups.add(editors)

now = timezone.now()
author = User.objects.create(username="old-writer", is_staff=True)
news = Section.objects.create(name="News center", slug="news-center")
company = Section.objects.create(name="Company news", slug="company-news", parent=news)
cover = Image.objects.create(
    file="images/2026/11/quay.jpg", title="Quay", alt_text="Cranes on the quay",
    caption="The new quay", credit="Newsroom", width=1600, height=1000, file_hash="ab" * 32,
    renditions={"480.webp": {"name": "renditions/ab/480.webp", "width": 480, "height": 300}},
)
articles = []
for n in range(3):
    articles.append(Article.objects.create(
        title=f"Story {n}", slug=f"story-{n}", section=company, language="en",
        summary=f"Summary {n}", body=f"<p>Body {n}</p>", cover=cover if n == 0 else None,
        author=author, status="published", published_at=now - timedelta(days=n + 1),
        views=100 + n, qr_scans=10 + n, short_code=f"abc{n}de",
    ))
Article.objects.create(
    title="Story 0, translated", slug="story-0-zh", section=company, language="zh-hans",
    translation_of=articles[0], status="draft", short_code="xyz9de",
)
for n, article in enumerate(articles):
    for day in range(3):
        DailyStat.objects.create(
            article=article, day=date(2026, 11, 20 + day), views=30 + n + day, qr_scans=day
        )
    HistoricalArticle.objects.create(
        id=article.pk, title=article.title, slug=article.slug, section=company,
        language="en", summary=article.summary, body=article.body, cover=article.cover,
        author=author, byline="", status="published", published_at=article.published_at,
        created_at=now, featured=False, history_date=now, history_type="+",
    )
print("built")
"""

SNAPSHOT = """
import json
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.db.models import Sum
from articles.models import Article, HistoricalArticle, Section
from media.models import Image
from readership.models import AppliedBatch, DailyStat

article = Article.objects.get(slug="story-0")
# The tables take new rows too (ids, sequences and constraints came along).
AppliedBatch.objects.create(name="batch-after-the-split")
Image.objects.bulk_create([Image(file="images/new.jpg", title="New", alt_text="New")])
DailyStat.objects.create(article=article, day="2026-12-01", views=1)
editor = User.objects.get(username="old-editor")
print(json.dumps({
    "sections": Section.objects.count(),
    "articles": sorted(Article.objects.values_list("slug", "views", "qr_scans", "short_code")),
    "cover": [article.cover.title, article.cover.file.name, article.cover.renditions],
    "translation_of": Article.objects.get(slug="story-0-zh").translation_of.slug,
    "images": list(Image.objects.values_list("title", "alt_text", "width", "file_hash")),
    "daily": list(DailyStat.objects.order_by("article__slug", "day").values_list(
        "article__slug", "day", "views", "qr_scans")),
    "daily_views": DailyStat.objects.aggregate(v=Sum("views"))["v"],
    "history": HistoricalArticle.objects.filter(history_type="+").count(),
    "history_cover": HistoricalArticle.objects.get(slug="story-0").cover.title,
    "ledger": list(AppliedBatch.objects.order_by("pk").values_list("name", flat=True)),
    "content_types": sorted(
        f"{ct.app_label}.{ct.model}" for ct in ContentType.objects.filter(
            model__in=["image", "dailystat", "appliedbatch"])
    ),
    "editors": sorted(Group.objects.get(name="Editors").permissions.filter(
        codename__endswith="_image").values_list("content_type__app_label", "codename")),
    "writers": sorted(Group.objects.get(name="Writers").permissions.filter(
        codename__endswith="_image").values_list("content_type__app_label", "codename")),
    "editor_may_change_images": editor.has_perm("media.change_image"),
    "image_permissions": Permission.objects.filter(codename="change_image").count(),
}, default=str))
"""


def migrate_forward(site):
    manage(site, "migrate", *BEFORE_THE_SPLIT, "--noinput", "-v0")
    assert site.django(BUILD_OLD_DATABASE) == "built"
    manage(site, "migrate", "--noinput", "-v0")
    after = json.loads(site.django(SNAPSHOT))

    assert after["sections"] == 2
    assert after["articles"] == [
        ["story-0", 100, 10, "abc0de"],
        ["story-0-zh", 0, 0, "xyz9de"],
        ["story-1", 101, 11, "abc1de"],
        ["story-2", 102, 12, "abc2de"],
    ]
    assert after["cover"] == [
        "Quay",
        "images/2026/11/quay.jpg",
        {"480.webp": {"name": "renditions/ab/480.webp", "width": 480, "height": 300}},
    ]
    assert after["translation_of"] == "story-0"
    assert ["Quay", "Cranes on the quay", 1600, "ab" * 32] in after["images"]
    assert len(after["images"]) == 2
    assert len(after["daily"]) == 10
    assert after["daily"][0] == ["story-0", "2026-11-20", 30, 0]
    assert after["daily_views"] == 1 + sum(30 + n + day for n in range(3) for day in range(3))
    assert (after["history"], after["history_cover"]) == (3, "Quay")
    assert after["ledger"] == ["batch-before-the-split", "batch-after-the-split"]
    # The moved models' content types changed app: one each, none left behind.
    assert after["content_types"] == [
        "media.image",
        "readership.appliedbatch",
        "readership.dailystat",
    ]
    assert after["editors"] == [
        ["media", "add_image"],
        ["media", "change_image"],
        ["media", "delete_image"],
        ["media", "view_image"],
    ]
    assert after["writers"] == [["media", "add_image"], ["media", "view_image"]]
    assert after["editor_may_change_images"] is True
    assert after["image_permissions"] == 1


def test_sqlite_database_from_before_the_split_migrates_forward(tmp_path):
    migrate_forward(scratch_site(f"sqlite:///{tmp_path / 'before.sqlite3'}", tmp_path))


@pytest.mark.postgres
def test_postgresql_database_from_before_the_split_migrates_forward(tmp_path):
    with scratch_postgres("newsroom_fwd") as db_url:
        migrate_forward(scratch_site(db_url, tmp_path))
