"""The results: the table, the verdict against the targets, and the files they are written to.

A quick run writes bench/results/quick.md (git-ignored); a full run writes
bench/results/latest.md and the committed bench/RESULTS.md, which also says when, on what
machine and with which command the figures were taken.
"""

import importlib.metadata
import os
import platform
import re
from datetime import UTC, datetime
from pathlib import Path

from bench.common import ROOT, TARGETS

RESULTS_DIR = ROOT / "bench" / "results"
RESULTS_MD = ROOT / "bench" / "RESULTS.md"
RERUN = """\
Rerun with `make bench` (`ARTICLES=N` for another site size); each full run rewrites this file,
a quick run never does. Figures are only comparable within one run: read each page as its ratio
to the bare Django page (`x bare`) of the same run, not its req/s against another run."""


def table(rows, bare_rps, connections):
    lines = [
        f"| page ({connections} connections) | req/s | x bare | p50 ms | p90 ms | p99 ms "
        "| errors | worker RSS MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in rows:
        ratio = r["rps"] / bare_rps if bare_rps else 0
        lines.append(
            f"| {name} | {r['rps']:,.0f} | {ratio:.2f} | {r['p50']:.1f} | {r['p90']:.1f} "
            f"| {r['p99']:.1f} | {r['errors']} | {r['rss']:.0f} |"
        )
    return "\n".join(lines)


def pair_costs(pairs):
    """Backend -> what counting cost in each of its on/off pairs, sorted (the median is the
    middle one); a pair whose off run answered nothing has no cost, its errors say why."""
    return {
        backend: sorted(p["cost"] for p in runs if p["cost"] is not None)
        for backend, runs in pairs.items()
    }


def verdict(rows, bare_rps, costs):
    article = dict(rows).get("article (counting on)")
    if not article or not bare_rps:
        return []
    checks = [
        (
            f"article >= {TARGETS['article_ratio']:g} x bare",
            article["rps"] / bare_rps >= TARGETS["article_ratio"],
            f"{article['rps'] / bare_rps:.2f}",
        ),
        (
            f"article p99 < {TARGETS['p99_ms']:g} ms",
            article["p99"] < TARGETS["p99_ms"],
            f"{article['p99']:.1f} ms",
        ),
        ("zero errors", all(r["errors"] == 0 for _, r in rows), ""),
        (
            f"worker RSS < {TARGETS['rss_mb']:g} MB",
            all(r["rss"] < TARGETS["rss_mb"] for _, r in rows),
            f"{max(r['rss'] for _, r in rows):.0f} MB",
        ),
    ]
    for backend, limit in TARGETS["counting_cost"].items():
        pairs = costs.get(backend)
        if pairs:
            cost = pairs[len(pairs) // 2]
            checks.append(
                (
                    f"counting costs < {limit:.0%} ({backend})",
                    cost < limit,
                    f"{cost:.0%} (median of {len(pairs)} on/off pairs: "
                    + ", ".join(f"{c:.0%}" for c in pairs)
                    + ")",
                )
            )
    return [f"{'PASS' if ok else 'MISS'}  {name} {value}".rstrip() for name, ok, value in checks]


def pairs_table(pairs):
    lines = [
        "| backend | pair | order | on req/s | off req/s | cost |",
        "|---|---:|---|---:|---:|---:|",
    ]
    for backend, runs in pairs.items():
        for number, p in enumerate(runs, 1):
            cost = "" if p["cost"] is None else f"{p['cost']:.0%}"
            lines.append(
                f"| {backend} | {number} | {' then '.join(p['order'])} "
                f"| {p['on']['rps']:,.0f} | {p['off']['rps']:,.0f} | {cost} |"
            )
    return "\n".join(lines)


def cpu_model():
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "unknown CPU"
    match = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
    return match.group(1).strip() if match else platform.processor() or "unknown CPU"


def machine():
    return (
        f"{len(os.sched_getaffinity(0))} CPUs (nproc), {cpu_model()}, "
        f"Python {platform.python_version()}, Django {importlib.metadata.version('django')}"
    )


def results_md(report, checks, pairs, command, options):
    taken = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    sections = [
        f"# Benchmark results, {taken}",
        f"Machine: {machine()}.\n\nCommand: `{command}` ({options}).",
        RERUN,
        "## Pages\n\n" + report,
        "## Verdict\n\n```\n" + "\n".join(checks) + "\n```",
    ]
    if pairs:
        sections.append("## Counting on/off pairs\n\n" + pairs_table(pairs))
    return "\n\n".join(sections) + "\n"


def write_results(quick, report, checks, pairs, command, options):
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / ("quick.md" if quick else "latest.md")).write_text(
        report + "\n\n" + "\n".join(checks) + "\n"
    )
    if not quick:
        RESULTS_MD.write_text(
            results_md(report, checks, pairs, command, options)
            + _kept_section("checkers")
            + _kept_section("scale")
        )


def _kept_section(name):
    """A section of RESULTS.md another script writes (bench/checkers.py: "checkers", the scale
    figures of bench/scale.py: "scale"): kept as it is."""
    text = RESULTS_MD.read_text() if RESULTS_MD.exists() else ""
    start, end = f"<!-- {name} -->", f"<!-- /{name} -->"
    if start not in text or end not in text:
        return ""
    return "\n" + text[text.index(start) : text.index(end) + len(end)] + "\n"
