#!/usr/bin/env python3
"""Filter rendered clip art for colorization training and split it train/val.

Used by scripts/fetch-data.sh; runs on the standard library alone (PNG files
are decoded here with zlib, so neither Pillow nor numpy is needed).

Input:  a folder of PNG renders (``--src``), named by a sanitized relative
        path such as ``animals__birds__owl_01.png``; ``--list`` restricts
        the run to the names in a file.
Output: ``--out``/train and ``--out``/val holding the kept pictures (hard links
        to the renders where the file system allows, copies otherwise), plus
        ``--out``/filter-report.json (counts per split and per drop reason,
        the thresholds used) and ``--out``/dropped.tsv (name, reason).

A picture is dropped, for the first reason that applies, in this order:

  path:<word>     its name contains one of --drop-words (case-insensitive).
                  The defaults leave out what teaches arbitrary or one-palette
                  colour rather than drawing-to-colour:
                    flag               flags: flat colour fields (~530)
                    lemon-theme        an icon theme drawn in one lime
                                       green/yellow palette (~380 kept
                                       otherwise, 14% of the set)
                    hotel_icon         pictograms, all blue on grey
                    special__patterns  repeating tiles in arbitrary colours
                    special__gradients colour swatches
                    shapes__jigsaw     one puzzle piece in red, green, blue
  undecodable     the PNG could not be read
  duplicate       the same pixels as a render earlier in name order (the
                  package has one drawing under several categories, with
                  SVG files that differ only in metadata)
  tiny            a side shorter than --min-side pixels (small sprites
                  are fine: Tinct upscales)
  elongated       one side more than --max-aspect times the other: strips
                  of sprites, banners, very thin renders (for openclipart,
                  rendered to 384 px, this is what a 96 px minimum side did)
  near_empty      more than --max-white of the pixels are near-white
                  (every channel >= --white-level)
  low_saturation  fewer than --min-colored of the non-white pixels are
                  coloured: HSV saturation > --sat with a chroma
                  (max - min) of at least --min-chroma, so that anti-aliased
                  grey and near-black line pixels do not count as colour
  few_hues        off by default (--min-hues 0): the coloured pixels have
                  fewer than --min-hues distinct hues (12 hue bins of 30
                  degrees; a bin counts when it holds at least
                  --hue-bin-share of the coloured pixels). With 2 it drops
                  good examples — a red ladybird with black spots, a yellow
                  and black bee, Tux — so low_saturation alone is used.

The split is deterministic: SHA-1 of the output name, the first 32 bits modulo
10000 below --val-percent * 100 goes to val.

Per-picture statistics are cached in --out/.filter-cache.json (keyed by name,
size and mtime), so a re-run only decodes new or changed renders; the
thresholds can be changed and re-applied without decoding anything.
"""

import argparse
import colorsys
import hashlib
import json
import multiprocessing
import os
import shutil
import struct
import sys
from array import array
from collections import Counter

from png_decoder import PNGError, read_png_rgb

CACHE_VERSION = 2
DEFAULT_DROP_WORDS = ["flag", "lemon-theme", "hotel_icon", "special__patterns",
                      "special__gradients", "shapes__jigsaw"]


# ---------------------------------------------------------------------------
# Statistics
# ---------------------------------------------------------------------------

def color_histogram(rgb):
    """Counter of 24-bit colours (0xRRGGBB) of packed RGB bytes."""
    n = len(rgb) // 3
    buf = bytearray(4 * n)
    # big-endian 0x00RRGGBB words, read natively below and byte-swapped if needed
    buf[1::4] = rgb[0::3]
    buf[2::4] = rgb[1::3]
    buf[3::4] = rgb[2::3]
    words = array("I")
    if words.itemsize != 4:
        words = array("L")
    words.frombytes(bytes(buf))
    if sys.byteorder == "little":
        words.byteswap()
    return Counter(words)


def picture_stats(path, white_level, min_chroma, sat):
    """Raw statistics of one render; thresholds that only re-bin are applied later."""
    width, height, rgb = read_png_rgb(path)
    hist = color_histogram(rgb)
    total = width * height
    white = 0
    colored = 0
    hue_bins = [0] * 12
    for color, count in hist.items():
        r = color >> 16
        g = (color >> 8) & 0xFF
        b = color & 0xFF
        mx = max(r, g, b)
        mn = min(r, g, b)
        if mn >= white_level:
            white += count
            continue
        if mx - mn >= min_chroma and (mx - mn) > sat * mx:
            colored += count
            h, _s, _v = colorsys.rgb_to_hsv(r / 255.0, g / 255.0, b / 255.0)
            hue_bins[min(11, int(h * 12))] += count
    return {
        "w": width, "h": height, "pixels": total, "white": white,
        "colored": colored, "hues": hue_bins,
        "sha1": hashlib.sha1(rgb).hexdigest(),
    }


def _stats_job(args):
    name, path, params = args
    try:
        return name, picture_stats(path, *params), None
    except (PNGError, OSError, ValueError, struct.error) as exc:
        return name, None, str(exc)


# ---------------------------------------------------------------------------
# Decisions, split, output
# ---------------------------------------------------------------------------

def drop_reason(name, st, err, opts, drop_words, seen):
    low = name.lower()
    for word in drop_words:
        if word in low:
            return "path:" + word
    if st is None:
        return "undecodable"
    if st["sha1"] in seen:
        return "duplicate"
    seen.add(st["sha1"])
    if st["w"] < opts.min_side or st["h"] < opts.min_side:
        return "tiny"
    if opts.max_aspect and max(st["w"], st["h"]) > opts.max_aspect * min(st["w"], st["h"]):
        return "elongated"
    if st["white"] > opts.max_white * st["pixels"]:
        return "near_empty"
    nonwhite = st["pixels"] - st["white"]
    if st["colored"] < opts.min_colored * nonwhite:
        return "low_saturation"
    if opts.min_hues > 0:
        hues = sum(1 for c in st["hues"] if c >= opts.hue_bin_share * st["colored"])
        if hues < opts.min_hues:
            return "few_hues"
    return None


def split_of(name, val_percent):
    digest = hashlib.sha1(name.encode("utf-8")).digest()
    bucket = int.from_bytes(digest[:4], "big") % 10000
    return "val" if bucket < val_percent * 100 else "train"


def place(src, dst):
    """Hard-link src at dst (copy if linking fails); skip if already there."""
    try:
        s = os.stat(src)
        d = os.stat(dst)
        if (s.st_ino, s.st_dev) == (d.st_ino, d.st_dev) or (
                (s.st_size, s.st_mtime_ns) == (d.st_size, d.st_mtime_ns)):
            return
        os.remove(dst)
    except FileNotFoundError:
        pass
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--src", required=True, help="folder of rendered PNGs")
    ap.add_argument("--out", required=True, help="dataset folder (train/, val/)")
    ap.add_argument("--list", help="file of render names (one a line) to consider; "
                    "default: every PNG in --src. Listed names without a render "
                    "(failed renders) are skipped")
    ap.add_argument("--val-percent", type=float, default=5.0)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--drop-words", default=",".join(DEFAULT_DROP_WORDS),
                    help="comma-separated, case-insensitive name parts to drop")
    ap.add_argument("--min-side", type=int, default=64)
    ap.add_argument("--max-aspect", type=float, default=4.0,
                    help="longest side over shortest side at most this (0: no limit)")
    ap.add_argument("--white-level", type=int, default=235)
    ap.add_argument("--max-white", type=float, default=0.97)
    ap.add_argument("--sat", type=float, default=0.15)
    ap.add_argument("--min-chroma", type=int, default=16)
    ap.add_argument("--min-colored", type=float, default=0.10)
    ap.add_argument("--min-hues", type=int, default=0)
    ap.add_argument("--hue-bin-share", type=float, default=0.03)
    opts = ap.parse_args()

    drop_words = [w.strip().lower() for w in opts.drop_words.split(",") if w.strip()]
    names = sorted(f for f in os.listdir(opts.src) if f.lower().endswith(".png")
                   and ".part." not in f)
    if opts.list:
        with open(opts.list) as fh:
            listed = {line.strip() for line in fh if line.strip()}
        names = [n for n in names if n in listed]
    os.makedirs(opts.out, exist_ok=True)

    params = [opts.white_level, opts.min_chroma, opts.sat]
    cache_path = os.path.join(opts.out, ".filter-cache.json")
    cache = {}
    try:
        with open(cache_path) as fh:
            saved = json.load(fh)
        if saved.get("version") == CACHE_VERSION and saved.get("params") == params:
            cache = saved["entries"]
    except (OSError, ValueError, KeyError):
        pass

    todo = []
    keys = {}
    for name in names:
        path = os.path.join(opts.src, name)
        st = os.stat(path)
        keys[name] = [st.st_size, st.st_mtime_ns]
        entry = cache.get(name)
        if entry and entry["key"] == keys[name]:
            continue
        # a name dropped by path needs no decoding
        if any(w in name.lower() for w in drop_words):
            continue
        todo.append((name, path, params))

    if todo:
        print("filter_clipart: decoding %d of %d renders with %d job(s)"
              % (len(todo), len(names), opts.jobs), file=sys.stderr, flush=True)
        done = 0
        with multiprocessing.Pool(max(1, opts.jobs)) as pool:
            for name, st, err in pool.imap_unordered(_stats_job, todo, chunksize=8):
                cache[name] = {"key": keys[name], "stats": st, "error": err}
                done += 1
                if done % 500 == 0:
                    print("filter_clipart: %d/%d" % (done, len(todo)),
                          file=sys.stderr, flush=True)
                    _save_cache(cache_path, params, cache)
    cache = {n: e for n, e in cache.items() if n in keys}
    _save_cache(cache_path, params, cache)

    wanted = {"train": set(), "val": set()}
    dropped = Counter()
    dropped_rows = []
    seen = set()
    for name in names:
        entry = cache.get(name)
        if entry is None or entry["key"] != keys[name]:
            st, err = None, None  # only path-dropped names get here
        else:
            st, err = entry["stats"], entry["error"]
        reason = drop_reason(name, st, err, opts, drop_words, seen)
        if reason:
            dropped[reason] += 1
            dropped_rows.append((name, reason, err or ""))
            continue
        wanted[split_of(name, opts.val_percent)].add(name)

    for split, keep in wanted.items():
        folder = os.path.join(opts.out, split)
        os.makedirs(folder, exist_ok=True)
        for existing in os.listdir(folder):
            if existing not in keep:
                os.remove(os.path.join(folder, existing))
        for name in sorted(keep):
            place(os.path.join(opts.src, name), os.path.join(folder, name))

    with open(os.path.join(opts.out, "dropped.tsv"), "w") as fh:
        fh.write("name\treason\tdetail\n")
        for row in dropped_rows:
            fh.write("\t".join(row) + "\n")

    report = {
        "renders": len(names),
        "kept": {s: len(v) for s, v in wanted.items()},
        "dropped": dict(sorted(dropped.items())),
        "dropped_total": sum(dropped.values()),
        "thresholds": {
            "drop_words": drop_words, "min_side": opts.min_side,
            "max_aspect": opts.max_aspect,
            "white_level": opts.white_level, "max_white": opts.max_white,
            "sat": opts.sat, "min_chroma": opts.min_chroma,
            "min_colored": opts.min_colored, "min_hues": opts.min_hues,
            "hue_bin_share": opts.hue_bin_share, "val_percent": opts.val_percent,
        },
    }
    with open(os.path.join(opts.out, "filter-report.json"), "w") as fh:
        json.dump(report, fh, indent=2, sort_keys=True)
        fh.write("\n")
    print(json.dumps({"kept": report["kept"], "dropped": report["dropped"]}))


def _save_cache(path, params, cache):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump({"version": CACHE_VERSION, "params": params, "entries": cache}, fh)
    os.replace(tmp, path)


if __name__ == "__main__":
    main()
