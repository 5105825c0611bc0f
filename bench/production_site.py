"""A fresh production-mode site in a temporary folder: its environment, content and URLs."""

import json
import os
import secrets
import subprocess
import time

from bench.common import PY, ROOT, log


def manage(env, *args, quiet=True):
    result = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=quiet, text=True
    )
    if result.returncode:
        log(result.stdout or "")
        log(result.stderr or "")
        raise SystemExit(f"manage.py {' '.join(args)} failed")
    return result.stdout


def build_site(env, articles, views_days):
    started = time.monotonic()
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    if articles:
        out = manage(
            env,
            "generate_articles",
            "--count",
            str(articles),
            "--seed",
            "1",
            "--views-days",
            str(views_days),
        )
        log(out.strip().splitlines()[-1].strip())
    manage(env, "collectstatic", "--noinput")
    log(f"site built in {time.monotonic() - started:.1f} s")


FIND_URLS = """
import json
from articles.models import Article, Section
from django.db.models import Count
from django.conf import settings
# In the default language: its page and its QR files share one unprefixed address.
demo = (Article.objects.live().filter(slug__regex=r"^[a-z-]+$", language=settings.LANGUAGE_CODE)
        .select_related("section"))
article = demo.exclude(body="").order_by("-published_at").first() or Article.objects.live().first()
busy = (Section.objects.filter(articles__status="published").annotate(n=Count("articles"))
        .order_by("-n").first())
cold = list(Article.objects.live().select_related("section").order_by("id")
            .values_list("section__slug", "slug")[:5000])
print(json.dumps({
    "article": article.get_absolute_url(), "article_id": article.pk,
    "section": busy.get_absolute_url(), "cold": [f"/news/{s}/{a}/" for s, a in cold],
    "word": article.title.split()[0],
}))
"""


def find_urls(env):
    out = subprocess.run(
        [PY, "manage.py", "shell", "-c", FIND_URLS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def production_env(workdir, port):
    """The environment of a production-mode site in `workdir` (SQLite, files, cache), served
    on loopback `port` over plain HTTP; nothing of the caller's Django settings leaks in."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "NEWSROOM_", "DATABASE_URL", "REDIS_URL", "TEST_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_HTTPS": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": f"http://127.0.0.1:{port}",
            "DATABASE_URL": f"sqlite:///{workdir}/bench.sqlite3",
            "STATIC_ROOT": f"{workdir}/static",
            "MEDIA_ROOT": f"{workdir}/media",
            "NEWSROOM_CACHE_DIR": f"{workdir}/cache",
            "NEWSROOM_SERVE_MEDIA": "1",
            # One load generator is one client: the API's per-client limit (600/min) would
            # answer 429 after a few seconds. The rows measure serving, not the limiter.
            "NEWSROOM_API_RATE": "off",
            # The admin's pages are measured signed in (bench/admin_pages.py), not the sign-in.
            "NEWSROOM_REQUIRE_2FA": "off",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    return env
