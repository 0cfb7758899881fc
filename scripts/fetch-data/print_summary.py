"""Prints the per-dataset counts of DATA/MANIFEST.json (the end of scripts/fetch-data.sh).

Usage (from scripts/fetch-data.sh): print_summary.py MANIFEST
"""
import json, sys
m = json.load(open(sys.argv[1]))
for k, v in m["datasets"].items():
    if k == "heldout":
        print("heldout  " + "  ".join("%s=%d" % kv for kv in sorted(v["counts"].items())))
        continue
    if k == "photo_heldout":
        print("%s  %d photographs, dropped=%s" % (v["path"], v["count"], json.dumps(v["dropped"], sort_keys=True)))
        for pkg, p in sorted(v.get("per_package", {}).items()):
            print("  %-28s %-4d (%s)" % (pkg, p["kept"]["heldout"], m["packages"].get(pkg, {}).get("licence")))
        continue
    print("%-8s train=%-6d val=%-5d dropped=%s" % (k, v["counts"]["train"], v["counts"]["val"],
          json.dumps(v["dropped"], sort_keys=True)))
    for pkg, p in sorted(v.get("per_package", {}).items()):
        print("  %-26s train=%-6d val=%-5d (%s)" % (pkg, p["kept"]["train"], p["kept"]["val"],
              m["packages"].get(pkg, {}).get("licence")))
