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
#   photos, training (DIR/photo/{train,val}/):
#     gnome-backgrounds, mate-backgrounds, ukui-wallpapers (wallpapers), and
#     the photographs among plasma-workspace-wallpapers and lxqt-themes
#     (wallpapers), tuxtype-data (landscape and space backgrounds) and
#     python3-skimage (sample photographs): PHOTO_RULES below names the files
#   photos, held out (DIR/heldout/photo-lomiri/, never trained on):
#     lomiri-wallpapers, lomiri-wallpapers-16.04, lomiri-wallpapers-20.04
#     (their `*_by_*` photographs, less four digital-art wallpapers)
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
#   3. Photos. The held-out packages first: their JPEG/PNG photographs are
#      copied (hard-linked) into DIR/heldout/photo-lomiri/ (report:
#      DIR/render/photo/heldout-report.json). Then the training packages'
#      into DIR/photo/{train,val}/, ~90/10 by a hash of the name (at least 6
#      in val; report: DIR/photo/photo-report.json); a picture byte-identical
#      to a held-out one is left out. Originals are kept: Tinct's loader
#      resizes. WebP wallpapers are decoded with dwebp and SVG ones rendered
#      with rsvg-convert (1920 px wide) into DIR/render/photo/ first. A
#      package listed in PHOTO_RULES gives only the files its patterns match
#      (its other pictures are drawn or rendered art, checked by eye).
#      Symbolic links (KDE's other sizes of one wallpaper) are skipped, and
#      byte-identical files and resolution variants of one picture (Name.jpg,
#      Name_3840x2160.jpg) are kept once; greyscale pictures (by file type, or
#      by content: mean channel spread under 4/255 on a small preview) not at
#      all — they have no colour to learn from or to validate against.
#   4. Write DIR/MANIFEST.json (per package: version, role — train, heldout,
#      photo or photo-heldout —, licence; per dataset and package: counts per
#      split and drop counts per reason) and DIR/LICENSES.md (licence summary
#      and the licence lines of each package's copyright file).
#
# Images are named by a sanitized relative path, e.g.
#   lineart: animals__birds__owl_01.png (openclipart),
#            wesnoth-1.16-data__items__altar-evil.png (other packages)
#   heldout: hedgewars-data/hedgewars-data__Forts__CakeL.png
#   photo:   mate-backgrounds__nature__Dune.jpg (the path under
#            usr/share/backgrounds/ or another known picture folder;
#            plasma-workspace-wallpapers__Path__2560x1600.jpg without
#            contents/images/)
#   heldout: photo-lomiri/lomiri-wallpapers-16.04__Bridge_by_Sander_Klootwijk.jpg
set -euo pipefail

RENDER_SIZE=384
RENDER_TIMEOUT=10
CLIPART_PKG=openclipart-svg
PHOTO_PKGS=(gnome-backgrounds mate-backgrounds ukui-wallpapers plasma-workspace-wallpapers
            lxqt-themes tuxtype-data python3-skimage)
PHOTO_HELDOUT_PKGS=(lomiri-wallpapers lomiri-wallpapers-16.04 lomiri-wallpapers-20.04)
PHOTO_HELDOUT_DIR=photo-lomiri  # DIR/heldout/<this>/
# Photo packages that need a rule, one a line: package | the files to take
# (fnmatch patterns on the path inside the package, `*` crosses `/`; one after
# `!` leaves out what it matches; a package not listed gives all its
# JPEG/PNG/WebP/SVG pictures) | the pictures' licence,
# checked by hand (empty: the licences the copyright file gives them) | a note
# (MANIFEST.json and LICENSES.md carry both). The files were chosen by eye:
# photographs only, no flat, low-poly or logo art.
PHOTO_RULES='
plasma-workspace-wallpapers|usr/share/wallpapers/BytheWater/contents/images/* usr/share/wallpapers/ColdRipple/contents/images/* usr/share/wallpapers/ColorfulCups/contents/images/* usr/share/wallpapers/DarkestHour/contents/images/* usr/share/wallpapers/EveningGlow/contents/images/* usr/share/wallpapers/FallenLeaf/contents/images/* usr/share/wallpapers/Grey/contents/images/* usr/share/wallpapers/Kite/contents/images/* usr/share/wallpapers/OneStandsOut/contents/images/* usr/share/wallpapers/Path/contents/images/* usr/share/wallpapers/summer_1am/contents/images/*|LGPL-3.0 (metadata.json of each photograph); GPL-2+ (copyright file)|the copyright file gives all files GPL-2+; the metadata.json of each photograph says LGPLv3 (photographers Maciej Wiklo, Risto Saukonpää, Dmitri Popov, Ian Hex, Martin Klapetek, Sigi Sagi); the other wallpapers are digital art
lxqt-themes|usr/share/lxqt/wallpapers/Butterfly-Kenneth-Wimer.jpg usr/share/lxqt/wallpapers/Valendas.png usr/share/lxqt/wallpapers/after-the-rain.jpg usr/share/lxqt/wallpapers/appleflower.png usr/share/lxqt/wallpapers/beam.png usr/share/lxqt/wallpapers/butterfly.png usr/share/lxqt/wallpapers/cloud.png usr/share/lxqt/wallpapers/drop.png usr/share/lxqt/wallpapers/flowers.png usr/share/lxqt/wallpapers/fog.jpg usr/share/lxqt/wallpapers/this-is-not-windows.jpg||the photographs fall under the Files: * stanza (LGPL-2.1+); the other wallpapers are logos and vector art
tuxtype-data|usr/share/tuxtype/images/kcas*.jpg usr/share/tuxtype/images/backgrounds/*.jpg usr/share/tuxtype/images/hidden.jpg|GPL-2.0-only (package); photographs: Wikimedia Commons featured pictures, public domain (NOAA, US FWS)|free-form copyright file: GPL-2 for the package; images/README_IMAGES.TXT says the photographs are Wikimedia Commons featured pictures and public-domain NOAA/US FWS images, without per-picture attribution; 1280x1024 landscapes and space photographs (Hubble, Cassini, Mars); the 300 px city photographs of the themes left out
python3-skimage|usr/lib/python3/dist-packages/skimage/data/astronaut.png usr/lib/python3/dist-packages/skimage/data/chelsea.png usr/lib/python3/dist-packages/skimage/data/coffee.png usr/lib/python3/dist-packages/skimage/data/rocket.jpg usr/lib/python3/dist-packages/skimage/data/hubble_deep_field.jpg|public-domain (astronaut, rocket, hubble_deep_field), CC0-1.0 (chelsea, coffee); package BSD-3-Clause|the copyright file gives the package BSD-3-Clause; skimage/data/_fetchers.py gives each photograph: astronaut (NASA), rocket (SpaceX) and hubble_deep_field (NASA) public domain, chelsea and coffee CC0; motorcycle (Middlebury stereo set, licence not stated), greyscale, synthetic and microscopy images left out
lomiri-wallpapers|usr/share/backgrounds/*_by_*||warty-final-ubuntu.png, its only picture, is digital art, not a photograph: nothing used
lomiri-wallpapers-16.04|usr/share/backgrounds/*_by_* !*/umang_by_*||umang_by_Abhishek_Mudgal.jpg (a colour gradient) left out: digital art
lomiri-wallpapers-20.04|usr/share/backgrounds/*_by_* !*/Fossa_by_* !*/Infinite-Sea_by_* !*/Painting-Colors_by_*||Fossa (low-poly), Infinite-Sea (a digital composite) and Painting-Colors (flat stripes) left out: digital art
'
export PHOTO_RULES

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
# The other line-art packages, their roles and rules: one table, SOURCES, in
# picture_rules.py, read through picture_sources.py's command line.
SOURCES="$SCRIPT_DIR/picture_sources.py"
mapfile -t TRAIN_PKGS < <(python3 "$SOURCES" packages --role train)
mapfile -t HELDOUT_PKGS < <(python3 "$SOURCES" packages --role heldout)
[[ ${#TRAIN_PKGS[@]} -gt 0 && ${#HELDOUT_PKGS[@]} -gt 0 ]] || die "cannot read $SOURCES"
PACKAGES=("$CLIPART_PKG" "${PHOTO_PKGS[@]}" "${PHOTO_HELDOUT_PKGS[@]}" "${TRAIN_PKGS[@]}"
          "${HELDOUT_PKGS[@]}")

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
    python3 "$SCRIPT_DIR/fetch-data/plan_openclipart.py" "$SVG_ROOT" "$RENDER"
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
# 3. Photos: held-out photographs, then JPEG/PNG wallpapers split by name hash
# ===========================================================================
PHOTO="$DATA/photo"
mkdir -p "$PHOTO" "$DATA/render/photo"
# WebP and SVG wallpapers become PNGs under render/photo/, mirroring the package layout
# (only those of packages without a PHOTO_RULES line: the rules take JPEG/PNG files).
for pkg in "${PHOTO_PKGS[@]}" "${PHOTO_HELDOUT_PKGS[@]}"; do
    grep -q "^$pkg|" <<< "$PHOTO_RULES" && continue
    [[ -d $RAW/$pkg ]] || continue
    while IFS= read -r -d '' src; do
        rel=${src#"$RAW/"}
        dst="$DATA/render/photo/${rel%.*}.png"
        [[ -s $dst ]] && continue
        mkdir -p "$(dirname "$dst")"
        {
            case ${src,,} in
                *.webp) dwebp -quiet "$src" -o "$dst.part" ;;
                *.svg) timeout 60 rsvg-convert -w 1920 --keep-aspect-ratio -o "$dst.part" "$src" ;;
            esac && mv -f "$dst.part" "$dst"
        } || { rm -f "$dst.part"; log "WARNING: cannot convert $src"; }
    done < <(find "$RAW/$pkg" -path '*/doc/*' -prune -o -type f \( -iname '*.webp' -o -iname '*.svg' \) -print0)
done
# photo_set MODE OUT REPORT PACKAGE...: choose, check and copy the photographs of
# the packages into OUT: MODE split (OUT/{train,val}/, leaving out copies of the
# held-out photographs named in PHOTO_EXCLUDE, a report) or heldout (OUT/ itself).
photo_set() {
    python3 "$SCRIPT_DIR/fetch-data/photo_set.py" "$DATA" "$1" "$2" "$3" "${@:4}"
}
photo_set heldout "$HELDOUT/$PHOTO_HELDOUT_DIR" "$DATA/render/photo/heldout-report.json" \
    "${PHOTO_HELDOUT_PKGS[@]}"
PHOTO_EXCLUDE="$DATA/render/photo/heldout-report.json" \
    photo_set split "$PHOTO" "$PHOTO/photo-report.json" "${PHOTO_PKGS[@]}"

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
PHOTO_HELDOUT_PKGS="${PHOTO_HELDOUT_PKGS[*]}" PHOTO_HELDOUT_DIR="$PHOTO_HELDOUT_DIR" \
PYTHONPATH="$SCRIPT_DIR" python3 "$SCRIPT_DIR/fetch-data/write_manifest.py" "$DATA" "$CLIPART_PKG" "$LIMIT" "$(rsvg-convert --version)" "${PHOTO_PKGS[@]}"
python3 "$SOURCES" licences --data "$DATA" >> "$DATA/LICENSES.md"
rm -f "$versions_tsv" "$DATA/.sources-report.json"

python3 "$SCRIPT_DIR/fetch-data/print_summary.py" "$DATA/MANIFEST.json"
log "done in $((SECONDS - START)) s; $(du -sh "$DATA" | cut -f1) in $DATA"
