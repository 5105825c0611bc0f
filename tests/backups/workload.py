"""Run in a site's own process (`python -m tests.backups.workload load DIR` or `state`).

`load` takes a backup while one thread publishes articles (with revisions, cover images, views
and QR scans) and another reads; it prints which articles were committed before the backup
began and before it ended. `state` prints every article's and image's content, counts and file
checksums, to compare a restored site with its source.
"""

import hashlib
import io
import json
import sys
import threading
from datetime import timedelta

import django

django.setup()

from django.core.files.storage import default_storage  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Sum  # noqa: E402
from django.utils import timezone  # noqa: E402
from PIL import Image as PILImage  # noqa: E402

from articles.models import Article, Section  # noqa: E402
from backups import taking  # noqa: E402
from media.models import Image  # noqa: E402
from readership import counts  # noqa: E402
from readership.models import DailyStat  # noqa: E402


def picture(n):
    buffer = io.BytesIO()
    PILImage.new("RGB", (320, 200), (n * 37 % 256, 90, 160)).save(buffer, "JPEG")
    return buffer.getvalue()


def publish(section, n):
    """As the admin saves: each save (row and revision) in one transaction."""
    cover = None
    if n % 3 == 1:
        cover = Image(title=f"Picture {n}", alt_text=f"Picture {n}")
        cover.file = SimpleUploadedFile(f"picture-{n}.jpg", picture(n))
        with transaction.atomic():
            cover.save()
    with transaction.atomic():
        article = Article.objects.create(
            title=f"Load {n}", slug=f"load-{n}", section=section, status="published",
            published_at=timezone.now() - timedelta(hours=1), body=f"<p>Story {n}.</p>",
            cover=cover,
        )  # fmt: skip
    article.summary = f"Edited {n}"
    with transaction.atomic():
        article.save()  # a second revision
    counts.count_view(article.pk)
    counts.count_qr_scan(article.pk)
    return article.pk


def keep_going(stop, errors, work):
    try:
        n = 0
        while not stop.is_set():
            n += 1
            work(n)
            # Steady load, not a flood: on a shared 2-core machine a writer that never pauses
            # (renditions are CPU work) starves the backup it runs beside.
            stop.wait(0.02)
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        connection.close()


def one_more(committed, errors):
    """Wait until the writer commits another article (or fails, or a minute passes)."""
    goal = len(committed) + 1
    for _ in range(1200):
        if len(committed) >= goal or errors:
            return
        threading.Event().wait(0.05)


def interleaved(snapshot, committed, errors):
    """The database snapshot, with an article published just before it and just after it.

    A small backup can end before the writer commits anything: these waits make every run
    publish in the two windows that matter (media copied, snapshot not yet taken; snapshot
    taken, later media not yet listed).
    """

    def wrapper(path):
        one_more(committed, errors)
        tables = snapshot(path)
        one_more(committed, errors)
        return tables

    return wrapper


def load(folder):
    section, _ = Section.objects.get_or_create(slug="live", defaults={"name": "Live"})
    committed, stop, errors = [], threading.Event(), []
    threads = [
        threading.Thread(
            target=keep_going, args=(stop, errors, lambda n: committed.append(publish(section, n)))
        ),
        threading.Thread(
            target=keep_going,
            args=(stop, errors, lambda n: len(Article.objects.order_by("-pk")[:20])),
        ),
    ]
    for thread in threads:
        thread.start()
    while len(committed) < 6 and not errors:
        stop.wait(0.05)
    before = list(committed)
    taking.database.snapshot = interleaved(taking.database.snapshot, committed, errors)
    call_command("backup", folder, verbosity=0)
    # The article being published as the backup ends may be in it (its row committed) before
    # publish() returns: it counts as "after" once its thread has finished it.
    stop.set()
    for thread in threads:
        thread.join()
    after = list(committed)
    print(json.dumps({"before": before, "after": after, "errors": errors}))


def sha(name):
    with default_storage.open(name, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def state():
    articles = {}
    for article in Article.objects.all():
        daily = DailyStat.objects.filter(article=article).aggregate(
            v=Sum("views"), q=Sum("qr_scans")
        )
        articles[article.pk] = {
            "title": article.title, "summary": article.summary, "cover": article.cover_id,
            "views": article.views, "qr_scans": article.qr_scans,
            "daily_views": daily["v"] or 0, "daily_scans": daily["q"] or 0,
            "revisions": article.history.count(),
        }  # fmt: skip
    images = {
        image.pk: {
            "file": [image.file.name, sha(image.file.name)],
            "renditions": sorted(
                [entry["name"], sha(entry["name"])] for entry in image.renditions.values()
            ),
        }
        for image in Image.objects.all()
    }
    print(json.dumps({"articles": articles, "images": images}))


if __name__ == "__main__":
    if sys.argv[1] == "load":
        load(sys.argv[2])
    else:
        state()
