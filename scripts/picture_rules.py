"""Per-package picture rules (role, style, licence, which files to take) and the plan and
sample they drive; `scripts/picture_sources.py --help` explains them."""

import hashlib
import os
import re
import shutil
import struct
from collections import Counter
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

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
