"""Demo photographs drawn with Pillow, so the demo needs no download."""

import io
import random

from PIL import Image, ImageDraw, ImageFilter

PALETTES = {
    "hall": ((28, 52, 84), (196, 214, 232), (232, 146, 46)),
    "factory": ((40, 44, 52), (150, 160, 170), (250, 196, 40)),
    "robot": ((18, 70, 110), (220, 228, 236), (235, 90, 50)),
    "award": ((70, 20, 30), (240, 220, 200), (212, 175, 55)),
    "lab": ((20, 80, 70), (210, 235, 230), (90, 170, 220)),
    "city": ((60, 70, 110), (230, 200, 170), (250, 240, 220)),
}


def draw_picture(kind, width=1600, height=1000, seed=0):
    """A soft, photo-like scene: sky gradient, floor, machines and people as shapes."""
    rng = random.Random(f"{kind}-{seed}")  # noqa: S311 (pictures, not secrets)
    dark, light, accent = PALETTES[kind]
    image = Image.new("RGB", (width, height), light)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(int(light[i] * (1 - t) + dark[i] * t) for i in range(3)),
        )
    horizon = int(height * rng.uniform(0.55, 0.7))
    draw.rectangle([0, horizon, width, height], fill=tuple(int(c * 0.6) for c in dark))
    for _ in range(rng.randint(4, 8)):
        x = rng.randint(0, width - 200)
        w, h = rng.randint(120, 360), rng.randint(160, 420)
        draw.rounded_rectangle(
            [x, horizon - h, x + w, horizon + 20],
            radius=18,
            fill=tuple(rng.randint(60, 200) for _ in range(3)),
        )
        draw.ellipse([x + w // 3, horizon - h - 60, x + w // 3 + 70, horizon - h + 10], fill=accent)
    for _ in range(rng.randint(6, 14)):
        x = rng.randint(0, width)
        draw.ellipse([x, horizon - 120, x + 36, horizon - 84], fill=(235, 205, 180))
        draw.rectangle(
            [x + 4, horizon - 84, x + 32, horizon],
            fill=tuple(rng.randint(20, 120) for _ in range(3)),
        )
    image = image.filter(ImageFilter.GaussianBlur(1.2))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82)
    return buffer.getvalue()


def draw_portrait(seed=0, size=800):
    """A head-and-shoulders silhouette on a soft backdrop: an author's demo photo."""
    rng = random.Random(f"portrait-{seed}")  # noqa: S311 (pictures, not secrets)
    backdrop = tuple(rng.randint(150, 220) for _ in range(3))
    image = Image.new("RGB", (size, size), backdrop)
    draw = ImageDraw.Draw(image)
    skin = rng.choice([(241, 204, 176), (224, 172, 138), (198, 134, 96), (141, 85, 54)])
    hair = rng.choice([(30, 24, 20), (92, 60, 36), (160, 120, 70), (60, 60, 64)])
    jacket = tuple(rng.randint(20, 110) for _ in range(3))
    centre, head = size // 2, size // 5
    draw.ellipse([centre - 2 * head, size * 0.68, centre + 2 * head, size * 1.4], fill=jacket)
    draw.rectangle([centre - head // 3, size * 0.52, centre + head // 3, size * 0.72], fill=skin)
    top = size * 0.16
    draw.ellipse(
        [centre - head * 1.05, top - 10, centre + head * 1.05, top + head * 1.6], fill=hair
    )
    draw.ellipse([centre - head * 0.9, top + 20, centre + head * 0.9, top + head * 2.2], fill=skin)
    image = image.filter(ImageFilter.GaussianBlur(1.5))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()
