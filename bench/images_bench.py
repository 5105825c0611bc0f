"""Image renditions benchmark: time, peak memory and bytes saved for a 24 MP camera JPEG.

Run: python bench/images_bench.py   (make bench calls it). Each case runs in a fresh child
process so its peak RSS is its own; files go to a temporary folder, nothing else is touched.
Targets on a 2-core machine: under 2 s (CPU time of the upload) and under 300 MB.
"""

import io
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")  # no secret key needed; no database is used

WIDTH, HEIGHT = 6000, 4000  # 24 MP
TARGET_SECONDS, TARGET_MB = 2.0, 300


def camera_jpeg(orientation):
    """A photo-like 24 MP JPEG (scene + sensor noise) with EXIF orientation and GPS, q=92."""
    from PIL import ExifTags, Image, ImageFilter

    from articles.demo.pictures import draw_picture

    scene = Image.open(io.BytesIO(draw_picture("city", 1500, 1000, seed=3))).convert("RGB")
    scene = scene.resize((WIDTH, HEIGHT), Image.Resampling.BICUBIC)
    noise = Image.effect_noise((WIDTH, HEIGHT), 40).filter(ImageFilter.GaussianBlur(0.6))
    scene = Image.blend(scene, Image.merge("RGB", (noise, noise, noise)), 0.12)
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "BenchCam"
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 3.0)}
    buffer = io.BytesIO()
    scene.save(buffer, "JPEG", quality=92, exif=exif.tobytes())
    return buffer.getvalue()


def rss_mb(field="VmHWM"):
    """Peak (VmHWM) or current (VmRSS) resident memory of this process, in MB.

    Read from /proc: unlike getrusage's ru_maxrss it is not inherited from the parent.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_case(path, queue):
    """In a child: validate, clean and make every rendition, as an upload does."""
    import hashlib

    import django

    django.setup()
    from django.core.files.storage import FileSystemStorage

    from media.metadata import clean_image
    from media.renditions import make_renditions
    from media.validation import inspect_image

    data = Path(path).read_bytes()
    storage = FileSystemStorage(location=tempfile.mkdtemp(prefix="images-bench-"))
    before = rss_mb("VmRSS")
    start, cpu_start = time.perf_counter(), time.process_time()
    info = inspect_image(data)
    cleaned = clean_image(data, info)
    digest = hashlib.sha256(cleaned.data).hexdigest()
    original_name = storage.save("images/original.jpg", io.BytesIO(cleaned.data))
    renditions = make_renditions(cleaned, digest, storage, original_name)
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    sizes = {key: storage.size(entry["name"]) for key, entry in renditions.items()}
    queue.put(
        {
            "seconds": seconds,
            "cpu": cpu,
            "peak_mb": rss_mb(),
            "baseline_mb": before,
            "original": len(data),
            "cleaned": len(cleaned.data),
            "sizes": sizes,
        }
    )


def avif_kb(sizes):
    """The 1600w AVIF's size, or "-" when this Pillow writes no AVIF."""
    return f"{sizes['1600.avif'] / 1e3:.0f} kB" if "1600.avif" in sizes else "-"


CASES = (("upright (lossless strip)", 1), ("EXIF 6 (rotated)", 6))


def main():
    import django

    django.setup()
    # --quick (make bench QUICK=1): the upright case only, a smoke run.
    cases = CASES[:1] if "--quick" in sys.argv[1:] else CASES
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for label, orientation in cases:
            path = Path(folder) / f"camera-{orientation}.jpg"
            path.write_bytes(camera_jpeg(orientation))
            context = multiprocessing.get_context("spawn")  # a fresh process: honest peak RSS
            queue = context.Queue()
            child = context.Process(target=run_case, args=(str(path), queue))
            child.start()
            result = queue.get(timeout=120)
            child.join()
            rows.append((label, result))
    print(f"Renditions of a {WIDTH}x{HEIGHT} (24 MP) JPEG, q=92, with EXIF+GPS")
    print()
    print(
        "| case | wall time (CPU) | peak RSS (process) | original | stored original | 1600w AVIF | "
        "1600w WebP | 1600w JPEG | 960w WebP | all renditions |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    ok = True
    for label, r in rows:
        s = r["sizes"]
        total = sum(s.values())
        print(
            f"| {label} | {r['seconds']:.2f} s ({r['cpu']:.2f} s) | {r['peak_mb']:.0f} MB "
            f"(+{r['peak_mb'] - r['baseline_mb']:.0f}) | {r['original'] / 1e6:.2f} MB | "
            f"{r['cleaned'] / 1e6:.2f} MB | {avif_kb(s)} | {s['1600.webp'] / 1e3:.0f} kB | "
            f"{s['1600.jpg'] / 1e3:.0f} kB | {s['960.webp'] / 1e3:.0f} kB | {total / 1e3:.0f} kB |"
        )
        ok = ok and r["cpu"] < TARGET_SECONDS and r["peak_mb"] < TARGET_MB
    first = rows[0][1]
    served = "AVIF" if "1600.avif" in first["sizes"] else "WebP"  # <picture>'s first type
    served_bytes = first["sizes"][f"1600.{served.lower()}"]
    saved = 1 - served_bytes / first["original"]
    print()
    print(
        f"A reader on a large screen downloads the 1600w {served}: {saved:.1%} fewer bytes than "
        f"the original ({first['original'] / 1e6:.2f} MB -> {served_bytes / 1e3:.0f} kB)."
    )
    load, cores = os.getloadavg()[0], os.cpu_count()
    print(
        f"Load average {load:.1f} on {cores} cores: wall time grows with load, CPU time does not."
    )
    print(
        f"Targets: < {TARGET_SECONDS:.0f} s CPU and < {TARGET_MB} MB per image: "
        f"{'met' if ok else 'NOT met'}."
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
