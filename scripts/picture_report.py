"""Reports on a prepared data root for scripts/picture_sources.py: the sources part of
MANIFEST.json and the per-package part of LICENSES.md."""

import json
import os
import re
from collections import Counter
from fnmatch import fnmatchcase
from urllib.parse import unquote

from picture_rules import BY_NAME, SOURCES


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
