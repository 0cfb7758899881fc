"""Writes DATA/MANIFEST.json and the first part of DATA/LICENSES.md (step 4 of scripts/fetch-data.sh).

Usage (from scripts/fetch-data.sh): write_manifest.py DATA CLIPART_PKG LIMIT RSVG_VERSION PHOTO_PKG...
"""
import fnmatch, json, os, re, sys
data, clipart, limit, rsvg, photo_pkgs = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5:]
heldout_pkgs = os.environ["PHOTO_HELDOUT_PKGS"].split()
heldout_dir = os.environ["PHOTO_HELDOUT_DIR"]
rule_licences, rule_notes = {}, {}  # package -> licence, note checked by hand (PHOTO_RULES)
for line in os.environ.get("PHOTO_RULES", "").strip().splitlines():
    pkg, _pats, licence, note = line.split("|", 3)
    if licence.strip():
        rule_licences[pkg] = licence.strip()
    if note.strip():
        rule_notes[pkg] = note.strip()

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

from picture_report import copyright_path as package_copyright_path, dep5_stanzas

def copyright_path(pkg):
    return package_copyright_path(data, pkg)

def freeform_licences(text):
    """Licences named by a copyright file that is not machine-readable."""
    licensed = sorted(set(re.findall(r"Licensed under (.+?)\.?\s*$", text, re.M)))
    if "GNU General Public License" in text:
        first = re.search(r"version 2 of the License(.{0,20})", text, re.S)  # its first statement
        only_2 = bool(first) and not re.match(r",?\s*or", first.group(1))
        licensed.append("GNU GPL version 2%s (package)" % (" only" if only_2 else " or later"))
    return licensed

def read_copyright(pkg):
    """The package's copyright file (a blank first line dropped), or None."""
    try:
        with open(copyright_path(pkg), encoding="utf-8", errors="replace") as fh:
            return fh.read().lstrip("\n")
    except OSError:
        return None

def file_stanza(stanzas, src):
    """(stanza, pattern) of the last Files stanza matching `src` (DEP-5: the last wins);
    a pattern without wildcards also matches by file name (lomiri's `16.04/X.jpg` is
    installed as usr/share/backgrounds/X.jpg)."""
    match = None
    for s in stanzas:
        for pat in s["Files"].split():
            if (pat == "*" or fnmatch.fnmatch(src, "*/" + pat)
                    or (not any(c in pat for c in "*?[")
                        and os.path.basename(pat) == os.path.basename(src))):
                match = (s, pat)
    return match

photo = load(os.path.join(data, "photo", "photo-report.json"), {})
photo_heldout = load(os.path.join(data, "render", "photo", "heldout-report.json"), {})
photo_files = {p: {n: f for n, f in rep.get("files", {}).items() if n.startswith(p + "__")}
               for rep, pkgs in ((photo, photo_pkgs), (photo_heldout, heldout_pkgs)) for p in pkgs}

def photo_licence(pkg):
    """Licences the copyright file gives the pictures used (all its licences when none is)."""
    text = read_copyright(pkg)
    if text is None:
        return None
    if not text.startswith("Format:"):
        return "; ".join(freeform_licences(text))
    stanzas = [s for s in dep5_stanzas(text) if "Files" in s]
    used = [file_stanza(stanzas, f["source"]) for f in photo_files.get(pkg, {}).values()]
    names = {s.get("License", "").split("\n")[0] for s, _ in filter(None, used)} or \
        {s.get("License", "").split("\n")[0] for s in stanzas}
    return ", ".join(sorted(names - {""}))

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
    elif pkg in photo_pkgs or pkg in heldout_pkgs:
        packages[pkg]["role"] = "photo" if pkg in photo_pkgs else "photo-heldout"
        licence = photo_licence(pkg)
        if pkg in rule_licences:
            packages[pkg]["licence"] = rule_licences[pkg]
            if licence is not None:
                packages[pkg]["copyright_file_licences"] = licence
        elif licence is not None:
            packages[pkg]["licence"] = licence
        if pkg in rule_notes:
            packages[pkg]["licence_note"] = rule_notes[pkg]

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
        "photo_heldout": {
            "source": heldout_pkgs,
            "path": "heldout/" + heldout_dir,
            "count": count(os.path.join(data, "heldout", heldout_dir)),
            "dropped": photo_heldout.get("dropped", {}),
            "per_package": photo_heldout.get("packages", {}),
            "note": "photographs of packages never in photo/ (a byte-identical copy there is "
                    "left out of photo/); JPEG/PNG originals, not resized; greyscale pictures dropped",
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

for pkg in photo_pkgs + heldout_pkgs:
    cp = copyright_path(pkg)
    mine = photo_files.get(pkg, {})
    where = ("photos, `photo/`" if pkg in photo_pkgs
             else "held-out photos, `heldout/%s/`" % heldout_dir)
    out += ["## %s (%s) — %s" % (pkg, ver(pkg), where), ""]
    text = read_copyright(pkg)
    if text is None:
        out += ["Package not available; nothing used.", ""]
        continue
    if pkg in rule_licences:
        out += ["**Licence (checked by hand): %s.**" % rule_licences[pkg], ""]
    if pkg in rule_notes:
        out += ["Note: " + rule_notes[pkg] + ".", ""]
    rel = os.path.relpath(cp, data)
    if text.startswith("Format:"):
        stanzas = [s for s in dep5_stanzas(text) if "Files" in s]
        lic = sorted({s.get("License", "").split("\n")[0] for s in stanzas} - {""})
        out += ["**Summary:** machine-readable copyright file; licences: %s. "
                "%d picture(s) used." % (", ".join(lic), len(mine)), "",
                "Copyright file: `%s`" % rel, "", "Picture | Files pattern | Copyright | License",
                "--- | --- | --- | ---"]
        for name, info in sorted(mine.items()):
            match = file_stanza(stanzas, info["source"])
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
        if "\nLicenses:" not in text:
            head = head[:120] + (["[... see the copyright file]"] if len(head) > 120 else [])
        out += head + ["```", ""]
    if not mine:
        skipped = (photo if pkg in photo_pkgs else photo_heldout).get(
            "packages", {}).get(pkg, {}).get("skipped_formats", {})
        if skipped:
            out += ["No JPEG/PNG picture in this package (skipped: %s)." % ", ".join(
                "%d %s" % (v, k) for k, v in skipped.items()), ""]
with open(os.path.join(data, "LICENSES.md"), "w") as fh:
    fh.write("\n".join(out).rstrip() + "\n\n")
