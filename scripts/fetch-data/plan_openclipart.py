"""Plans the openclipart render: DIR/render/plan.tsv (output name <TAB> SVG path, sorted by path)
and plan-stats.json; symlinks and byte-identical copies are left out.

Usage (from scripts/fetch-data.sh): plan_openclipart.py SVG_ROOT RENDER
"""
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
