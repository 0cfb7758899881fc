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
import zlib
from array import array
from collections import Counter

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CACHE_VERSION = 2
DEFAULT_DROP_WORDS = ["flag", "lemon-theme", "hotel_icon", "special__patterns",
                      "special__gradients", "shapes__jigsaw"]


class PNGError(Exception):
    pass


# ---------------------------------------------------------------------------
# PNG decoding (8/16-bit grey, grey+alpha, RGB, RGBA, 8-bit palette; no
# interlace), stdlib only. Rows filtered with None/Sub/Up are undone with
# big-integer SIMD-within-a-register arithmetic; Average/Paeth rows per byte.
# ---------------------------------------------------------------------------

def _masks(nbytes):
    lo = int.from_bytes(b"\x7f" * nbytes, "big")
    hi = int.from_bytes(b"\x80" * nbytes, "big")
    return lo, hi


def _add_bytes(a, b, lo, hi):
    """Byte-wise (a + b) mod 256 of two big integers holding byte strings."""
    return ((a & lo) + (b & lo)) ^ ((a ^ b) & hi)


def unfilter(raw, width, height, bpp):
    """Undo PNG scanline filters; returns the bytes of all rows, unfiltered."""
    stride = width * bpp
    if len(raw) < height * (stride + 1):
        raise PNGError("truncated image data")
    lo, hi = _masks(stride)
    out = bytearray(height * stride)
    prev = bytes(stride)
    prev_int = 0
    pos = 0
    for y in range(height):
        ftype = raw[pos]
        line = raw[pos + 1:pos + 1 + stride]
        pos += stride + 1
        if ftype == 0:
            cur = bytes(line)
            cur_int = int.from_bytes(cur, "big")
        elif ftype == 2:  # Up
            cur_int = _add_bytes(int.from_bytes(line, "big"), prev_int, lo, hi)
            cur = cur_int.to_bytes(stride, "big")
        elif ftype == 1:  # Sub: per-channel prefix sum, log-step scan
            x = int.from_bytes(line, "big")
            shift = 8 * bpp
            while shift < 8 * stride:
                x = _add_bytes(x, x >> shift, lo, hi)
                shift *= 2
            cur_int = x
            cur = x.to_bytes(stride, "big")
        elif ftype == 3:  # Average
            c = bytearray(line)
            for i in range(stride):
                left = c[i - bpp] if i >= bpp else 0
                c[i] = (c[i] + ((left + prev[i]) >> 1)) & 0xFF
            cur = bytes(c)
            cur_int = int.from_bytes(cur, "big")
        elif ftype == 4:  # Paeth
            c = bytearray(line)
            for i in range(bpp):
                c[i] = (c[i] + prev[i]) & 0xFF
            for i in range(bpp, stride):
                a = c[i - bpp]
                b = prev[i]
                cc = prev[i - bpp]
                pa = b - cc
                pb = a - cc
                pc = pa + pb
                if pa < 0:
                    pa = -pa
                if pb < 0:
                    pb = -pb
                if pc < 0:
                    pc = -pc
                if pa <= pb and pa <= pc:
                    pred = a
                elif pb <= pc:
                    pred = b
                else:
                    pred = cc
                c[i] = (c[i] + pred) & 0xFF
            cur = bytes(c)
            cur_int = int.from_bytes(cur, "big")
        else:
            raise PNGError("bad filter type %d" % ftype)
        out[y * stride:(y + 1) * stride] = cur
        prev = cur
        prev_int = cur_int
    return out


def read_png_rgb(path):
    """Decode a PNG into (width, height, RGB bytes), alpha composited on white."""
    with open(path, "rb") as fh:
        data = fh.read()
    if not data.startswith(PNG_SIGNATURE):
        raise PNGError("not a PNG")
    pos = 8
    ihdr = None
    palette = None
    trns = None
    idat = []
    while pos + 8 <= len(data):
        length, ctype = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if ctype == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif ctype == b"PLTE":
            palette = body
        elif ctype == b"tRNS":
            trns = body
        elif ctype == b"IDAT":
            idat.append(body)
        elif ctype == b"IEND":
            break
    if ihdr is None or not idat:
        raise PNGError("missing IHDR or IDAT")
    width, height, depth, color, _comp, _filt, interlace = ihdr
    if interlace:
        raise PNGError("interlaced PNG not supported")
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}.get(color)
    if channels is None:
        raise PNGError("bad colour type %d" % color)
    if depth not in (8, 16) or (color == 3 and depth != 8):
        raise PNGError("bit depth %d not supported" % depth)
    bpp = channels * depth // 8
    try:
        raw = zlib.decompress(b"".join(idat))
    except zlib.error as exc:
        raise PNGError("zlib: %s" % exc)
    px = unfilter(raw, width, height, bpp)
    if depth == 16:  # keep the high byte of each sample
        px = px[0::2]
    n = width * height
    if color == 3:
        if palette is None:
            raise PNGError("palette image without PLTE")
        pal = bytearray(768)
        pal[:len(palette)] = palette[:768]
        alpha = bytearray(b"\xff" * 256)
        if trns:
            alpha[:len(trns)] = trns[:256]
        table = [None] * 256
        for i in range(256):
            a = alpha[i]
            table[i] = bytes(
                (pal[3 * i + k] * a + 255 * (255 - a)) // 255 for k in range(3))
        rgb = b"".join(table[i] for i in px)
        return width, height, rgb
    if color in (0, 4):
        grey = px[0::channels]
        rgb = bytearray(3 * n)
        rgb[0::3] = grey
        rgb[1::3] = grey
        rgb[2::3] = grey
        if color == 4:
            _composite(rgb, px[1::2])
        return width, height, bytes(rgb)
    if color == 2:
        return width, height, bytes(px)
    rgb = bytearray(3 * n)
    rgb[0::3] = px[0::4]
    rgb[1::3] = px[1::4]
    rgb[2::3] = px[2::4]
    _composite(rgb, px[3::4])
    return width, height, bytes(rgb)


def _composite(rgb, alpha):
    """Composite in place over white, touching only non-opaque pixels."""
    if alpha.count(255) == len(alpha):
        return
    for i, a in enumerate(alpha):
        if a != 255:
            for k in range(3 * i, 3 * i + 3):
                rgb[k] = (rgb[k] * a + 255 * (255 - a)) // 255


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
