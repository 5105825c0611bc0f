"""Soak test: readers and an editor at once, for minutes; no 5xx, no lost or extra view.

    .venv/bin/python bench/soak.py [--seconds 120] [--quick] [--readers 64] [--port 8701] [--keep]
    make bench SOAK=1    (bench/run.py runs it after its table)

What it proves. A fresh site is built and served as in production, as bench/run.py does it
(SQLite in a temporary folder, gunicorn with 2 workers, DJANGO_DEBUG=0). For 120 s
(`--seconds N`; `--quick`: 15 s) 64 readers request one article (and now and then the home
and section pages) with a browser User-Agent and no cookies, so each article page served 200
counts exactly one view. Meanwhile an editor, signed in to the admin, saves that article's change
form (every field as the form shows it, a new summary) every second; when a save takes longer
than a second under the load, the next one follows at once. At the end:

- no answer was a 5xx and no request failed at the socket;
- every save answered 302 (a 200 is the form with errors: they are printed);
- the article's stored views (and its daily rows) grew by exactly the number of its pages
  the readers got with a 200: saves never write the counter back, no count is lost or doubled;
- the last summary the editor saved is the one stored, and no other field was changed.

Exit status 1 when any of these fails. A 5xx also leaves its traceback (gunicorn's stderr)
in the output above the table.
"""

import argparse
import asyncio
import json
import os
import re
import secrets
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from statistics import median

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import UA, log  # noqa: E402
from bench.production_site import build_site, find_urls, manage, production_env  # noqa: E402
from bench.server import Server  # noqa: E402

SOAK_SECONDS = 120
QUICK_SECONDS = 15
READERS = 64
ARTICLES = 300
ADMIN = "/admin"  # the default NEWSROOM_ADMIN_PATH (site_env drops any NEWSROOM_ setting)
EDITOR = "soak-editor"
# What each reader requests, in turn: mostly the article whose views are checked.
MIX = ("article",) * 8 + ("home", "section")
TIMEOUT = aiohttp.ClientTimeout(total=30)  # longer counts as a socket error
SKIPPED_INPUTS = {"submit", "button", "image", "reset", "file"}
REDIRECTED = {"sign-in", "save"}  # requests that must answer 302; every other one 200


# --- Site --------------------------------------------------------------------------------


def create_editor(env):
    """A superuser for the admin; returns its password."""
    password = secrets.token_urlsafe(16)
    manage(
        {
            **env,
            "DJANGO_SUPERUSER_USERNAME": EDITOR,
            "DJANGO_SUPERUSER_PASSWORD": password,
            "DJANGO_SUPERUSER_EMAIL": "soak@example.com",
        },
        "createsuperuser",
        "--noinput",
    )
    return password


STORED = """
import json
from django.db.models import Sum
from articles.models import Article
from readership.models import DailyStat
article = Article.objects.get(pk={pk})
daily = DailyStat.objects.filter(article_id={pk}).aggregate(n=Sum("views"))["n"] or 0
content = {{f.attname: str(getattr(article, f.attname)) for f in Article._meta.concrete_fields
           if f.name not in ("views", "qr_scans", "summary", "updated_at", "search_vector")}}
content["tags"] = sorted(article.tags.names())
print(json.dumps({{"views": article.views, "daily": daily, "summary": article.summary,
                  "content": content}}))
"""


def stored(env, article_id):
    """The article's views, the sum of its daily views, and its summary, from the database."""
    out = manage(env, "shell", "-c", STORED.format(pk=int(article_id)))
    return json.loads(out.strip().splitlines()[-1])


# --- The admin form ----------------------------------------------------------------------


class FormFields(HTMLParser):
    """The (name, value) pairs a browser would submit from the form with id `form_id`."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.fields = form_id, False, []
        self.select = None  # [name, multiple, selected values, first value]
        self.textarea = None  # [name, text chunks]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value") or "on"))
            elif kind not in SKIPPED_INPUTS:
                self.fields.append((name, attrs.get("value") or ""))
        elif tag == "select" and name:
            self.select = [name, "multiple" in attrs, [], None]
        elif tag == "option" and self.select:
            value = attrs.get("value") or ""
            if self.select[3] is None:
                self.select[3] = value
            if "selected" in attrs:
                self.select[2].append(value)
        elif tag == "textarea" and name:
            self.textarea = [name, []]

    def handle_data(self, data):
        if self.textarea:
            self.textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select:
            name, multiple, chosen, first = self.select
            if not chosen and not multiple and first is not None:
                chosen = [first]  # a browser submits the first option when none is selected
            self.fields += [(name, value) for value in chosen]
            self.select = None
        elif tag == "textarea" and self.textarea:
            text = "".join(self.textarea[1])
            # Browsers drop the newline right after <textarea>, which Django always writes.
            self.fields.append((self.textarea[0], text.removeprefix("\n")))
            self.textarea = None


def form_fields(html, form_id):
    parser = FormFields(form_id)
    parser.feed(html)
    parser.close()
    return parser.fields


def form_errors(html):
    """The text of the admin's error lists, for a form that answered 200."""
    found = re.findall(r'class="(?:errornote|errorlist)[^"]*"[^>]*>(.*?)</(?:p|ul)>', html, re.S)
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", item)).split()) for item in found]


def replace(fields, name, value):
    return [(key, value if key == name else old) for key, old in fields]


# --- Load --------------------------------------------------------------------------------


@dataclass
class Tally:
    requests: int = 0
    article_ok: int = 0  # article GETs answered 200: each one is a view
    statuses: Counter = field(default_factory=Counter)  # (page kind, status)
    server_errors: int = 0
    unexpected: int = 0  # any other answer that is not 200 (or a save's 302)
    socket_errors: int = 0
    saves_ok: int = 0
    saves_failed: int = 0
    last_summary: str = ""
    save_seconds: list = field(default_factory=list)  # GET form + POST, each save
    notes: list = field(default_factory=list)

    def answer(self, kind, status):
        self.requests += 1
        self.statuses[(kind, status)] += 1
        if status >= 500:
            self.server_errors += 1
        elif kind == "article" and status == 200:
            self.article_ok += 1
        elif status != (302 if kind in REDIRECTED else 200):
            self.unexpected += 1

    def note(self, message):
        if len(self.notes) < 20:
            self.notes.append(message)
            log(f"  {message}")


async def fetch(session, tally, kind, method, url, **kwargs):
    """One request, tallied as `kind`: (status, body bytes), or (None, b"") on a socket error."""
    path = url.split("/", 3)[-1]
    try:
        async with session.request(method, url, allow_redirects=False, **kwargs) as response:
            body = await response.read()
    except (TimeoutError, aiohttp.ClientError) as exc:
        tally.requests += 1
        tally.socket_errors += 1
        tally.note(f"{kind}: {method} /{path}: {exc!r}")
        return None, b""
    tally.answer(kind, response.status)
    if response.status >= 500:
        tally.note(f"{kind}: {method} /{path} answered {response.status}")
    return response.status, body


async def reader(session, base, urls, deadline, tally, offset):
    i = offset
    while time.monotonic() < deadline:
        kind = MIX[i % len(MIX)]
        i += 1
        await fetch(session, tally, kind, "GET", base + urls[kind])


async def sign_in(session, base, password, tally):
    url = f"{base}{ADMIN}/login/?next={ADMIN}/"
    _status, html = await fetch(session, tally, "sign-in form", "GET", url)
    fields = form_fields(html.decode(), "login-form")
    fields = replace(replace(fields, "username", EDITOR), "password", password)
    status, html = await fetch(session, tally, "sign-in", "POST", url, data=fields)
    if status != 302:
        raise SystemExit(f"soak: admin sign-in answered {status}: {form_errors(html.decode())}")


async def save_once(session, url, n, tally):
    """GET the change form, POST it back with a new summary; True when it answered 302."""
    status, html = await fetch(session, tally, "change form", "GET", url)
    if status != 200:
        return False
    summary = f"Soak save {n}: {secrets.token_hex(4)}."
    fields = replace(form_fields(html.decode(), "article_form"), "summary", summary)
    data = aiohttp.FormData([*fields, ("_save", "Save")], default_to_multipart=True)
    status, html = await fetch(session, tally, "save", "POST", url, data=data)
    if status == 302:
        tally.last_summary = summary
        return True
    if status == 200:
        tally.note(f"save {n} answered 200 with errors: {form_errors(html.decode())}")
    return False


async def editor(base, article_id, password, deadline, tally):
    """Sign in, then save the article once a second until the deadline."""
    url = f"{base}{ADMIN}/articles/article/{article_id}/change/"
    jar = aiohttp.CookieJar(unsafe=True)  # unsafe: keep cookies of an IP address host
    headers = {"User-Agent": UA, "Accept-Language": "en"}
    async with aiohttp.ClientSession(cookie_jar=jar, headers=headers, timeout=TIMEOUT) as session:
        await sign_in(session, base, password, tally)
        n, next_at = 0, time.monotonic()
        while max(next_at, time.monotonic()) < deadline:  # a late save never outlasts the readers
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))
            n += 1
            started = time.monotonic()
            saved = await save_once(session, url, n, tally)
            tally.save_seconds.append(time.monotonic() - started)
            if saved:
                tally.saves_ok += 1
            else:
                tally.saves_failed += 1
            next_at += 1


async def progress(started, deadline, tally):
    while time.monotonic() < deadline:
        await asyncio.sleep(min(15, max(0.0, deadline - time.monotonic())))
        log(
            f"  {time.monotonic() - started:.0f} s: {tally.requests:,} requests, "
            f"{tally.saves_ok} saves, {tally.server_errors} 5xx, {tally.socket_errors} errors"
        )


async def soak(base, urls, password, seconds, readers):
    """Readers, the editor and a progress line, for `seconds`; returns (Tally, elapsed)."""
    tally = Tally()
    connector = aiohttp.TCPConnector(limit=readers)
    headers = {"User-Agent": UA, "Accept-Language": "en"}
    async with aiohttp.ClientSession(
        connector=connector,
        headers=headers,
        timeout=TIMEOUT,
        cookie_jar=aiohttp.DummyCookieJar(),  # no cookies: every article GET counts
    ) as session:
        started = time.monotonic()
        deadline = started + seconds
        await asyncio.gather(
            editor(base, urls["article_id"], password, deadline, tally),
            progress(started, deadline, tally),
            *(reader(session, base, urls, deadline, tally, n) for n in range(readers)),
        )
        return tally, time.monotonic() - started


# --- Report ------------------------------------------------------------------------------


def report(tally, elapsed, readers, before, after):
    added, daily = after["views"] - before["views"], after["daily"] - before["daily"]
    times = tally.save_seconds or [0.0]
    changed = {
        name: (value, after["content"].get(name))
        for name, value in before["content"].items()
        if after["content"].get(name) != value
    }
    for name, (old, new) in changed.items():
        log(f"  changed by the saves: {name}: {old!r} -> {new!r}")
    rows = [
        ("duration", f"{elapsed:.1f} s"),
        ("readers", readers),
        ("requests", f"{tally.requests:,}"),
        ("req/s", f"{tally.requests / elapsed:,.0f}"),
        ("article GETs answered 200 (client)", f"{tally.article_ok:,}"),
        ("views added (database, article)", f"{added:,}"),
        ("views added (database, daily rows)", f"{daily:,}"),
        ("editor saves ok / failed", f"{tally.saves_ok} / {tally.saves_failed}"),
        ("editor save time, median / max", f"{median(times):.2f} / {max(times):.2f} s"),
        ("5xx", tally.server_errors),
        ("other unexpected answers", tally.unexpected),
        ("socket errors", tally.socket_errors),
    ]
    lines = ["| soak | |", "|---|---:|", *(f"| {name} | {value} |" for name, value in rows)]
    answers = ", ".join(
        f"{kind} {status}: {n:,}" for (kind, status), n in sorted(tally.statuses.items())
    )
    checks = [
        ("zero 5xx", tally.server_errors == 0),
        ("zero socket errors", tally.socket_errors == 0),
        ("no other unexpected answer", tally.unexpected == 0),
        ("every editor save answered 302", tally.saves_ok > 0 and tally.saves_failed == 0),
        ("views added == article GETs answered 200", added == tally.article_ok),
        ("daily views added == article GETs answered 200", daily == tally.article_ok),
        ("the last saved summary is stored", after["summary"] == tally.last_summary),
        ("every other field as before the saves", not changed),
    ]
    verdict = [f"{'PASS' if ok else 'FAIL'}  {name}" for name, ok in checks]
    return "\n".join(lines) + f"\n\nanswers: {answers}", verdict, all(ok for _, ok in checks)


# --- Main --------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, help=f"default {SOAK_SECONDS}")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_SECONDS} s")
    parser.add_argument("--readers", type=int, default=READERS)
    parser.add_argument("--articles", type=int, default=ARTICLES, help="generated articles")
    port = int(os.environ.get("BENCH_PORT", 8700)) + 1  # next to bench/run.py's
    parser.add_argument("--port", type=int, default=port)
    parser.add_argument("--keep", action="store_true", help="keep the temporary site")
    args = parser.parse_args()
    seconds = args.seconds or (QUICK_SECONDS if args.quick else SOAK_SECONDS)

    workdir = tempfile.mkdtemp(prefix="newsroom-soak-")
    env = production_env(workdir, args.port)
    log(f"soak: {seconds:g} s, {args.readers} readers, an editor saving every second, {workdir}")
    try:
        build_site(env, args.articles, 2)
        urls = {**find_urls(env), "home": "/"}
        password = create_editor(env)
        with Server(env, args.port):
            before = stored(env, urls["article_id"])
            log(f"  article {urls['article']} (id {urls['article_id']}): {before['views']} views")
            base = f"http://127.0.0.1:{args.port}"
            tally, elapsed = asyncio.run(soak(base, urls, password, seconds, args.readers))
            after = stored(env, urls["article_id"])
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)

    table, verdict, ok = report(tally, elapsed, args.readers, before, after)
    print()
    print(table)
    print()
    print("\n".join(verdict))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
