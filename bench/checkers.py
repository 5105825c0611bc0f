"""Outside checkers on the demo in production mode: Lighthouse (mobile) and the Nu HTML checker.

Run: python bench/checkers.py   (make checkers; .ci/run). Needs Node 20 and Java 17, Debian's
chromium, and the pinned npm packages in bench/node/ (`make checkers` installs them). The demo
is built in a temporary folder and served by gunicorn as in production; the pages are home,
a section, an article, and a tag and an author page when the site has them (found from links
on the home and article pages). Fails on any Lighthouse category under MIN_SCORE or any Nu
error; the figures go to bench/RESULTS.md (a section of its own, kept by full bench runs).
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, UA, log
from bench.production_site import build_site, find_urls, production_env
from bench.server import Server

NODE_DIR = ROOT / "bench" / "node"
LIGHTHOUSE = NODE_DIR / "node_modules" / ".bin" / "lighthouse"
VNU_JAR = NODE_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
RESULTS_MD = ROOT / "bench" / "RESULTS.md"
VNU_VERSION = json.loads((NODE_DIR / "package.json").read_text())["dependencies"]["vnu-jar"]
START, END = "<!-- checkers -->", "<!-- /checkers -->"
PORT = int(os.environ.get("CHECKERS_PORT", "18666"))
MIN_SCORE = 95
# Lighthouse's performance score counts the main thread's busy time, which other load on a
# shared machine inflates: a page gets up to RUNS tries and its best run counts.
RUNS = 3
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
LINKED_PAGES = {
    "tag": re.compile(r'href="(/tags/[^"/?#]+/)"'),
    "author": re.compile(r'href="(/authors/[^"/?#]+/)"'),
}


def fetch(url):
    request = urllib.request.Request(url, headers={"User-Agent": UA})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read().decode()


def pages(base, env):
    """{name: path} of the page types to check."""
    found = find_urls(env)
    paths = {"home": "/", "section": found["section"], "article": found["article"]}
    html = fetch(base + "/") + fetch(base + found["article"])
    for name, pattern in LINKED_PAGES.items():
        match = pattern.search(html)
        if match:
            paths[name] = match.group(1)
        else:
            log(f"no {name} page linked from the home or article page: not checked")
    return paths


def lighthouse(url, out_dir):
    """{category: score 0-100} of a mobile Lighthouse run on `url`."""
    report = Path(out_dir) / "lighthouse.json"
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        ],
        env={**os.environ, "CHROME_PATH": shutil.which("chromium") or "/usr/bin/chromium"},
        check=True,
        timeout=300,
    )
    data = json.loads(report.read_text())
    failed = [
        audit["title"]
        for audit in data["audits"].values()
        if audit.get("score") is not None
        and audit["score"] < 0.9
        and audit.get("scoreDisplayMode") in ("binary", "numeric")
    ]
    scores = {name: round(data["categories"][name]["score"] * 100) for name in CATEGORIES}
    return scores, failed


def best_lighthouse(name, url, out_dir):
    """(scores, tries) of the best of up to RUNS Lighthouse runs: the first that passes."""
    best = None
    for attempt in range(1, RUNS + 1):
        scores, failed = lighthouse(url, out_dir)
        log(f"{name} run {attempt}: {scores}" + (f"; failed audits: {failed}" if failed else ""))
        if best is None or min(scores.values()) > min(best.values()):
            best = scores
        if min(best.values()) >= MIN_SCORE:
            return best, attempt
    return best, RUNS


def nu_errors(documents, out_dir):
    """{name: [error messages]} from one Nu HTML checker run over every page's HTML."""
    files = {}
    for name, html in documents.items():
        path = Path(out_dir) / f"{name}.html"
        path.write_text(html)
        files[str(path)] = name
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    try:
        messages = json.loads(result.stderr)["messages"]
    except ValueError:
        raise SystemExit(f"The Nu HTML checker did not run: {result.stderr[:500]}") from None
    errors = {name: [] for name in documents}
    for message in messages:
        if message.get("type") == "error":
            name = files.get(message.get("url", "").removeprefix("file:"), "?")
            errors.setdefault(name, []).append(
                f"line {message.get('lastLine')}: {message['message']}"
            )
    if result.returncode and not any(errors.values()):
        errors["nu"] = [f"vnu exited with {result.returncode}: {result.stderr[:500]}"]
    return errors


def report(rows, errors, seconds):
    lines = [
        START,
        "## Outside checkers",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, `python bench/checkers.py` "
        f"({seconds:.0f} s): the demo in production mode (gunicorn, SQLite), Lighthouse 12.2.3 "
        f"mobile with Debian's chromium (a page's best of up to {RUNS} runs), the Nu HTML "
        f"checker (vnu-jar {VNU_VERSION}). Every score must be >= {MIN_SCORE} and Nu must "
        "find no error.",
        "",
        "| page | path | performance | accessibility | best practices | SEO | Lighthouse runs "
        "| Nu errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, path, scores, runs in rows:
        cells = " | ".join(str(scores[c]) for c in CATEGORIES)
        lines.append(f"| {name} | `{path}` | {cells} | {runs} | {len(errors.get(name, []))} |")
    lines.append(END)
    block = "\n".join(lines)
    text = RESULTS_MD.read_text() if RESULTS_MD.exists() else ""
    if START in text and END in text:
        text = text[: text.index(START)] + block + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    RESULTS_MD.write_text(text)
    return block


def main():
    if not LIGHTHOUSE.exists() or not VNU_JAR.exists():
        raise SystemExit("Install the checkers first: make checkers (npm ci in bench/node)")
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="newsroom-checkers-") as workdir:
        env = production_env(workdir, PORT)
        build_site(env, 0, 0)
        base = f"http://127.0.0.1:{PORT}"
        rows, documents, problems = [], {}, []
        with Server(env, PORT):
            for name, path in pages(base, env).items():
                try:
                    documents[name] = fetch(base + path)
                except urllib.error.HTTPError as error:
                    problems.append(f"{name}: {path} answered {error.code}")
                    continue
                scores, runs = best_lighthouse(name, base + path, workdir)
                rows.append((name, path, scores, runs))
                problems += [f"{name}: {c} {s}" for c, s in scores.items() if s < MIN_SCORE]
            errors = nu_errors(documents, workdir)
        for name, messages in errors.items():
            problems += [f"{name}: Nu {m}" for m in messages]
    print(report(rows, errors, time.monotonic() - started))
    for problem in problems:
        print("FAIL", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
