#!/usr/bin/env bash
# scripts/fetch-data.sh — build Tinct's training datasets from Debian packages.
#
# Usage: scripts/fetch-data.sh [--limit N] [--jobs N] [--data DIR]
#
#   --limit N   render only the first N pictures of each line-art package
#               (openclipart: sorted, de-duplicated SVGs) — a quick test
#   --jobs N    parallel rsvg-convert / decoder processes (default 2)
#   --data DIR  output root (default: data/ at the repository root; git-ignored)
#
# Nothing is fetched but Debian packages, through apt:
#   line art, training (DIR/lineart/):
#     openclipart-svg                                    vector clip art
#     and the "train" packages of scripts/picture_sources.py: papirus-,
#     elementary-, oxygen-, gnome-icon-theme-gartoon, tango-icon-theme
#     (icons: flat, shaded, glossy, cartoon), tuxpaint-stamps-default
#     (cartoon stamps), wesnoth-1.16-data (painted portraits and sprites),
#     supertux-data (cartoon game sprites), pysiogame (Art4Apps inked
#     illustrations), scratch (cartoon costumes)
#   line art, held out (DIR/heldout/<package>/, never trained on):
#     the "heldout" packages of picture_sources.py: hedgewars-data (cartoon
#     game art), endless-sky-data (rendered space ships and outfits)
#   photos (DIR/photo/):
#     gnome-backgrounds, mate-backgrounds, ukui-wallpapers (wallpapers)
# picture_sources.py holds, per package, its role, style, licence and which
# files to take (folders, exclusions, one size per icon, one frame per
# animation); `scripts/picture_sources.py --help` explains its rules.
#
# Steps (each one skips what an earlier run already finished, so re-running is
# cheap; delete a folder under DIR to redo that part):
#   1. apt-get update (only when a package is unknown to apt), install
#      librsvg2-bin if rsvg-convert is missing (sudo when not root), then
#      `apt-get download` the packages into DIR/debs/ and `dpkg -x` each into
#      DIR/raw/<package>/ (nothing is installed). A package apt cannot get is
#      warned about and left out.
#   2. Line art. Plan: every distinct openclipart SVG (symlinks and
#      byte-identical copies once), then each training package's files as
#      picture_sources.py chooses them (rasters under 64 px or longer than
#      4:1 left out at source). Render all with rsvg-convert on white,
#      `timeout 10` per file, into DIR/render/png/: SVGs at 384 px on the
#      longest side, rasters (PNG, JPEG, GIF; alpha composited on white, as
#      Tinct's loader does) at their own size, shrunk to 384 px when larger.
#      Failures are recorded in DIR/render/failed/ and not retried. Then
#      scripts/filter_clipart.py drops, by path, flags, one-palette icon sets
#      and colour-pattern tiles, then undecodable, pixel-identical, tiny
#      (< 64 px), elongated (> 4:1), near-empty and near-monochrome renders,
#      and splits the rest ~95/5 by a hash of the name into
#      DIR/lineart/{train,val}/ (hard links).
#      Held-out packages go the same way, each on its own, through
#      DIR/render/heldout/<package>/; about 150 of the pictures that pass the
#      filter, evenly spaced in name order, are hard-linked into
#      DIR/heldout/<package>/.
#   3. Copy (hard-link) the JPEG/PNG wallpapers into DIR/photo/{train,val}/,
#      ~90/10 by a hash of the name (at least 6 in val), originals kept: Tinct's
#      loader resizes. WebP wallpapers are decoded with dwebp and SVG ones
#      rendered with rsvg-convert (1920 px wide) into DIR/render/photo/ first.
#      Byte-identical files and resolution variants of one picture (Name.jpg,
#      Name_3840x2160.jpg) are kept once; greyscale pictures (by file type, or
#      by content: mean channel spread under 4/255 on a small preview) not at
#      all — they have no colour to learn from or to validate against.
#   4. Write DIR/MANIFEST.json (per package: version, role — train, heldout or
#      photo —, licence; per dataset and package: counts per split and drop
#      counts per reason) and DIR/LICENSES.md (licence summary and the
#      licence lines of each package's copyright file).
#
# Images are named by a sanitized relative path, e.g.
#   lineart: animals__birds__owl_01.png (openclipart),
#            wesnoth-1.16-data__items__altar-evil.png (other packages)
#   heldout: hedgewars-data/hedgewars-data__Forts__CakeL.png
#   photo:   mate-backgrounds__nature__Dune.jpg
set -euo pipefail

RENDER_SIZE=384
RENDER_TIMEOUT=10
CLIPART_PKG=openclipart-svg
PHOTO_PKGS=(gnome-backgrounds mate-backgrounds ukui-wallpapers)

# --- internal: render one picture (run by xargs, one process per file) -----
# An SVG is drawn at RENDER_SIZE on its longest side. A raster (width and
# height > 0) is wrapped in an SVG as a data: URI, so that rsvg-convert also
# composites it on white — what Tinct's loader does with alpha — at its own
# size, shrunk to RENDER_SIZE when larger, never enlarged.
if [[ ${1:-} == --render-one ]]; then
    src=$2 out=$3 failed=$4 w=${5:-0} h=${6:-0}
    tmp="$out.part.$$.png"
    size=(-w "$RENDER_SIZE" -h "$RENDER_SIZE")
    input=$src
    if [[ $w -gt 0 ]]; then
        case ${src,,} in
            *.png) mime=image/png ;; *.gif) mime=image/gif ;; *) mime=image/jpeg ;;
        esac
        input="$out.part.$$.svg"
        { printf '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="%d" height="%d"><image width="%d" height="%d" xlink:href="data:%s;base64,' \
            "$w" "$h" "$w" "$h" "$mime"; base64 -w0 "$src"; printf '"/></svg>\n'; } > "$input"
        size=()
        [[ $w -gt $RENDER_SIZE || $h -gt $RENDER_SIZE ]] && size=(-w "$RENDER_SIZE" -h "$RENDER_SIZE")
    fi
    if err=$(timeout "$RENDER_TIMEOUT" rsvg-convert --background-color=white \
            "${size[@]}" --keep-aspect-ratio -o "$tmp" "$input" 2>&1) && [[ -s $tmp ]]; then
        [[ $input != "$src" ]] && rm -f "$input"
        mv -f "$tmp" "$out"
    else
        rc=$?
        [[ $input != "$src" ]] && rm -f "$input"
        rm -f "$tmp"
        [[ $rc == 124 ]] && why=timeout || why="exit $rc"
        printf '%s\t%s\t%s\n' "$why" "$src" "${err%%$'\n'*}" > "$failed"
    fi
    exit 0  # a failed file must not stop xargs
fi

usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; }
die() { echo "fetch-data: $*" >&2; exit 1; }
log() { echo "fetch-data: $*" >&2; }

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SELF="$SCRIPT_DIR/$(basename "${BASH_SOURCE[0]}")"
REPO=$(cd "$SCRIPT_DIR/.." && pwd)
DATA="$REPO/data"
LIMIT=0
JOBS=2
while [[ $# -gt 0 ]]; do
    case $1 in
        --limit) LIMIT=${2:-}; shift 2 ;;
        --limit=*) LIMIT=${1#*=}; shift ;;
        --jobs) JOBS=${2:-}; shift 2 ;;
        --jobs=*) JOBS=${1#*=}; shift ;;
        --data) DATA=${2:-}; shift 2 ;;
        --data=*) DATA=${1#*=}; shift ;;
        -h|--help) usage; exit 0 ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
done
[[ $LIMIT =~ ^[0-9]+$ ]] || die "--limit needs a number"
[[ $JOBS =~ ^[1-9][0-9]*$ ]] || die "--jobs needs a positive number"
mkdir -p "$DATA"
DATA=$(cd "$DATA" && pwd)
export LC_ALL=C
START=$SECONDS

SUDO=
if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || die "not root and no sudo: cannot run apt-get"
    SUDO=sudo
fi

# ===========================================================================
# 1. Packages
# ===========================================================================
APT_UPDATED=0
apt_update_once() {
    if [[ $APT_UPDATED == 0 ]]; then
        log "apt-get update"
        $SUDO apt-get update -q || log "WARNING: apt-get update failed"
        APT_UPDATED=1
    fi
}
apt_knows() {  # has apt a candidate version for this package?
    local cand
    cand=$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2}')
    [[ -n $cand && $cand != "(none)" ]]
}

if ! command -v rsvg-convert >/dev/null; then
    apt_knows librsvg2-bin || apt_update_once
    log "installing librsvg2-bin (rsvg-convert)"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q librsvg2-bin
fi
command -v rsvg-convert >/dev/null || die "rsvg-convert is still missing"
# dwebp (webp) decodes GNOME's WebP wallpapers; netpbm's jpegtopnm/pngtopnm give the
# small previews the greyscale check of step 3 looks at.
if ! command -v dwebp >/dev/null || ! command -v pngtopnm >/dev/null; then
    apt_knows netpbm || apt_update_once
    log "installing webp and netpbm (wallpaper decoding)"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q webp netpbm
fi
command -v python3 >/dev/null || die "python3 is needed"
# The other line-art packages, their roles and rules: one table in picture_sources.py.
SOURCES="$SCRIPT_DIR/picture_sources.py"
mapfile -t TRAIN_PKGS < <(python3 "$SOURCES" packages --role train)
mapfile -t HELDOUT_PKGS < <(python3 "$SOURCES" packages --role heldout)
[[ ${#TRAIN_PKGS[@]} -gt 0 && ${#HELDOUT_PKGS[@]} -gt 0 ]] || die "cannot read $SOURCES"
PACKAGES=("$CLIPART_PKG" "${PHOTO_PKGS[@]}" "${TRAIN_PKGS[@]}" "${HELDOUT_PKGS[@]}")

DEBS="$DATA/debs"
RAW="$DATA/raw"
mkdir -p "$DEBS" "$RAW"

apt_download() {  # into $DEBS; as root, without apt's _apt sandbox warning
    local opts=()
    [[ -z $SUDO ]] && opts=(-o APT::Sandbox::User=root)
    (cd "$DEBS" && apt-get download -q "${opts[@]}" "$1")
}
deb_of() {  # newest downloaded .deb of a package, or nothing
    local f
    f=$(find "$DEBS" -maxdepth 1 -name "$1_*.deb" | sort -V | tail -n 1)
    echo "$f"
}

for pkg in "${PACKAGES[@]}"; do
    deb=$(deb_of "$pkg")
    if [[ -n $deb ]] && ! dpkg-deb --info "$deb" >/dev/null 2>&1; then
        log "WARNING: $deb is damaged, downloading again"
        rm -f "$deb"
        deb=
    fi
    if [[ -z $deb ]]; then
        apt_knows "$pkg" || apt_update_once
        log "downloading $pkg"
        if ! apt_download "$pkg"; then
            apt_update_once  # stale lists give 404s: refresh once and retry
            apt_download "$pkg" ||
                log "WARNING: cannot download $pkg, going on without it"
        fi
        deb=$(deb_of "$pkg")
    fi
    [[ -n $deb ]] || continue
    stamp="$RAW/$pkg/.extracted-from"
    if [[ -f $stamp && $(cat "$stamp") == "$(basename "$deb")" ]]; then
        continue
    fi
    log "extracting $(basename "$deb")"
    rm -rf "${RAW:?}/$pkg" "${RAW:?}/$pkg.part"
    mkdir -p "$RAW/$pkg.part"
    dpkg -x "$deb" "$RAW/$pkg.part"
    basename "$deb" > "$RAW/$pkg.part/.extracted-from"
    mv "$RAW/$pkg.part" "$RAW/$pkg"
done

# ===========================================================================
# 2. Line art: plan, render, filter and split; held-out sets
# ===========================================================================
SVG_ROOT="$RAW/$CLIPART_PKG/usr/share/openclipart/svg"
RENDER="$DATA/render"
PNG_DIR="$RENDER/png"
FAIL_DIR="$RENDER/failed"
PLANS="$RENDER/plans"
LINEART="$DATA/lineart"
HELDOUT="$DATA/heldout"

# render_rows ROWS PNG_DIR FAIL_DIR LABEL: render each row of ROWS (name <TAB>
# source [<TAB> width <TAB> height]) that has neither a render in PNG_DIR nor
# a recorded failure in FAIL_DIR.
render_rows() {
    local rows=$1 png=$2 failed=$3 label=$4 todo="$1.todo" ntodo i chunk=500
    mkdir -p "$png" "$failed"
    while IFS=$'\t' read -r name src w h; do
        [[ -e $png/$name || -e $failed/$name.txt ]] ||
            printf '%s\t%s\t%s\t%s\n' "$name" "$src" "${w:-0}" "${h:-0}"
    done < "$rows" > "$todo"
    ntodo=$(wc -l < "$todo")
    log "$label: $(wc -l < "$rows") pictures selected, $ntodo to render ($JOBS jobs)"
    rm -f "$png"/*.part.*.png "$png"/*.part.*.svg
    for ((i = 0; i < ntodo; i += chunk)); do
        sed -n "$((i + 1)),$((i + chunk))p" "$todo" |
            while IFS=$'\t' read -r name src w h; do
                printf '%s\0%s\0%s\0%s\0%s\0' "$src" "$png/$name" "$failed/$name.txt" "$w" "$h"
            done |
            xargs -0 -n 5 -P "$JOBS" nice -n 10 "$SELF" --render-one
        log "$label: rendered $((i + chunk < ntodo ? i + chunk : ntodo))/$ntodo"
    done
    rm -f "$todo"
}
# plan_package PKG OUT.tsv: picture_sources.py's choice of files (stats in OUT.json)
plan_package() {
    if [[ -d $RAW/$1 ]]; then
        python3 "$SOURCES" plan --package "$1" --raw "$RAW" --out "$2" --limit "$LIMIT"
    else
        log "WARNING: $1 is not available — no pictures from it"
        : > "$2"
        rm -f "${2%.tsv}.json"
    fi
}

# selection.tsv: every training picture to render, openclipart first.
mkdir -p "$PNG_DIR" "$FAIL_DIR" "$PLANS"
selection="$RENDER/selection.tsv"
: > "$selection"
if [[ -d $SVG_ROOT ]]; then
    # plan.tsv: output name <TAB> SVG path, sorted by path; symlinks and
    # byte-identical copies are left out (counted in plan-stats.json).
    python3 - "$SVG_ROOT" "$RENDER" <<'EOF'
import hashlib, json, os, re, sys
root, render = sys.argv[1], sys.argv[2]
paths, links = [], 0
for d, dirs, files in os.walk(root):
    dirs.sort()
    for f in files:
        if not f.lower().endswith(".svg"):
            continue
        p = os.path.join(d, f)
        if os.path.islink(p):
            links += 1
        else:
            paths.append(p)
paths.sort(key=lambda p: os.path.relpath(p, root))
seen, names, rows, copies = set(), set(), [], 0
for p in paths:
    digest = hashlib.sha1(open(p, "rb").read()).hexdigest()
    if digest in seen:
        copies += 1
        continue
    seen.add(digest)
    rel = os.path.relpath(p, root)[:-4]
    name = re.sub(r"[^A-Za-z0-9._-]", "_", rel.replace(os.sep, "__"))
    if name in names:
        name += "_" + digest[:8]
    names.add(name)
    rows.append("%s.png\t%s\n" % (name, p))
with open(os.path.join(render, "plan.tsv"), "w") as fh:
    fh.writelines(rows)
with open(os.path.join(render, "plan-stats.json"), "w") as fh:
    json.dump({"svg_files": len(paths) + links, "symlinks": links,
               "identical_copies": copies, "distinct": len(rows)}, fh, indent=2)
EOF
    if [[ $LIMIT -gt 0 ]]; then
        head -n "$LIMIT" "$RENDER/plan.tsv" >> "$selection"
    else
        cat "$RENDER/plan.tsv" >> "$selection"
    fi
    log "line art: $(wc -l < "$RENDER/plan.tsv") distinct openclipart SVGs"
else
    log "WARNING: no $SVG_ROOT — no openclipart line art"
fi
for pkg in "${TRAIN_PKGS[@]}"; do
    plan_package "$pkg" "$PLANS/$pkg.tsv"
    cat "$PLANS/$pkg.tsv" >> "$selection"
done
render_rows "$selection" "$PNG_DIR" "$FAIL_DIR" "line art"
cut -f1 "$selection" > "$RENDER/selection.names"
if [[ -s $RENDER/selection.names ]]; then
    nice -n 10 python3 "$SCRIPT_DIR/filter_clipart.py" --src "$PNG_DIR" \
        --list "$RENDER/selection.names" --out "$LINEART" --jobs "$JOBS" \
        --val-percent 5 >/dev/null
fi

# Held-out sets: each package rendered and filtered on its own, then a
# fixed-size, evenly spaced sample of what was kept.
for pkg in "${HELDOUT_PKGS[@]}"; do
    dir="$RENDER/heldout/$pkg"
    mkdir -p "$dir"
    plan_package "$pkg" "$dir/plan.tsv"
    [[ -s $dir/plan.tsv ]] || continue
    render_rows "$dir/plan.tsv" "$dir/png" "$dir/failed" "held-out $pkg"
    cut -f1 "$dir/plan.tsv" > "$dir/plan.names"
    nice -n 10 python3 "$SCRIPT_DIR/filter_clipart.py" --src "$dir/png" \
        --list "$dir/plan.names" --out "$dir/filtered" --jobs "$JOBS" \
        --val-percent 0 >/dev/null
    python3 "$SOURCES" sample --src "$dir/filtered/train" --out "$HELDOUT/$pkg"
done

# ===========================================================================
# 3. Photos: JPEG/PNG wallpapers, split by name hash
# ===========================================================================
PHOTO="$DATA/photo"
mkdir -p "$PHOTO"
# WebP and SVG wallpapers become PNGs under render/photo/, mirroring the package layout.
for pkg in "${PHOTO_PKGS[@]}"; do
    [[ -d $RAW/$pkg ]] || continue
    while IFS= read -r -d '' src; do
        rel=${src#"$RAW/"}
        dst="$DATA/render/photo/${rel%.*}.png"
        [[ -s $dst ]] && continue
        mkdir -p "$(dirname "$dst")"
        case ${src,,} in
            *.webp) dwebp -quiet "$src" -o "$dst.part" ;;
            *.svg) timeout 60 rsvg-convert -w 1920 --keep-aspect-ratio -o "$dst.part" "$src" ;;
        esac && mv -f "$dst.part" "$dst" || { rm -f "$dst.part"; log "WARNING: cannot convert $src"; }
    done < <(find "$RAW/$pkg" -path '*/doc/*' -prune -o -type f \( -iname '*.webp' -o -iname '*.svg' \) -print0)
done
python3 - "$RAW" "$PHOTO" "$DATA/render/photo" "${PHOTO_PKGS[@]}" <<'EOF'
import hashlib, json, os, re, shutil, subprocess, sys
from collections import Counter
raw, out, rendered, pkgs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
KEEP = (".jpg", ".jpeg", ".png")
CONVERTED = (".webp", ".svg")  # decoded/rendered to PNG under `rendered`
OTHER = (".jxl", ".avif", ".tif", ".tiff", ".bmp", ".gif")
candidates, report = [], {"packages": {}}
for pkg in pkgs:
    base = os.path.join(raw, pkg)
    stats = {"found": 0, "skipped_formats": Counter()}
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
            rel = re.sub(r"^usr/share/(backgrounds|wallpapers)/", "", rel)
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
    kept.append((name, path, pkg, key))
def bucket(key):
    return int.from_bytes(hashlib.sha1(key.encode()).digest()[:4], "big") % 10000
split = {n: ("val" if bucket(k) < 1000 else "train") for n, _, _, k in kept}
need = min(6, len(kept) // 5)  # at least 6 in val (when there are >= 30): few pictures, noisy metrics
by_bucket = sorted(kept, key=lambda r: bucket(r[3]))
for n, _, _, _ in by_bucket:
    if sum(1 for s in split.values() if s == "val") >= need:
        break
    split[n] = "val"
for s in ("train", "val"):
    folder = os.path.join(out, s)
    os.makedirs(folder, exist_ok=True)
    want = {n for n, v in split.items() if v == s}
    for f in os.listdir(folder):
        if f not in want:
            os.remove(os.path.join(folder, f))
for n, path, pkg, _ in kept:
    dst = os.path.join(out, split[n], n)
    if os.path.exists(dst) and os.path.getsize(dst) == os.path.getsize(path):
        continue
    if os.path.exists(dst):
        os.remove(dst)
    try:
        os.link(path, dst)
    except OSError:
        shutil.copy2(path, dst)
per_pkg = Counter()
for n, _, pkg, _ in kept:
    per_pkg[(pkg, split[n])] += 1
for pkg in pkgs:
    st = report["packages"][pkg]
    st["kept"] = {s: per_pkg[(pkg, s)] for s in ("train", "val")}
    st["skipped_formats"] = dict(sorted(st["skipped_formats"].items()))
report["kept"] = {s: sum(1 for v in split.values() if v == s) for s in ("train", "val")}
report["dropped"] = dict(sorted(dups.items()))
report["files"] = {n: {"split": split[n], "source": os.path.relpath(p, os.path.dirname(out))}
                   for n, p, _, _ in sorted(kept)}
with open(os.path.join(out, "photo-report.json"), "w") as fh:
    json.dump(report, fh, indent=2, sort_keys=True)
    fh.write("\n")
EOF

# ===========================================================================
# 4. MANIFEST.json and LICENSES.md
# ===========================================================================
versions_tsv="$DATA/.versions.tsv"
: > "$versions_tsv"
for pkg in "${PACKAGES[@]}"; do
    deb=$(deb_of "$pkg")
    if [[ -n $deb ]]; then
        printf '%s\t%s\t%s\n' "$pkg" "$(dpkg-deb -f "$deb" Version)" "$(basename "$deb")" >> "$versions_tsv"
    else
        printf '%s\t\t\n' "$pkg" >> "$versions_tsv"
    fi
done
python3 "$SOURCES" report --data "$DATA" --clipart "$CLIPART_PKG" > "$DATA/.sources-report.json"
PYTHONPATH="$SCRIPT_DIR" python3 - "$DATA" "$CLIPART_PKG" "$LIMIT" "$(rsvg-convert --version)" "${PHOTO_PKGS[@]}" <<'EOF'
import fnmatch, json, os, re, sys
data, clipart, limit, rsvg, photo_pkgs = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5:]

def load(path, default=None):
    try:
        with open(path) as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return default

def count(folder):
    try:
        return len([f for f in os.listdir(folder) if not f.startswith(".")])
    except OSError:
        return 0

from picture_sources import copyright_path as package_copyright_path, dep5_stanzas

def copyright_path(pkg):
    return package_copyright_path(data, pkg)

def freeform_licences(text):
    """Licences named by a copyright file that is not machine-readable."""
    licensed = sorted(set(re.findall(r"Licensed under (.+?)\.?\s*$", text, re.M)))
    if "GNU General Public License" in text:
        licensed.append("GNU GPL version 2 or later (package)")
    return licensed

sources = load(os.path.join(data, ".sources-report.json"), {})
packages = {}
for line in open(os.path.join(data, ".versions.tsv")):
    pkg, version, deb = line.rstrip("\n").split("\t")
    packages[pkg] = {"version": version or None, "deb": deb or None,
                     "available": bool(deb)}
    if pkg in sources.get("packages", {}):
        packages[pkg].update(sources["packages"][pkg])
    elif pkg == clipart:
        packages[pkg].update(role="train", style="vector clip art (Open Clip Art Library)",
                             licence="public-domain")
    elif pkg in photo_pkgs:
        packages[pkg]["role"] = "photo"
        if os.path.exists(copyright_path(pkg)):
            text = open(copyright_path(pkg), encoding="utf-8", errors="replace").read()
            if text.startswith("Format:"):
                names = {s.get("License", "").split("\n")[0] for s in dep5_stanzas(text) if "Files" in s}
                packages[pkg]["licence"] = ", ".join(sorted(names - {""}))
            else:
                packages[pkg]["licence"] = "; ".join(freeform_licences(text))

fail_dir = os.path.join(data, "render", "failed")
selected = []
sel_path = os.path.join(data, "render", "selection.names")
if os.path.exists(sel_path):
    selected = [l.strip() for l in open(sel_path) if l.strip()]
failed_selected = {"timeout": 0, "error": 0}
for n in selected:
    p = os.path.join(fail_dir, n + ".txt")
    if os.path.exists(p):
        why = open(p).read().split("\t", 1)[0]
        failed_selected["timeout" if why == "timeout" else "error"] += 1

flt = load(os.path.join(data, "lineart", "filter-report.json"), {})
plan = load(os.path.join(data, "render", "plan-stats.json"), {})
photo = load(os.path.join(data, "photo", "photo-report.json"), {})
dropped = {"render_timeout": failed_selected["timeout"],
           "render_error": failed_selected["error"]}
dropped.update(flt.get("dropped", {}))
manifest = {
    "generator": "scripts/fetch-data.sh",
    "packages": packages,
    "renderer": rsvg,
    "datasets": {
        "lineart": {
            "source": [p for p, i in packages.items() if i.get("role") == "train"],
            "path": "lineart",
            "render": {"longest_side": 384, "background": "white",
                       "timeout_s": 10, "limit": limit or None,
                       "rasters": "composited on white at their own size, shrunk to 384 px when larger"},
            "svg": plan,
            "selected_pictures": len(selected),
            "counts": {s: count(os.path.join(data, "lineart", s)) for s in ("train", "val")},
            "dropped": dropped,
            "dropped_total": sum(dropped.values()),
            "filter_thresholds": flt.get("thresholds"),
            "per_package": sources.get("lineart", {}),
        },
        "heldout": {
            "source": [p for p, i in packages.items() if i.get("role") == "heldout"],
            "path": "heldout/<package>",
            "counts": {p: v["count"] for p, v in sources.get("heldout", {}).items()},
            "per_package": sources.get("heldout", {}),
            "note": "other styles, never in lineart/: rendered and filtered like lineart/, "
                    "then an evenly spaced sample (in name order) of what passed",
        },
        "photo": {
            "source": photo_pkgs,
            "path": "photo",
            "counts": {s: count(os.path.join(data, "photo", s)) for s in ("train", "val")},
            "dropped": photo.get("dropped", {}),
            "per_package": photo.get("packages", {}),
            "note": "JPEG/PNG originals, not resized; WebP decoded and SVG rendered to PNG; greyscale pictures dropped",
        },
    },
}
with open(os.path.join(data, "MANIFEST.json"), "w") as fh:
    json.dump(manifest, fh, indent=2, sort_keys=True)
    fh.write("\n")

# ---- LICENSES.md ----------------------------------------------------------
out = ["# Licences of the training data",
       "",
       "Generated by `scripts/fetch-data.sh` from the Debian packages it used.",
       "Only pictures are redistributed here in derived form (renders, copies);",
       "keep this file next to any copy of `data/`.",
       ""]
ver = lambda p: packages.get(p, {}).get("version") or "not available"
out += ["## %s (%s) — line art, `lineart/`" % (clipart, ver(clipart)), "",
        "**Summary: public domain (Creative Commons Public Domain Dedication;",
        "CC0-equivalent).** Attribution is not required. Renders in `lineart/`",
        "are named after the SVG's path under `/usr/share/openclipart/svg/`.", "",
        "Copyright file: `%s`" % os.path.relpath(copyright_path(clipart), data), ""]
cp = copyright_path(clipart)
if os.path.exists(cp):
    lines = [l.strip() for l in open(cp, encoding="utf-8", errors="replace")]
    quote = [l for l in lines if re.match(
        r"(It was downloaded from|creative commons Public Domain Dedication|"
        r"Copyright-Only Dedication)", l, re.I)]
    out += ["> " + l for l in quote] + [""]

photos = photo.get("files", {})
for pkg in photo_pkgs:
    cp = copyright_path(pkg)
    mine = {n: f for n, f in photos.items() if n.startswith(pkg + "__")}
    out += ["## %s (%s) — photos, `photo/`" % (pkg, ver(pkg)), ""]
    if not os.path.exists(cp):
        out += ["Package not available; nothing used.", ""]
        continue
    text = open(cp, encoding="utf-8", errors="replace").read()
    rel = os.path.relpath(cp, data)
    if text.startswith("Format:"):
        stanzas = [s for s in dep5_stanzas(text) if "Files" in s]
        lic = sorted({s.get("License", "").split("\n")[0] for s in stanzas} - {""})
        out += ["**Summary:** machine-readable copyright file; licences: %s. "
                "%d picture(s) used." % (", ".join(lic), len(mine)), "",
                "Copyright file: `%s`" % rel, "", "Picture | Files pattern | Copyright | License",
                "--- | --- | --- | ---"]
        for name, info in sorted(mine.items()):
            src = info["source"]
            match = None  # DEP-5: the last matching stanza wins
            for s in stanzas:
                for pat in s["Files"].split():
                    if pat == "*" or fnmatch.fnmatch(src, "*/" + pat):
                        match = (s, pat)
            if match:
                match, pat = match
                out.append("%s | `%s` | %s | %s" % (
                    name, pat,
                    match.get("Copyright", "").replace("\n", "; "),
                    match.get("License", "").split("\n")[0]))
            else:
                out.append("%s | (not listed) | see copyright file | "
                           "not stated per file; package stanzas use %s" % (name, ", ".join(lic)))
        out += ["", "Licence lines of the copyright file:", "", "```"]
        for s in stanzas:
            for k in ("Files", "Copyright", "License"):
                if k in s:
                    v = s[k].split("\n")[0] if k == "License" else s[k].replace("\n", " ")
                    out.append("%s: %s" % (k, v))
            out.append("")
        out[-1:] = ["```", ""]
    else:
        licensed = freeform_licences(text)
        out += ["**Summary:** free-form copyright file; licences named: %s. "
                "%d picture(s) used." % ("; ".join(licensed), len(mine)), "",
                "Copyright file: `%s`" % rel, "", "Attribution and licence lines:", "", "```"]
        head = text.split("\nLicenses:")[0].rstrip().splitlines()
        out += head + ["```", ""]
    if not mine:
        skipped = photo.get("packages", {}).get(pkg, {}).get("skipped_formats", {})
        if skipped:
            out += ["No JPEG/PNG picture in this package (skipped: %s)." % ", ".join(
                "%d %s" % (v, k) for k, v in skipped.items()), ""]
with open(os.path.join(data, "LICENSES.md"), "w") as fh:
    fh.write("\n".join(out).rstrip() + "\n\n")
EOF
python3 "$SOURCES" licences --data "$DATA" >> "$DATA/LICENSES.md"
rm -f "$versions_tsv" "$DATA/.sources-report.json"

python3 - "$DATA/MANIFEST.json" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
for k, v in m["datasets"].items():
    if k == "heldout":
        print("heldout  " + "  ".join("%s=%d" % kv for kv in sorted(v["counts"].items())))
        continue
    print("%-8s train=%-6d val=%-5d dropped=%s" % (k, v["counts"]["train"], v["counts"]["val"],
          json.dumps(v["dropped"], sort_keys=True)))
    for pkg, p in sorted(v.get("per_package", {}).items()):
        print("  %-26s train=%-6d val=%-5d (%s)" % (pkg, p["kept"]["train"], p["kept"]["val"],
              m["packages"].get(pkg, {}).get("licence")))
EOF
log "done in $((SECONDS - START)) s; $(du -sh "$DATA" | cut -f1) in $DATA"
