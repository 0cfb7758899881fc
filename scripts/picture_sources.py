#!/usr/bin/env python3
"""Which pictures of which Debian packages Tinct's line-art data sets use.

Used by scripts/fetch-data.sh; standard library only. One table, SOURCES,
says for every package besides openclipart-svg (which fetch-data.sh plans
itself) its role, style, licence and which files to take:

  train    rendered into DIR/render/png/ next to the openclipart renders,
           filtered together with them by filter_clipart.py and split ~95/5
           into DIR/lineart/{train,val}/
  heldout  rendered into DIR/render/heldout/<package>/, filtered alone, and
           about HELDOUT_COUNT of the kept pictures (evenly spaced in name
           order) hard-linked into DIR/heldout/<package>/ — never in lineart/

Subcommands:

  packages [--role train|heldout]
      print the package names, one a line, in table order
  plan --package P --raw DIR/raw --out PLAN.tsv [--limit N]
      list the chosen files of an extracted package as rows
      `name <TAB> source <TAB> width <TAB> height` (width and height 0 for
      SVG, which is rendered to 384 px on its longest side; rasters are
      composited on white at their own size, shrunk to 384 px when larger),
      sorted by name; writes PLAN.json with the counts of what was left out
      and why
  sample --src FOLDER --out FOLDER [--count N]
      hard-link N kept pictures, evenly spaced in name order, into --out
  report --data DIR [--clipart openclipart-svg]
      print JSON for DIR/MANIFEST.json: per package its role, style, licence
      (checked by hand) and the licences its copyright file gives the files
      used, and per package, split and reason the pictures kept and dropped
  licences --data DIR
      print the LICENSES.md sections of the packages in the table

A file is left out of a plan, for the first reason that applies:

  symlink         a link (the file it points to is considered on its own)
  rule            its path is outside `include` or matches `exclude`
  svg_preferred   a PNG next to an SVG of the same name (tuxpaint ships
                  PNG fallbacks of its SVG stamps)
  smaller_size    an icon theme's smaller size of an icon drawn at several
                  sizes: only the largest is kept
  animation_frame a later frame of an animation whose first frame is kept
  identical_copy  byte-identical to a file kept earlier in name order
  unreadable      a raster whose size cannot be read
  tiny            a raster with a side under MIN_SIDE px at source
  elongated       a raster longer than MAX_ASPECT times its width or the
                  other way round: sprite strips, tile sheets

Output names are `<package>__<path under base, / as __, other characters
outside [A-Za-z0-9._-] as _>.png`.
"""

import argparse
import hashlib
import json
import os
import re
import shutil
import struct
import sys
from collections import Counter
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from urllib.parse import unquote

MIN_SIDE = 64
MAX_ASPECT = 4.0
HELDOUT_COUNT = 150
RASTER = (".png", ".jpg", ".jpeg", ".gif")


@dataclass(frozen=True)
class Source:
    """One package: what to take from it and under which licence."""

    package: str
    role: str  # "train" or "heldout"
    style: str
    licence: str  # short SPDX-like name, checked by hand against the copyright file
    base: str  # folder inside the extracted package that names are relative to
    include: tuple  # fnmatch patterns on the path under base (`*` crosses `/`)
    exclude: tuple = ()  # fnmatch patterns on the lower-cased path under base
    sizes: str = ""  # regex with groups size, cat, name: keep the largest size per (cat, name)
    frames: str = ""  # regex with group key: keep the first file per key
    prefer_svg: bool = False
    licence_note: str = ""
    notes: tuple = field(default=())


SOURCES = (
    Source(
        "papirus-icon-theme", "train", "flat vector application and device icons",
        "GPL-3.0-only", "usr/share/icons/Papirus/64x64",
        include=("apps/*.svg", "devices/*.svg"),
        exclude=("*symbolic*", "*-panel*"),
        notes=("one size (64x64); places/ (one folder shape in many colours) and "
               "mimetypes/ (one page shape) left out",)),
    Source(
        "elementary-icon-theme", "train", "shaded vector icons (gradients, highlights)",
        "GPL-3.0-or-later", "usr/share/icons/elementary",
        include=("*/*/*.svg",),
        exclude=("*/symbolic/*", "cursors/*", "*@*", "*-symbolic.svg"),
        sizes=r"^(?P<cat>[^/]+)/(?P<size>\d+)/(?P<name>[^/]+)$",
        licence_note="a few action icons (node-*, segment-*, ...) are GPL-2.0 by their own stanza",
        notes=("largest drawn size of each icon",)),
    Source(
        "oxygen-icon-theme", "train", "glossy raster icons (KDE Oxygen)",
        "LGPL-3.0-or-later", "usr/share/icons/oxygen/base",
        include=("*/*/*.png",),
        sizes=r"^(?P<size>\d+)x\d+/(?P<cat>[^/]+)/(?P<name>[^/]+)$",
        notes=("largest size of each icon, 64 px or more",)),
    Source(
        "gnome-icon-theme-gartoon", "train", "cartoon vector icons with thick outlines",
        "GPL-2.0-or-later", "usr/share/icons/gartoon/scalable",
        include=("*.svg",)),
    Source(
        "tango-icon-theme", "train", "shaded vector icons (Tango style guide)",
        "public-domain", "usr/share/icons/Tango/scalable",
        include=("*.svg",)),
    Source(
        "tuxpaint-stamps-default", "train", "cartoon stamps for children (vector and raster)",
        "GPL-2.0-or-later", "usr/share/tuxpaint/stamps",
        include=("*.svg", "*cartoon*.png"),
        exclude=("*_mirror.*", "*_flip.*", "symbols/alphabets/*"),
        prefer_svg=True,
        notes=("SVG stamps and the PNG ones under cartoon/ folders: most other PNG stamps "
               "are cut-out photographs (animals, plants, food), checked by eye",
               "mirrored variants and alphabet letters left out")),
    Source(
        "wesnoth-1.16-data", "train", "painted fantasy portraits and unit sprites",
        "GPL-2.0-or-later", "usr/share/games/wesnoth/1.16/data/core/images",
        include=("portraits/*.png", "units/*.png", "items/*.png", "scenery/*.png"),
        exclude=("*/transparent/*", "*shadow*", "*-sparkle*", "*halo*"),
        frames=r"^(?P<key>units/.+?)\d+\.png$",
        notes=("first frame of each unit animation (fighter-melee-1.png, not -2 to -6): "
               "5,700 near-identical 72 px frames would outnumber every other package",
               "units keep magenta team-colour pixels (recoloured by the game at run time)",
               "terrain tiles, halos, projectiles and 60 px attack icons left out")),
    Source(
        "supertux-data", "train", "cartoon platform-game sprites and backgrounds",
        "GPL-3.0-or-later", "usr/share/games/supertux2/images",
        include=("creatures/*.png", "objects/*.png", "background/*.png",
                 "background/*.jpg", "decal/*.png"),
        exclude=("*right*", "*tiles*", "*particle*", "*-mask*", "*_mask*"),
        notes=("right-facing frames (mirrors of left-facing ones) left out",
               "tiles/ and worldmap/ (tile sets) left out")),
    Source(
        "pysiogame", "train", "inked and coloured children's illustrations (Art4Apps)",
        "CC-BY-SA", "usr/share/games/pysiogame/res/images",
        include=("art4apps/*.jpg", "memory/*.png", "fc/*.jpg", "match_animals/*.png"),
        licence_note=("the copyright file gives images/* as public domain (drawn by the "
                      "author or taken from openclipart and Tango), but CREDITS.txt says "
                      "the art4apps/ pictures come from art4apps.org under CC BY-SA; the "
                      "stricter licence is recorded for the package")),
    Source(
        "scratch", "train", "cartoon costumes of Scratch 1.4",
        "CC-BY-SA-3.0", "usr/share/scratch/Media/Costumes",
        include=("*.gif", "*.png", "*.jpg"),
        # cut-out photographs among the drawings, checked by eye
        exclude=("letters/*", "people/*", "animals/bird-flying.*", "animals/buffalo*",
                 "animals/cow*", "animals/elephant.*", "animals/giraffe*",
                 "animals/grasshopper2.*", "animals/insect*", "animals/squirrel*",
                 "things/cheesy-puffs.*", "things/fire-hydrant.*", "things/flower-vase.*",
                 "things/fortune_cookie.*", "things/fruit_platter.*", "things/hair*",
                 "things/lamp.*", "things/lego.*", "things/manhole.*",
                 "things/marble-building.*", "things/palmtree.*", "things/scoreboard.*",
                 "things/tennisball.*", "things/trampoline.*", "things/umbrella.*",
                 "transportation/airplane.*", "transportation/bike.*",
                 "transportation/bus.*", "transportation/car-blue.*",
                 "transportation/car-bug.*", "transportation/sail-boat.*",
                 "transportation/street-cleaner-mit.*", "transportation/yacht.*"),
        notes=("letters, people/ (mostly photographs of people) and the cut-out "
               "photographs among animals, things and vehicles left out",)),
    Source(
        "hedgewars-data", "heldout", "cartoon game art: theme objects, forts, mission scenes",
        "GPL-2.0-only", "usr/share/games/hedgewars/Data",
        include=("Graphics/Missions/*.png", "Themes/*.png", "Forts/*L.png"),
        exclude=("*tex*", "*border*", "*/sky*", "*horizont*", "*flake*", "*cloud*",
                 "*splash*", "*droplet*", "*water*", "*/sd*", "*chunk*", "*girder*",
                 "*/icon*", "*dust*", "*mask*", "*snowball*"),
        notes=("Graphics/Hedgehog and Graves (animation strips), sky, water, "
               "texture and particle images left out; right-facing forts (mirrors) too",)),
    Source(
        "endless-sky-data", "heldout", "rendered space ships and outfits",
        "CC-BY-SA-4.0", "usr/share/games/endless-sky/images",
        include=("ship/*.png", "outfit/*.png"),
        frames=r"^(?P<key>.*?)[-+=~^]\d+\.png$",
        notes=("one frame per animated ship; planets (textured spheres) and scenes "
               "(photographs) left out",)),
)

BY_NAME = {s.package: s for s in SOURCES}


def picture_size(path):
    """(width, height) of a PNG, GIF or JPEG from its header, or None."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(32)
            if head[:8] == b"\x89PNG\r\n\x1a\n":
                return struct.unpack(">II", head[16:24])
            if head[:6] in (b"GIF87a", b"GIF89a"):
                return struct.unpack("<HH", head[6:10])
            if head[:2] != b"\xff\xd8":
                return None
            fh.seek(2)
            while True:
                marker = fh.read(4)
                if len(marker) < 4 or marker[0] != 0xFF:
                    return None
                kind, length = marker[1], struct.unpack(">H", marker[2:4])[0]
                if 0xC0 <= kind <= 0xCF and kind not in (0xC4, 0xC8, 0xCC):
                    h, w = struct.unpack(">xHH", fh.read(5))
                    return w, h
                fh.seek(length - 2, os.SEEK_CUR)
    except (OSError, struct.error):
        return None


def output_name(package, rel):
    stem = os.path.splitext(rel)[0]
    return re.sub(r"[^A-Za-z0-9._-]", "_", package + "__" + stem.replace(os.sep, "__")) + ".png"


def plan(source, root, limit):
    """Rows (name, path, w, h) of the chosen files and a Counter of what was left out."""
    base = os.path.join(root, source.base)
    skipped = Counter()
    files = []
    for d, dirs, names in os.walk(base):
        dirs.sort()
        for f in sorted(names):
            p = os.path.join(d, f)
            rel = os.path.relpath(p, base)
            ext = os.path.splitext(f)[1].lower()
            if ext not in RASTER + (".svg",):
                continue
            if os.path.islink(p):
                skipped["symlink"] += 1
            elif (not any(fnmatchcase(rel, pat) for pat in source.include)
                  or any(fnmatchcase(rel.lower(), pat) for pat in source.exclude)):
                skipped["rule"] += 1
            else:
                files.append(rel)
    if source.prefer_svg:
        svgs = {os.path.splitext(r)[0] for r in files if r.endswith(".svg")}
        kept = [r for r in files if r.endswith(".svg") or os.path.splitext(r)[0] not in svgs]
        skipped["svg_preferred"] += len(files) - len(kept)
        files = kept
    if source.sizes:
        pattern = re.compile(source.sizes)
        best = {}
        for r in files:
            m = pattern.match(r)
            key = (m.group("cat"), m.group("name")) if m else r
            size = int(m.group("size")) if m else 0
            if key not in best or size > best[key][0]:
                best[key] = (size, r)
        kept = sorted(r for _, r in best.values())
        skipped["smaller_size"] += len(files) - len(kept)
        files = kept
    if source.frames:
        pattern = re.compile(source.frames)
        seen, kept = set(), []
        for r in sorted(files):
            m = pattern.match(r)
            key = m.group("key") if m else r
            if key in seen:
                skipped["animation_frame"] += 1
                continue
            seen.add(key)
            kept.append(r)
        files = kept
    rows, digests, names = [], set(), set()
    for rel in sorted(files):
        path = os.path.join(base, rel)
        with open(path, "rb") as fh:
            digest = hashlib.sha1(fh.read()).hexdigest()
        if digest in digests:
            skipped["identical_copy"] += 1
            continue
        digests.add(digest)
        w = h = 0
        if not rel.lower().endswith(".svg"):
            size = picture_size(path)
            if size is None:
                skipped["unreadable"] += 1
                continue
            w, h = size
            if min(w, h) < MIN_SIDE:
                skipped["tiny"] += 1
                continue
            if max(w, h) > MAX_ASPECT * min(w, h):
                skipped["elongated"] += 1
                continue
        name = output_name(source.package, rel)
        if name in names:  # e.g. foo.png next to foo.jpg
            name = name[:-4] + "_" + digest[:8] + ".png"
        names.add(name)
        rows.append((name, path, w, h))
    rows.sort()
    stats = {"chosen": len(rows), "left_out": dict(sorted(skipped.items()))}
    if limit and len(rows) > limit:
        rows = rows[:limit]
        stats["limit"] = limit
    stats["planned"] = len(rows)
    return rows, stats


def sample(src, out, count):
    """Hard-link `count` pictures of `src`, evenly spaced in name order, into `out`."""
    names = sorted(f for f in os.listdir(src) if f.endswith(".png"))
    if len(names) > count:
        names = [names[i * len(names) // count] for i in range(count)]
    os.makedirs(out, exist_ok=True)
    keep = set(names)
    for f in os.listdir(out):
        if f not in keep:
            os.remove(os.path.join(out, f))
    for f in names:
        dst = os.path.join(out, f)
        if os.path.exists(dst):
            if os.path.samefile(dst, os.path.join(src, f)):
                continue
            os.remove(dst)
        try:
            os.link(os.path.join(src, f), dst)
        except OSError:
            shutil.copy2(os.path.join(src, f), dst)
    return len(names)


# ---------------------------------------------------------------------------
# Reports: MANIFEST.json and LICENSES.md
# ---------------------------------------------------------------------------

def package_of(name):
    """The table's package a lineart name comes from, or None (openclipart)."""
    pkg = name.split("__", 1)[0]
    return pkg if pkg in BY_NAME and "__" in name else None


def read_plan(path):
    """{name: source path} of a plan TSV (empty when missing)."""
    try:
        with open(path) as fh:
            return {row[0]: row[1] for row in (l.rstrip("\n").split("\t") for l in fh) if row[0]}
    except OSError:
        return {}


def load_json(path, default=None):
    try:
        with open(path) as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return default


def listing(folder):
    try:
        return sorted(f for f in os.listdir(folder) if f.endswith(".png"))
    except OSError:
        return []


def failures(folder, names):
    """Counter of render failures (timeout / error) among `names`."""
    out = Counter()
    for n in names:
        try:
            with open(os.path.join(folder, n + ".txt")) as fh:
                why = fh.read().split("\t", 1)[0]
        except OSError:
            continue
        out["render_timeout" if why == "timeout" else "render_error"] += 1
    return out


def filter_drops(dropped_tsv):
    """{name: reason} from filter_clipart.py's dropped.tsv."""
    out = {}
    try:
        with open(dropped_tsv) as fh:
            next(fh, None)
            for line in fh:
                name, reason = line.rstrip("\n").split("\t")[:2]
                out[name] = reason
    except OSError:
        pass
    return out


def copyright_path(data, pkg):
    return os.path.join(data, "raw", pkg, "usr", "share", "doc", pkg, "copyright")


def dep5_stanzas(text):
    """Stanzas (dicts) of a machine-readable Debian copyright file; [] otherwise."""
    if not text.startswith("Format:"):
        return []
    stanzas, cur, key = [], {}, None
    for line in text.splitlines():
        if not line.strip():
            if cur:
                stanzas.append(cur)
            cur, key = {}, None
        elif line[0] in " \t":
            if key:
                cur[key] += "\n" + line.strip()
        else:
            key, _, value = line.partition(":")
            cur[key] = value.strip()
    if cur:
        stanzas.append(cur)
    return stanzas


def copyright_licence(stanzas, rel):
    """License of the last Files stanza matching `rel` (a path in the package), or None."""
    found = None
    for s in stanzas:
        for pat in s.get("Files", "").split():
            if pat == "*" or fnmatchcase(rel, pat) or fnmatchcase(rel, "*/" + pat):
                found = s.get("License", "").split("\n")[0].strip() or None
    return found


def package_version(data, pkg):
    """Version from the .deb name the package was extracted from, or None."""
    try:
        with open(os.path.join(data, "raw", pkg, ".extracted-from")) as fh:
            return unquote(fh.read().strip().split("_")[1])  # 5%3a5.1-1 -> 5:5.1-1
    except (OSError, IndexError):
        return None


def used_pictures(data):
    """{package: {"kind": ..., "names": {name: split}, "plan": {...}}} of the table's packages."""
    render = os.path.join(data, "render")
    out = {s.package: {"names": {}} for s in SOURCES}
    for split in ("train", "val"):
        for n in listing(os.path.join(data, "lineart", split)):
            pkg = package_of(n)
            if pkg:
                out[pkg]["names"][n] = split
    for s in SOURCES:
        if s.role == "train":
            out[s.package]["plan"] = read_plan(os.path.join(render, "plans", s.package + ".tsv"))
        else:
            out[s.package]["plan"] = read_plan(os.path.join(render, "heldout", s.package, "plan.tsv"))
            for n in listing(os.path.join(data, "heldout", s.package)):
                out[s.package]["names"][n] = "heldout"
    return out


def report(data, clipart):
    render = os.path.join(data, "render")
    used = used_pictures(data)
    packages, lineart, heldout = {}, {}, {}
    lineart_drops = filter_drops(os.path.join(data, "lineart", "dropped.tsv"))
    clip_kept = Counter()
    for split in ("train", "val"):
        for n in listing(os.path.join(data, "lineart", split)):
            if package_of(n) is None:
                clip_kept[split] += 1
    # openclipart-svg: planned by fetch-data.sh itself
    clip_plan = load_json(os.path.join(render, "plan-stats.json"), {})
    selected = []
    try:
        with open(os.path.join(render, "selection.names")) as fh:
            selected = [l.strip() for l in fh if l.strip() and package_of(l.strip()) is None]
    except OSError:
        pass
    dropped = Counter({"symlink": clip_plan.get("symlinks", 0),
                       "identical_copy": clip_plan.get("identical_copies", 0)})
    dropped.update(failures(os.path.join(render, "failed"), selected))
    dropped.update(r for n, r in lineart_drops.items() if package_of(n) is None)
    lineart[clipart] = {"selected": len(selected),
                        "kept": {s: clip_kept[s] for s in ("train", "val")},
                        "dropped": dict(sorted((k, v) for k, v in dropped.items() if v))}
    for s in SOURCES:
        u = used[s.package]
        info = {"role": s.role, "style": s.style, "licence": s.licence}
        if s.licence_note:
            info["licence_note"] = s.licence_note
        if s.notes:
            info["selection_notes"] = list(s.notes)
        text = ""
        try:
            with open(copyright_path(data, s.package), encoding="utf-8", errors="replace") as fh:
                text = fh.read()
        except OSError:
            pass
        stanzas = dep5_stanzas(text)
        if stanzas:
            base = os.path.join(data, "raw", s.package)
            per = Counter(copyright_licence(stanzas, os.path.relpath(u["plan"][n], base))
                          or "not listed" for n in u["names"] if n in u["plan"])
            info["copyright_file_licences"] = dict(sorted(per.items()))
        elif text:
            info["copyright_file_licences"] = "free-form copyright file (see LICENSES.md)"
        packages[s.package] = info
        plan_json = (os.path.join(render, "plans", s.package + ".json") if s.role == "train"
                     else os.path.join(render, "heldout", s.package, "plan.json"))
        stats = load_json(plan_json, {})
        dropped = Counter(stats.get("left_out", {}))
        if s.role == "train":
            dropped.update(failures(os.path.join(render, "failed"), u["plan"]))
            dropped.update(r for n, r in lineart_drops.items() if package_of(n) == s.package)
            kept = Counter(u["names"].values())
            lineart[s.package] = {"selected": len(u["plan"]),
                                  "kept": {k: kept[k] for k in ("train", "val")},
                                  "dropped": dict(sorted(dropped.items()))}
        else:
            d = os.path.join(render, "heldout", s.package)
            dropped.update(failures(os.path.join(d, "failed"), u["plan"]))
            dropped.update(filter_drops(os.path.join(d, "filtered", "dropped.tsv")).values())
            passed = len(listing(os.path.join(d, "filtered", "train")))
            heldout[s.package] = {"path": "heldout/" + s.package, "selected": len(u["plan"]),
                                  "passed_filter": passed, "count": len(u["names"]),
                                  "dropped": dict(sorted(dropped.items()))}
    return {"packages": packages, "lineart": lineart, "heldout": heldout}


def licences(data):
    """Markdown sections of LICENSES.md for the table's packages."""
    used = used_pictures(data)
    out = []
    for s in SOURCES:
        u = used[s.package]
        where = "`lineart/`" if s.role == "train" else "`heldout/%s/`" % s.package
        role = "line art (training)" if s.role == "train" else "held-out test set"
        out += ["## %s (%s) — %s, %s" % (s.package, package_version(data, s.package)
                                          or "not available", role, where), ""]
        cp = copyright_path(data, s.package)
        if not os.path.exists(cp):
            out += ["Package not available; nothing used.", ""]
            continue
        out += ["**Licence: %s** (checked by hand against the copyright file). %s; "
                "%d picture(s) used, named `%s__<path under /%s>`." % (
                    s.licence, s.style[0].upper() + s.style[1:], len(u["names"]),
                    s.package, s.base), ""]
        if s.licence_note:
            out += ["Note: " + s.licence_note + ".", ""]
        with open(cp, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
        out += ["Copyright file: `%s`" % os.path.relpath(cp, data), "", "```"]
        stanzas = dep5_stanzas(text)
        if stanzas:
            for st in stanzas:
                if "Files" not in st:
                    continue
                for k in ("Files", "Copyright", "License"):
                    if k in st:
                        v = st[k].split("\n")[0] if k == "License" else st[k].replace("\n", " ")
                        out.append("%s: %s" % (k, v if len(v) <= 200 else v[:197] + "..."))
                out.append("")
            out.pop()
        else:  # free-form: its first licence paragraph
            lines = [l.rstrip() for l in text.splitlines()]
            start = next((i for i, l in enumerate(lines) if re.match(r"licen[cs]es?:", l, re.I)), 0)
            block = []
            for l in lines[start:start + 20]:
                if l.strip().startswith("---"):
                    break
                block.append(l)
            out += block
        out += ["```", ""]
    return "\n".join(out).rstrip() + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("packages")
    p.add_argument("--role", choices=("train", "heldout"))
    p = sub.add_parser("plan")
    p.add_argument("--package", required=True, choices=sorted(BY_NAME))
    p.add_argument("--raw", required=True, help="folder of extracted packages")
    p.add_argument("--out", required=True, help="plan TSV to write (stats beside it, .json)")
    p.add_argument("--limit", type=int, default=0)
    p = sub.add_parser("sample")
    p.add_argument("--src", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--count", type=int, default=HELDOUT_COUNT)
    p = sub.add_parser("report")
    p.add_argument("--data", required=True)
    p.add_argument("--clipart", default="openclipart-svg")
    p = sub.add_parser("licences")
    p.add_argument("--data", required=True)
    opts = ap.parse_args()

    if opts.command == "packages":
        for s in SOURCES:
            if opts.role in (None, s.role):
                print(s.package)
    elif opts.command == "plan":
        rows, stats = plan(BY_NAME[opts.package], os.path.join(opts.raw, opts.package), opts.limit)
        with open(opts.out + ".part", "w") as fh:
            fh.writelines("%s\t%s\t%d\t%d\n" % row for row in rows)
        os.replace(opts.out + ".part", opts.out)
        with open(os.path.splitext(opts.out)[0] + ".json", "w") as fh:
            json.dump(stats, fh, indent=2, sort_keys=True)
            fh.write("\n")
        print("picture_sources: %s: %d planned, left out %s" % (
            opts.package, stats["planned"], json.dumps(stats["left_out"])), file=sys.stderr)
    elif opts.command == "sample":
        n = sample(opts.src, opts.out, opts.count)
        print("picture_sources: %d pictures in %s" % (n, opts.out), file=sys.stderr)
    elif opts.command == "report":
        json.dump(report(opts.data, opts.clipart), sys.stdout, indent=2, sort_keys=True)
        print()
    else:
        sys.stdout.write(licences(opts.data))


if __name__ == "__main__":
    main()
