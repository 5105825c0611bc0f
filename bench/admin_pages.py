"""The admin's pages in `bench/scale.py`: which ones, and an editor signed in to ask for them.

The editor is made in the site with a session of the database's own kind, and its cookie is
sent with every request (wrk's -H). Two-factor sign-in is turned off for the bench site: the
pages are measured, not the sign-in.
"""

import subprocess
import urllib.error
import urllib.request

from bench.common import PY, ROOT, log
from bench.production_site import manage

TARGET_MS = 300
PREFIX = "admin: "
ARTICLES = "/admin/articles/article/"


def pages(urls):
    """(name, path) of each admin page measured, the same paths on both sites."""
    return [
        (PREFIX + "the desk (admin home)", "/admin/"),
        (PREFIX + "article list", ARTICLES),
        (PREFIX + "article list, page 500", ARTICLES + "?p=500"),
        (PREFIX + "article search", ARTICLES + "?q=" + urls["word"]),
        (PREFIX + "articles live", ARTICLES + "?state=live"),
        (PREFIX + "articles by views", ARTICLES + "?o=6"),
        (PREFIX + "image list", "/admin/media/image/"),
        (PREFIX + "section list", "/admin/articles/section/"),
        (PREFIX + "audit log", "/admin/audit/auditentry/"),
    ]


def is_admin(name):
    return name.startswith(PREFIX)


EDITOR = """
from django.contrib.auth import get_user_model, BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.cached_db import SessionStore
User = get_user_model()
user, _ = User.objects.get_or_create(username="bench-editor", defaults={"is_staff": True})
user.groups.add(Group.objects.get(name="Editors"))
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(session.session_key)
"""


def editor_cookie(env):
    """The Cookie header of a signed-in editor of the site in `env`."""
    out = subprocess.run(
        [PY, "manage.py", "shell", "-c", EDITOR],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {"Cookie": f"sessionid={out.strip().splitlines()[-1]}"}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def check_signed_in(server, path, cookie):
    """Fail unless `path` answers 200 to the editor (a redirect to the login is a 3xx, which
    wrk would not count as an error)."""
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(f"http://127.0.0.1:{server.port}{path}", headers=cookie)
    try:
        status = opener.open(request, timeout=30).status
    except urllib.error.HTTPError as error:
        status = error.code
    if status != 200:
        raise SystemExit(f"{path} answered {status} to the signed-in editor")


COUNT = "from articles.models import Article; print(Article.objects.count())"


def already_built(env, articles):
    """Whether the site in `env` (kept by --keep) already holds the demo and `articles` more."""
    result = subprocess.run(
        [PY, "manage.py", "shell", "-c", COUNT], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        return False
    lines = result.stdout.strip().splitlines()
    return bool(lines) and lines[-1].isdigit() and int(lines[-1]) >= articles + 10


def refresh_site(env):
    """A kept site brought to this release: migrations and static files."""
    log("  reusing the kept site")
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
