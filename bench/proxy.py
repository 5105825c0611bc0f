"""Through nginx (deploy/nginx.conf), as README "Production" deploys it: the article page in beacon
mode (each view a GET nginx answers from its cache plus the beacon's POST) against server-mode
counting straight at gunicorn, in views counted per second; and what a browser is sent for HTML,
static files and renditions, compressed and with which cache policy, with and without nginx.

Run by bench/run.py after the other rows, on the same site; skipped without Debian's nginx.
"""

import gzip
import os
import re
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

from bench.common import PY, ROOT, UA, log
from bench.load import parse_duration_ms
from bench.server import Server

NGINX = "/usr/sbin/nginx"
BEACON_LUA = """
local n = 0
request = function()
  n = n + 1
  if n %% 2 == 1 then return wrk.format("GET", "%s") end
  return wrk.format("POST", "/views/beacon/", {
    ["User-Agent"] = wrk.headers["User-Agent"],
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Sec-Fetch-Site"] = "same-origin",
  }, "t=%s")
end
"""


class Nginx:
    """deploy/nginx.conf filled in for one loopback app server (named twice: one upstream)."""

    def __init__(self, workdir, port, app_port):
        self.dir = Path(workdir) / "nginx"
        self.port, self.app_port = port, app_port
        self.process = None

    def __enter__(self):
        (self.dir / "cache").mkdir(parents=True, exist_ok=True)
        values = {
            "@LISTEN@": f"127.0.0.1:{self.port}",
            "@SERVER_NAME@": "127.0.0.1",
            "@APP_A@": f"127.0.0.1:{self.app_port}",
            "@APP_B@": f"127.0.0.1:{self.app_port}",
            "@STATIC_ROOT@": str(self.dir.parent / "static"),
            "@MEDIA_ROOT@": str(self.dir.parent / "media"),
            "@CACHE_DIR@": str(self.dir / "cache"),
            "@RUN_DIR@": str(self.dir),
            "@PROTO@": "$scheme",
        }
        conf = (ROOT / "deploy" / "nginx.conf").read_text()
        for name, value in values.items():
            conf = conf.replace(name, value)
        (self.dir / "nginx.conf").write_text(conf)
        # Started by root, nginx's workers are another user: let them read the site's files.
        for path in (self.dir.parent, self.dir / "cache"):
            path.chmod(0o777 if path.name == "cache" else 0o755)
        self.process = subprocess.Popen(
            [NGINX, "-e", "stderr", "-p", str(self.dir), "-c", str(self.dir / "nginx.conf"),
             "-g", "daemon off;"],
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                fetch(f"http://127.0.0.1:{self.port}/healthz")
                return self
            except OSError:
                time.sleep(0.1)
        raise SystemExit("nginx did not start")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(10)


def fetch(url, data=None, encoding=None):
    headers = {"User-Agent": UA, "Sec-Fetch-Site": "same-origin"}
    if encoding:
        headers["Accept-Encoding"] = encoding
    request = urllib.request.Request(url, data=data, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as answer:
        return answer.headers, answer.read()


def stored_views(env, article_id):
    code = f"from articles.models import Article; print(Article.objects.get(pk={article_id}).views)"
    out = subprocess.run(
        [PY, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return int(out.strip().splitlines()[-1])


def wrk(url, seconds, connections, script=None):
    command = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "-H",
        f"User-Agent: {UA}",
    ]
    if script:
        command += ["-s", script]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p99": parse_duration_ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),
        "errors": (sum(map(int, socket.groups())) if socket else 0)
        + (int(non2xx.group(1)) if non2xx else 0),
    }


def counted(env, urls, seconds, connections, url, script=None):
    before = stored_views(env, urls["article_id"])
    started = time.monotonic()
    result = wrk(url, seconds, connections, script)
    elapsed = time.monotonic() - started
    result["views_per_s"] = (stored_views(env, urls["article_id"]) - before) / elapsed
    return result


def measure_counting(bench, urls, app_port, nginx_port):
    """Views counted per second: beacon mode through nginx, server mode straight at gunicorn."""
    rows = []
    beacon_env = {**bench.env, "NEWSROOM_VIEW_COUNTING": "beacon"}
    with Server(beacon_env, app_port), Nginx(bench.workdir, nginx_port, app_port):
        page_url = f"http://127.0.0.1:{nginx_port}{urls['article']}"
        fetch(page_url)
        headers, page = fetch(page_url)
        log(f"  nginx answers the article page: X-Cache-Status {headers['X-Cache-Status']}")
        token = re.search(rb'data-token="([^"]+)"', page).group(1).decode()
        script = Path(bench.workdir) / "beacon.lua"
        script.write_text(BEACON_LUA % (urls["article"], token))
        result = counted(beacon_env, urls, bench.seconds, bench.connections, page_url, str(script))
        rows.append(("via nginx, beacon mode: cached page GET + beacon POST per view", result))
    with Server(bench.env, app_port):
        url = f"http://127.0.0.1:{app_port}{urls['article']}"
        result = counted(bench.env, urls, bench.seconds, bench.connections, url)
        rows.append(("straight to gunicorn, server mode: the page GET counts", result))
    for name, result in rows:
        log(f"  {name}: {result['views_per_s']:,.0f} views/s, p99 {result['p99']:.1f} ms")
    return rows


def transfers(base, paths):
    """(path, bytes, bytes sent with gzip accepted, Content-Encoding, Cache-Control) per path."""
    found = []
    for path in paths:
        _headers, plain = fetch(base + path, encoding="identity")
        headers, sent = fetch(base + path, encoding="gzip")
        if headers.get("Content-Encoding") == "gzip":
            assert gzip.decompress(sent) == plain or path.endswith("/"), path
        control = headers.get("Cache-Control") or (
            f"Expires {headers['Expires']}" if headers.get("Expires") else "none"
        )
        found.append((path, len(plain), len(sent), headers.get("Content-Encoding", "-"), control))
    return found


def asset_paths(base, article):
    """The article page, its hashed stylesheet and script, and a rendition it shows."""
    _headers, page = fetch(base + article)
    html = page.decode()
    css = re.search(r'href="(/static/css/[^"]+\.css)"', html)
    js = re.search(r'src="(/static/js/[^"]+\.js)"', html)
    rendition = re.search(r'(/media/renditions/[^" ,]+\.webp)', fetch(base + "/")[1].decode())
    return [article] + [m.group(1) for m in (css, js, rendition) if m]


def measure_bytes(bench, urls, app_port, nginx_port):
    env = {**bench.env, "NEWSROOM_VIEW_COUNTING": "beacon"}
    with Server(env, app_port), Nginx(bench.workdir, nginx_port, app_port):
        paths = asset_paths(f"http://127.0.0.1:{app_port}", urls["article"])
        alone = transfers(f"http://127.0.0.1:{app_port}", paths)
        proxied = transfers(f"http://127.0.0.1:{nginx_port}", paths)
    return alone, proxied


def report(counting, alone, proxied, connections):
    lines = [
        "### Through nginx (deploy/nginx.conf; bench/proxy.py)",
        "",
        f"| article views ({connections} connections) | views counted/s | requests/s "
        "| p99 ms | errors |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, r in counting:
        lines.append(
            f"| {name} | {r['views_per_s']:,.0f} | {r['rps']:,.0f} | {r['p99']:.1f} "
            f"| {r['errors']} |"
        )
    lines += [
        "",
        "| what a browser gets | bytes | gunicorn alone: sent, encoding, Cache-Control | "
        "nginx: sent, encoding, Cache-Control |",
        "|---|---:|---|---|",
    ]
    for (path, size, sent_a, enc_a, cc_a), (_p, _s, sent_n, enc_n, cc_n) in zip(
        alone, proxied, strict=True
    ):
        short = re.sub(r"\.[0-9a-f]{12}\.", ".<hash>.", path)
        short = re.sub(r"/renditions/\w\w/\w+/", "/renditions/<hash>/", short)
        lines.append(
            f"| `{short}` | {size:,} | {sent_a:,}, {enc_a}, `{cc_a}` "
            f"| {sent_n:,}, {enc_n}, `{cc_n}` |"
        )
    return "\n".join(lines)


def measure_through_nginx(bench, urls):
    """The markdown section for bench/RESULTS.md, and whether any row had errors."""
    if not os.path.exists(NGINX) or not shutil.which("wrk"):
        log("  through nginx: skipped (needs Debian's nginx and wrk)")
        return "", False
    app_port, nginx_port = bench.port + 1, bench.port + 2
    counting = measure_counting(bench, urls, app_port, nginx_port)
    alone, proxied = measure_bytes(bench, urls, app_port, nginx_port)
    text = report(counting, alone, proxied, bench.connections)
    return text, any(r["errors"] for _name, r in counting)
