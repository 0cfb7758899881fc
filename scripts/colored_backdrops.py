#!/usr/bin/env python3
"""Copies line-art pictures with their white background repainted a random colour or
gradient: a check of how a line-art model does on pictures with a coloured backdrop, a style
the clip-art training set does not have. Deterministic (seed 2026). Needs numpy and Pillow.

    python3 scripts/colored_backdrops.py data/lineart/val /tmp/lineart-backdrops
    tinct test --model default-lineart --data /tmp/lineart-backdrops --out /tmp/g --pictures 100
"""
import sys
from collections import deque
from pathlib import Path

import numpy as np
from PIL import Image


def border_white(picture: np.ndarray) -> np.ndarray:
    """The near-white pixels (every channel >= 240) connected to the border."""
    height, width = picture.shape[:2]
    white = (picture >= 240).all(-1)
    reached = np.zeros((height, width), bool)
    queue = deque((y, x) for y in range(height) for x in (0, width - 1))
    queue.extend((y, x) for y in (0, height - 1) for x in range(width))
    while queue:
        y, x = queue.popleft()
        if 0 <= y < height and 0 <= x < width and white[y, x] and not reached[y, x]:
            reached[y, x] = True
            queue.extend(((y - 1, x), (y + 1, x), (y, x - 1), (y, x + 1)))
    return reached


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    target.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(2026)
    for path in sorted(source.iterdir()):
        if path.suffix.lower() not in (".png", ".jpg", ".jpeg"):
            continue
        picture = np.asarray(Image.open(path).convert("RGB")).copy()
        height, width = picture.shape[:2]
        background = border_white(picture)
        first = rng.uniform(0, 255, 3)
        second = first if rng.random() < 0.5 else rng.uniform(0, 255, 3)
        angle = rng.uniform(0, 2 * np.pi)
        ys, xs = np.mgrid[0:height, 0:width]
        along = xs * np.cos(angle) + ys * np.sin(angle)
        t = (along - along.min()) / max(along.max() - along.min(), 1)
        painted = first[None, None, :] + (second - first)[None, None, :] * t[..., None]
        picture[background] = np.round(painted[background]).astype(np.uint8)
        Image.fromarray(picture).save(target / (path.stem + ".png"))
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
