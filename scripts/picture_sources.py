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
# The table and its rules live in picture_rules.py, the reports in picture_report.py;
# this file is their command line.

import argparse
import json
import os
import sys

from picture_rules import BY_NAME, HELDOUT_COUNT, SOURCES, plan, sample
from picture_report import licences, report


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
