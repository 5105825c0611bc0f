"""Driving a served page: wrk (or an aiohttp client without it), and the Redis to count into."""

import asyncio
import contextlib
import re
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

from bench.common import REDIS_URL, UA
from bench.server import RssSampler

WRK_LUA = """
local paths, i = {}, 0
for line in io.lines("%s") do paths[#paths + 1] = line end
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""


def parse_duration_ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def run_wrk(url, seconds, connections, paths_file=None, headers=None):
    threads = min(2, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    command += ["-H", f"User-Agent: {UA}", "-H", "Accept-Language: en"]
    for name, value in (headers or {}).items():  # e.g. a signed-in editor's session cookie
        command += ["-H", f"{name}: {value}"]
    if paths_file:
        command += ["-s", paths_file]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    latency = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)", out, re.M))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    errors = 0
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if socket:
        errors += sum(int(x) for x in socket.groups())
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        errors += int(non2xx.group(1))
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": parse_duration_ms(latency["50"]),
        "p90": parse_duration_ms(latency["90"]),
        "p99": parse_duration_ms(latency["99"]),
        "requests": total,
        "errors": errors,
    }


def run_aiohttp(url, seconds, connections, paths=None, extra_headers=None):
    import aiohttp

    latencies, errors = [], 0
    base = url.split("/", 3)
    origin = "/".join(base[:3])

    async def client(session, deadline, offset):
        nonlocal errors
        i = offset
        while time.monotonic() < deadline:
            target = origin + paths[i % len(paths)] if paths else url
            i += connections
            started = time.perf_counter()
            try:
                async with session.get(target, allow_redirects=False) as response:
                    await response.read()
                    if response.status >= 400:
                        errors += 1
            except aiohttp.ClientError:
                errors += 1
            latencies.append((time.perf_counter() - started) * 1000)

    async def main():
        deadline = time.monotonic() + seconds
        connector = aiohttp.TCPConnector(limit=connections)
        headers = {"User-Agent": UA, "Accept-Language": "en", **(extra_headers or {})}
        async with aiohttp.ClientSession(
            connector=connector, headers=headers, cookie_jar=aiohttp.DummyCookieJar()
        ) as session:
            started = time.monotonic()
            await asyncio.gather(*(client(session, deadline, n) for n in range(connections)))
            return time.monotonic() - started

    elapsed = asyncio.run(main())
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] if latencies else 0

    return {
        "rps": len(latencies) / elapsed,
        "p50": pct(0.5),
        "p90": pct(0.9),
        "p99": pct(0.99),
        "requests": len(latencies),
        "errors": errors,
    }


def load(server, path, seconds, connections, paths=None, workdir=None, headers=None):
    url = f"http://127.0.0.1:{server.port}{path}"
    paths_file = None
    if paths and shutil.which("wrk"):
        paths_file = str(Path(workdir) / f"paths-{len(paths)}.lua")
        list_file = Path(workdir) / f"paths-{len(paths)}.txt"
        list_file.write_text("\n".join(paths) + "\n")
        Path(paths_file).write_text(WRK_LUA % list_file)
    elif not paths:
        # Warm the page (first render, caches) outside the measurement.
        for _ in range(3):
            request = urllib.request.Request(url, headers={"User-Agent": UA, **(headers or {})})
            with contextlib.suppress(OSError):
                urllib.request.urlopen(request, timeout=10).read()
    with RssSampler(server) as rss:
        if shutil.which("wrk"):
            result = run_wrk(url, seconds, connections, paths_file, headers)
        else:
            result = run_aiohttp(url, seconds, connections, paths, headers)
    result["rss"] = rss.peak
    return result


def redis_reachable():
    try:
        import redis

        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
        client.ping()
        return client
    except Exception:
        return None
