"""Chooses, checks and copies the photographs of packages (see photo_set in scripts/fetch-data.sh).

Usage (from scripts/fetch-data.sh): photo_set.py DATA MODE OUT REPORT PACKAGE...
"""
import hashlib, json, os, re, shutil, subprocess, sys
from collections import Counter
from fnmatch import fnmatchcase
data, mode, out, report_path, pkgs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
raw, rendered = os.path.join(data, "raw"), os.path.join(data, "render", "photo")
only = {}  # package -> fnmatch patterns of the files to take (PHOTO_RULES)
for line in os.environ.get("PHOTO_RULES", "").strip().splitlines():
    pkg, pats, _note = line.split("|", 2)
    only[pkg] = pats.split()
exclude = set()  # digests of the held-out photographs
if os.environ.get("PHOTO_EXCLUDE"):
    try:
        with open(os.environ["PHOTO_EXCLUDE"]) as fh:
            exclude = set(json.load(fh).get("digests", []))
    except (OSError, ValueError):
        sys.exit("fetch-data: cannot read %s" % os.environ["PHOTO_EXCLUDE"])
KEEP = (".jpg", ".jpeg", ".png")
CONVERTED = (".webp", ".svg")  # decoded/rendered to PNG under `rendered`
OTHER = (".jxl", ".avif", ".tif", ".tiff", ".bmp", ".gif")
candidates, report = [], {"packages": {}}
for pkg in pkgs:
    base = os.path.join(raw, pkg)
    stats = {"found": 0, "skipped_formats": Counter(), "not_chosen": 0, "symlinks": 0}
    report["packages"][pkg] = stats
    if not os.path.isdir(base):
        stats["missing"] = True
        continue
    for d, dirs, files in os.walk(base):
        dirs.sort()
        if os.sep + "doc" in d[len(base):] or os.sep + "icons" in d[len(base):]:
            continue  # documentation, theme icons: not wallpapers
        for f in sorted(files):
            p = os.path.join(d, f)
            ext = os.path.splitext(f)[1].lower()
            if ext not in KEEP + CONVERTED + OTHER:
                continue
            if os.path.islink(p):
                stats["symlinks"] += 1  # KDE's other sizes: the file it points to is taken on its own
                continue
            rel_in_pkg = os.path.relpath(p, base)
            if pkg in only and not (
                    any(fnmatchcase(rel_in_pkg, pat) for pat in only[pkg] if pat[0] != "!")
                    and not any(fnmatchcase(rel_in_pkg, pat[1:]) for pat in only[pkg] if pat[0] == "!")):
                stats["not_chosen"] += 1  # drawn or rendered art of a mixed package
                continue
            if ext in OTHER:
                stats["skipped_formats"][ext[1:]] += 1
                continue
            if ext in CONVERTED:
                png = os.path.join(rendered, os.path.relpath(p, raw))[:-len(ext)] + ".png"
                if not os.path.isfile(png):
                    stats["skipped_formats"][ext[1:] + "_failed"] += 1
                    continue
                p, ext = png, ".png"
                base_for_link = rendered
            elif ext not in KEEP:
                continue
            else:
                base_for_link = base
            real = os.path.realpath(p)
            if not os.path.isfile(real) or not real.startswith(base_for_link + os.sep):
                continue  # dangling or points outside the extracted package
            rel = os.path.relpath(os.path.join(d, f), base)
            rel = re.sub(r"^usr/(share/(backgrounds|wallpapers|lxqt/wallpapers|tuxtype/images)"
                         r"|lib/python3/dist-packages/skimage/data)/", "", rel)
            rel = rel.replace("/contents/images/", "/")  # KDE wallpaper packages
            name = re.sub(r"[^A-Za-z0-9._-]", "_", pkg + "__" + rel.replace(os.sep, "__"))
            name = os.path.splitext(name)[0] + (".jpg" if ext == ".jpeg" else ext)
            stats["found"] += 1
            candidates.append((name, real, pkg))
def is_grey(blob):
    """True for a greyscale PNG (colour type 0/4) or JPEG (one component)."""
    if blob[:8] == b"\x89PNG\r\n\x1a\n":
        return blob[25] in (0, 4)
    i = 2
    while i + 9 < len(blob) and blob[:2] == b"\xff\xd8":
        if blob[i] != 0xFF:
            break
        marker = blob[i + 1]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            return blob[i + 9] == 1  # SOFn: components count
        i += 2 + int.from_bytes(blob[i + 2:i + 4], "big")
    return False
def channel_spread(path):
    """Mean over pixels of (max - min) of R, G, B on a preview about 256 px wide, or None."""
    # -background=white: without it netpbm 11 mixes alpha with an uninitialised colour
    decode = (["jpegtopnm", "-quiet"] if path.lower().endswith(".jpg")
              else ["pngtopnm", "-quiet", "-mix", "-background=white"])
    try:
        pnm = subprocess.run(decode + [path], capture_output=True, timeout=120).stdout
        small = subprocess.run(["pamscale", "-quiet", "-width", "256", "-"], input=pnm,
                               capture_output=True, timeout=120).stdout
        ppm = subprocess.run(["pamtopnm", "-quiet", "-plain"], input=small, capture_output=True, timeout=120).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    fields = ppm.split()
    if fields[:1] in ([b"P1"], [b"P2"]):
        return 0.0  # a bitmap or greymap: no colour at all
    if len(fields) < 4 or fields[0] != b"P3":
        return None
    values = [int(v) for v in fields[4:]]
    scale = 255 / max(1, int(fields[3]))
    spreads = [max(values[i:i + 3]) - min(values[i:i + 3]) for i in range(0, len(values) - 2, 3)]
    return scale * sum(spreads) / max(1, len(spreads))
seen_hash, seen_key, kept = set(), set(), []
dups = Counter()
for name, path, pkg in sorted(candidates):
    blob = open(path, "rb").read()
    digest = hashlib.sha1(blob).hexdigest()
    key = re.sub(r"_\d+x\d+(\.[a-z]+)$", r"\1", name)  # Name_3840x2160.jpg -> Name.jpg
    if digest in seen_hash:
        dups["identical"] += 1
        continue
    if digest in exclude:
        dups["heldout_copy"] += 1  # the same photograph is in the held-out set
        continue
    if key in seen_key:
        dups["resolution_variant"] += 1
        continue
    if is_grey(blob):
        dups["greyscale"] += 1  # no colour to learn from
        continue
    spread = channel_spread(path)
    if spread is None:
        dups["undecodable"] += 1
        continue
    if spread < 4:
        dups["greyscale_content"] += 1  # stored as colour, but grey: nothing to learn or check
        continue
    seen_hash.add(digest)
    seen_key.add(key)
    kept.append((name, path, pkg, key, digest))
def bucket(key):
    return int.from_bytes(hashlib.sha1(key.encode()).digest()[:4], "big") % 10000
if mode == "heldout":
    splits = ("heldout",)
    split = {r[0]: "heldout" for r in kept}
    folder_of = {"heldout": out}
else:
    splits = ("train", "val")
    split = {n: ("val" if bucket(k) < 1000 else "train") for n, _, _, k, _ in kept}
    need = min(6, len(kept) // 5)  # at least 6 in val (when there are >= 30): few pictures, noisy metrics
    by_bucket = sorted(kept, key=lambda r: bucket(r[3]))
    for n, _, _, _, _ in by_bucket:
        if sum(1 for s in split.values() if s == "val") >= need:
            break
        split[n] = "val"
    folder_of = {s: os.path.join(out, s) for s in splits}
for s in splits:
    folder = folder_of[s]
    os.makedirs(folder, exist_ok=True)
    want = {n for n, v in split.items() if v == s}
    for f in os.listdir(folder):
        if f not in want and os.path.isfile(os.path.join(folder, f)):
            os.remove(os.path.join(folder, f))
for n, path, pkg, _, _ in kept:
    dst = os.path.join(folder_of[split[n]], n)
    if os.path.exists(dst) and os.path.getsize(dst) == os.path.getsize(path):
        continue
    if os.path.exists(dst):
        os.remove(dst)
    try:
        os.link(path, dst)
    except OSError:
        shutil.copy2(path, dst)
per_pkg = Counter()
for n, _, pkg, _, _ in kept:
    per_pkg[(pkg, split[n])] += 1
for pkg in pkgs:
    st = report["packages"][pkg]
    st["kept"] = {s: per_pkg[(pkg, s)] for s in splits}
    st["skipped_formats"] = dict(sorted(st["skipped_formats"].items()))
report["kept"] = {s: sum(1 for v in split.values() if v == s) for s in splits}
report["dropped"] = dict(sorted(dups.items()))
report["files"] = {n: {"split": split[n], "source": os.path.relpath(p, data)}
                   for n, p, _, _, _ in sorted(kept)}
if mode == "heldout":
    report["digests"] = sorted(r[4] for r in kept)
with open(report_path + ".part", "w") as fh:
    json.dump(report, fh, indent=2, sort_keys=True)
    fh.write("\n")
os.replace(report_path + ".part", report_path)
