"""QR micro-benchmark: microseconds to make one code or poster, cold and from the cache.

    .venv/bin/python bench/qr_bench.py [--text URL] [--repeat N] [--json]

Cold rows do the work every time (what a first request pays); "cached" rows go
through qr.codes' cache (the configured Django cache: locmem, or Redis when
REDIS_URL is set), which is what every later page render or QR request pays.
qrcode's own SVG and PNG factories are timed for comparison. Posters (`qr.posters`): a cold
render of an A4 and an A5 poster with a cover picture (target: under 300 ms), and a warm one
taken from the cache (no render; the HTTP rows of bench/run.py show it costs no query).
"""

import argparse
import io
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django

django.setup()

import qrcode  # noqa: E402
import qrcode.image.svg  # noqa: E402
from django.core.cache import cache  # noqa: E402

from qr import codes, poster_files, posters  # noqa: E402
from qr.poster_fonts import cjk_font  # noqa: E402

COLD_POSTER_TARGET_MS = 300


def timed(function, repeat):
    """Median microseconds per call over `repeat` calls (after one warm-up call)."""
    function()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1e6)
    samples.sort()
    return samples[len(samples) // 2]


def qrcode_factory(text, factory):
    code = qrcode.QRCode(error_correction=codes.ERROR_LEVELS[codes.error_level()], border=4)
    code.add_data(text)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(image_factory=factory).save(buffer)
    return buffer.getvalue()


def cover_jpeg():
    """A 1600 x 1067 photo-like JPEG (gradients: no better compressed than a real photo)."""
    from PIL import Image

    image = Image.linear_gradient("L").resize((1600, 1067)).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def poster_rows(text, repeat):
    """Microseconds: the font's first load, cold A4/A5 renders, and a warm poster."""
    started = time.perf_counter()
    cjk_font()
    first_font = (time.perf_counter() - started) * 1e6
    content = posters.PosterContent(
        site_name="Newsroom",
        section="Company news",
        title="Riverside line opens: the new automation line doubles output " * 2,
        issued="Time of issue: 5 Dec 2026, 09:00",
        summary="The plant's new line went live on Monday after a year of work. " * 4,
        short_url=text,
        scan_hint="Scan the QR code to read on your phone",
        cover=cover_jpeg(),
    )
    source = poster_files.PosterSource(
        1, "riverside", content.title, content.summary, "Company news", "en", None, "x",
        "", "k7m2xq", True,
    )  # fmt: skip
    cache.clear()
    poster_files.poster_file(source, "a4")  # fill
    return {
        "poster CJK font, first load per process": first_font,
        "poster A4 with cover, cold render": timed(
            lambda: posters.render(content, posters.SIZES["a4"]), repeat
        ),
        "poster A5 with cover, cold render": timed(
            lambda: posters.render(content, posters.SIZES["a5"]), repeat
        ),
        "poster A4, warm (from the cache)": timed(
            lambda: poster_files.poster_file(source, "a4"), repeat
        ),
    }


def poster_verdict(rows):
    cold_ms = max(rows[f"poster {size} with cover, cold render"] for size in ("A4", "A5")) / 1000
    verdict = "PASS" if cold_ms < COLD_POSTER_TARGET_MS else "MISS"
    target = f"target: under {COLD_POSTER_TARGET_MS} ms"
    return f"{verdict}: a cold poster renders in {cold_ms:.0f} ms ({target})"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--text", default="https://news.example.com/s/k7m2xq/")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--quick", action="store_true", help="5 repeats: a smoke run")
    args = parser.parse_args()
    text, level, repeat = args.text, codes.error_level(), 5 if args.quick else args.repeat
    code = codes._encode(text, level)

    def cached(function):
        cache.clear()
        function()  # fill
        return timed(function, repeat)

    rows = {
        "qrcode encode (matrix only)": timed(lambda: codes._encode(text, level), repeat),
        "our SVG path from a matrix": timed(code.path, repeat),
        "our SVG, encode + draw": timed(lambda: codes._encode(text, level).path(), repeat),
        "our PNG 512 px, encode + draw": timed(
            lambda: codes.draw_png(codes._encode(text, level), 512), repeat
        ),
        "our PNG 2048 px, encode + draw": timed(
            lambda: codes.draw_png(codes._encode(text, level), 2048), repeat
        ),
        "qrcode SvgPathImage (comparison)": timed(
            lambda: qrcode_factory(text, qrcode.image.svg.SvgPathImage), repeat
        ),
        "qrcode PIL PNG (comparison)": timed(lambda: qrcode_factory(text, None), repeat),
        "cached inline SVG (page render)": cached(lambda: codes.svg(text)),
        "cached PNG 512 px file": cached(lambda: codes.png_file(text, 512)),
        **poster_rows(text, repeat),
    }
    sizes = {
        "version": code.version,
        "level": level,
        "modules": code.modules,
        "inline_svg_bytes": len(codes.svg(text).encode()),
        "qrcode_svg_bytes": len(qrcode_factory(text, qrcode.image.svg.SvgPathImage)),
        "png_512_bytes": len(codes.png_file(text, 512).content),
        "png_2048_bytes": len(codes.png_file(text, 2048).content),
    }
    cache.clear()
    if args.json:
        print(json.dumps({"text": text, "microseconds": rows, **sizes}, indent=2))
        return
    print(
        f"QR micro-benchmark: {text!r}, level {level}, version {code.version}, median of {repeat}"
    )
    for name, micros in rows.items():
        print(f"  {name:<36} {micros:>10,.0f} µs")
    for name, value in sizes.items():
        if name.endswith("_bytes"):
            print(f"  {name.replace('_', ' '):<36} {value:>10,} B")
    print(poster_verdict(rows))


if __name__ == "__main__":
    main()
