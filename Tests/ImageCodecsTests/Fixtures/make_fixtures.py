#!/usr/bin/env python3
"""Regenerates the ImageCodecs test fixtures and their expected pixels (expected.json).

PNGs are written by hand (zlib + CRC from the standard library), so every variant is
exactly what its name says, independent of libpng. JPEGs need an encoder: the script
compiles the small C program in JPEG_WRITER against libjpeg (cc, -ljpeg) in a temporary
directory. (It lives in this file because SwiftPM refuses C sources in a test target.)

Expected RGB values follow the decoder's documented rules: 16-bit samples round to 8 bits
as libpng's png_set_scale_16 does ((v * 255 + 32895) >> 16), low bit depths expand by bit
replication, and alpha composites onto white as (c*a + 255*(255-a) + 127) // 255.

Run from anywhere:  python3 Tests/ImageCodecsTests/Fixtures/make_fixtures.py
"""

import json
import os
import struct
import subprocess
import tempfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))

GRAY, RGB, PALETTE, GRAY_ALPHA, RGBA = 0, 2, 3, 4, 6
CHANNELS = {GRAY: 1, RGB: 3, PALETTE: 1, GRAY_ALPHA: 2, RGBA: 4}
ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


# ---- PNG writing -------------------------------------------------------------------------

def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def pack_row(pixels, depth):
    """One scanline's bytes (without filter byte); pixels are tuples of samples."""
    samples = [s for p in pixels for s in p]
    if depth == 8:
        return bytes(samples)
    if depth == 16:
        return b"".join(struct.pack(">H", s) for s in samples)
    out, acc, bits = bytearray(), 0, 0
    for s in samples:
        acc = (acc << depth) | s
        bits += depth
        if bits == 8:
            out.append(acc)
            acc, bits = 0, 0
    if bits:
        out.append(acc << (8 - bits))
    return bytes(out)


def scanlines(rows, depth, interlaced):
    if not interlaced:
        return b"".join(b"\x00" + pack_row(r, depth) for r in rows)
    height, width = len(rows), len(rows[0])
    out = b""
    for x0, y0, dx, dy in ADAM7:
        for y in range(y0, height, dy):
            sub = [rows[y][x] for x in range(x0, width, dx)]
            if sub:
                out += b"\x00" + pack_row(sub, depth)
    return out


def png_bytes(rows, color_type, depth, palette=None, trns=None, interlaced=False,
              size=None):
    height, width = (len(rows), len(rows[0])) if size is None else size
    ihdr = struct.pack(">IIBBBBB", width, height, depth, color_type, 0, 0, 1 if interlaced else 0)
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
    if palette is not None:
        out += chunk(b"PLTE", bytes(c for entry in palette for c in entry))
    if trns is not None:
        out += chunk(b"tRNS", trns)
    out += chunk(b"IDAT", zlib.compress(scanlines(rows, depth, interlaced), 9))
    return out + chunk(b"IEND", b"")


# ---- Expected pixels ---------------------------------------------------------------------

def to8(sample, depth):
    if depth == 16:
        return (sample * 255 + 32895) >> 16
    return sample * 255 // ((1 << depth) - 1)


def over_white(c, a):
    return (c * a + 255 * (255 - a) + 127) // 255


def expected_rgb(rows, color_type, depth, palette=None, trns_key=None, palette_alpha=None):
    out = []
    for row in rows:
        for p in row:
            if color_type == PALETTE:
                r, g, b = palette[p[0]]
                a = palette_alpha[p[0]] if palette_alpha and p[0] < len(palette_alpha) else 255
            elif color_type in (GRAY, GRAY_ALPHA):
                r = g = b = to8(p[0], depth)
                a = to8(p[1], depth) if color_type == GRAY_ALPHA else 255
            else:
                r, g, b = (to8(s, depth) for s in p[:3])
                a = to8(p[3], depth) if color_type == RGBA else 255
            if trns_key is not None and tuple(p) == tuple(trns_key):
                a = 0
            out += [over_white(r, a), over_white(g, a), over_white(b, a)]
    return out


def grid(width, height, pixel):
    return [[pixel(x, y) for x in range(width)] for y in range(height)]


def noise(width, height, channels, seed=12345):
    """Deterministic pseudo-random samples (an LCG), so re-running changes nothing."""
    state, rows = seed, []
    for _ in range(height):
        row = []
        for _ in range(width):
            sample = []
            for _ in range(channels):
                state = (state * 1103515245 + 12345) & 0x7FFFFFFF
                sample.append((state >> 16) & 0xFF)
            row.append(tuple(sample))
        rows.append(row)
    return rows


# ---- The fixtures ------------------------------------------------------------------------

def png_fixtures():
    """(name, rows, color_type, depth, options, expected-options, has_alpha)"""
    palette = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (250, 200, 10)]
    palette16 = [(i * 16, 255 - i * 16, (i * 37) % 256) for i in range(16)]
    cases = [
        ("rgb8", grid(5, 3, lambda x, y: ((x * 50 + y * 7) % 256, (y * 90 + x * 3) % 256, (x * y * 30 + 11) % 256)),
         RGB, 8, {}, {}, False),
        ("rgba8", grid(4, 2, lambda x, y: (200, 40 + x * 50, 10 * y, [255, 0, 128, 64][x] if y == 0 else 30 + x)),
         RGBA, 8, {}, {}, True),
        ("gray8", grid(5, 3, lambda x, y: ((x * 60 + y * 20) % 256,)), GRAY, 8, {}, {}, False),
        ("gray1", grid(9, 2, lambda x, y: ((x + y) % 2,)), GRAY, 1, {}, {}, False),
        ("gray_alpha8", grid(3, 2, lambda x, y: (x * 100, [255, 128, 0][x] if y == 0 else 200)),
         GRAY_ALPHA, 8, {}, {}, True),
        ("gray16", grid(3, 2, lambda x, y: (x * 30000 + y * 1000 + 77,)), GRAY, 16, {}, {}, False),
        ("rgb16", grid(3, 2, lambda x, y: (x * 20000 + 129, y * 40000 + 128, 65535 - x * 7000)),
         RGB, 16, {}, {}, False),
        ("rgba16", grid(3, 2, lambda x, y: (60000, x * 30000, 1000, [65535, 32768, 0][x] if y == 0 else 20000)),
         RGBA, 16, {}, {}, True),
        ("palette8_trns", grid(4, 2, lambda x, y: ((x + y) % 4,)), PALETTE, 8,
         {"palette": palette, "trns": bytes([255, 255, 128, 0])},
         {"palette": palette, "palette_alpha": [255, 255, 128, 0]}, True),
        ("palette4", grid(5, 3, lambda x, y: ((x * 3 + y * 5) % 16,)), PALETTE, 4,
         {"palette": palette16}, {"palette": palette16}, False),
        ("interlaced_rgb8", grid(7, 5, lambda x, y: (x * 36, y * 60, (x * 7 + y * 11) * 3 % 256)), RGB, 8,
         {"interlaced": True}, {}, False),
        ("interlaced_gray2", grid(7, 5, lambda x, y: ((x + 2 * y) % 4,)), GRAY, 2,
         {"interlaced": True}, {}, False),
        ("rgb8_trns", grid(3, 2, lambda x, y: (10, 20, 30) if x == y else (x * 100, 50, y * 200)), RGB, 8,
         {"trns": struct.pack(">HHH", 10, 20, 30)}, {"trns_key": (10, 20, 30)}, True),
        ("gray8_trns", grid(3, 2, lambda x, y: (0 if x == 1 else 100 + x * 50 + y,)), GRAY, 8,
         {"trns": struct.pack(">H", 0)}, {"trns_key": (0,)}, True),
    ]
    for name, rows, color_type, depth, options, expected_options, has_alpha in cases:
        data = png_bytes(rows, color_type, depth, **options)
        yield name + ".png", data, {
            "width": len(rows[0]), "height": len(rows), "hasAlpha": has_alpha,
            "rgb": expected_rgb(rows, color_type, depth, **expected_options)}


def png_error_fixtures():
    big = png_bytes(noise(64, 64, 3), RGB, 8)
    yield "truncated.png", big[: len(big) * 6 // 10], "truncated"
    # A valid-looking file whose IHDR claims 100000x100000: must be refused from the header.
    yield "huge_header.png", png_bytes([[(0, 0, 0)]], RGB, 8, size=(100000, 100000)), "tooLarge"
    yield "zero_width.png", png_bytes([[(0, 0, 0)]], RGB, 8, size=(1, 0)), "zeroSize"
    good = bytearray(png_bytes(noise(8, 8, 3), RGB, 8))
    idat = good.index(b"IDAT")
    good[idat + 10] ^= 0xFF  # damage compressed data; the CRC no longer matches
    yield "bad_crc.png", bytes(good), "corrupt"


JPEG_WRITER = r"""/*
 * Fixture helper for make_fixtures.py: writes raw 8-bit samples from stdin as a JPEG.
 * Exists because no Python JPEG encoder is available here and Tinct's own encoder
 * cannot write CMYK/YCCK or progressive files (the decoder must still read them).
 *
 *   jpeg_writer OUT WIDTH HEIGHT INPUT(gray|rgb|cmyk) STORED(gray|ycbcr|cmyk|ycck) QUALITY PROGRESSIVE
 *
 * CMYK input is stored as given; libjpeg adds the Adobe marker, so callers pass Adobe's
 * inverted convention (255 = no ink).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

static J_COLOR_SPACE parse_space(const char *name) {
    if (strcmp(name, "gray") == 0) return JCS_GRAYSCALE;
    if (strcmp(name, "rgb") == 0) return JCS_RGB;
    if (strcmp(name, "ycbcr") == 0) return JCS_YCbCr;
    if (strcmp(name, "cmyk") == 0) return JCS_CMYK;
    if (strcmp(name, "ycck") == 0) return JCS_YCCK;
    fprintf(stderr, "unknown colour space %s\n", name);
    exit(2);
}

int main(int argc, char **argv) {
    if (argc != 8) {
        fprintf(stderr, "usage: %s OUT W H INPUT STORED QUALITY PROGRESSIVE\n", argv[0]);
        return 2;
    }
    int width = atoi(argv[2]), height = atoi(argv[3]);
    J_COLOR_SPACE input = parse_space(argv[4]), stored = parse_space(argv[5]);
    int components = input == JCS_GRAYSCALE ? 1 : input == JCS_RGB ? 3 : 4;
    size_t size = (size_t)width * height * components;
    unsigned char *samples = malloc(size);
    if (samples == NULL || fread(samples, 1, size, stdin) != size) {
        fprintf(stderr, "expected %zu bytes on stdin\n", size);
        return 1;
    }
    FILE *file = fopen(argv[1], "wb");
    if (file == NULL) {
        perror(argv[1]);
        return 1;
    }
    struct jpeg_compress_struct cinfo;
    struct jpeg_error_mgr error;
    cinfo.err = jpeg_std_error(&error);
    jpeg_create_compress(&cinfo);
    jpeg_stdio_dest(&cinfo, file);
    cinfo.image_width = width;
    cinfo.image_height = height;
    cinfo.input_components = components;
    cinfo.in_color_space = input;
    jpeg_set_defaults(&cinfo);
    jpeg_set_colorspace(&cinfo, stored);
    jpeg_set_quality(&cinfo, atoi(argv[6]), TRUE);
    for (int c = 0; c < cinfo.num_components; c++) {
        cinfo.comp_info[c].h_samp_factor = 1;
        cinfo.comp_info[c].v_samp_factor = 1;
    }
    if (atoi(argv[7])) jpeg_simple_progression(&cinfo);
    jpeg_start_compress(&cinfo, TRUE);
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW row = samples + (size_t)cinfo.next_scanline * width * components;
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    fclose(file);
    free(samples);
    return 0;
}
"""


def build_jpeg_writer(directory):
    source = os.path.join(directory, "jpeg_writer.c")
    with open(source, "w") as out:
        out.write(JPEG_WRITER)
    binary = os.path.join(directory, "jpeg_writer")
    subprocess.run(["cc", "-O2", "-o", binary, source, "-ljpeg"], check=True)
    return binary


def jpeg_bytes(writer, rows, input_space, stored_space, quality=100, progressive=False):
    height, width = len(rows), len(rows[0])
    raw = bytes(s for row in rows for p in row for s in p)
    with tempfile.NamedTemporaryFile(suffix=".jpg") as out:
        subprocess.run([writer, out.name, str(width), str(height), input_space, stored_space,
                        str(quality), "1" if progressive else "0"], input=raw, check=True)
        return open(out.name, "rb").read()


def quadrants(colors):
    """16x16 made of four solid 8x8 blocks (one JPEG block each), so decoding is near-exact."""
    return grid(16, 16, lambda x, y: colors[(y // 8) * 2 + (x // 8)])


def patch_frame_size(data, width, height):
    """Rewrites the SOF0/SOF2 frame header's dimensions."""
    data = bytearray(data)
    for marker in (b"\xff\xc0", b"\xff\xc2"):
        at = data.find(marker)
        if at >= 0:
            data[at + 5: at + 9] = struct.pack(">HH", height, width)
            return bytes(data)
    raise ValueError("no frame header")


def jpeg_fixtures(writer):
    colors = [(220, 30, 40), (30, 200, 60), (40, 50, 210), (128, 128, 128)]
    expected = [c for row in quadrants(colors) for p in row for c in p]
    yield "baseline.jpg", jpeg_bytes(writer, quadrants(colors), "rgb", "ycbcr"), expected
    yield "progressive.jpg", jpeg_bytes(writer, quadrants(colors), "rgb", "ycbcr", progressive=True), expected
    grays = [(20,), (90,), (160,), (240,)]
    yield "gray.jpg", jpeg_bytes(writer, quadrants(grays), "gray", "gray"), \
        [g[0] for row in quadrants(grays) for p in row for g in [p] * 3]
    # Adobe-inverted CMYK: 255 means no ink, so R = C*K/255 and so on.
    inks = [(220, 30, 40, 255), (30, 200, 60, 255), (255, 255, 0, 128), (255, 255, 255, 255)]
    cmyk_expected = [(c * k + 127) // 255 for row in quadrants(inks) for (c, m, y, k) in row
                     for c in (c, m, y)]
    yield "cmyk.jpg", jpeg_bytes(writer, quadrants(inks), "cmyk", "cmyk"), cmyk_expected
    yield "ycck.jpg", jpeg_bytes(writer, quadrants(inks), "cmyk", "ycck"), cmyk_expected


def jpeg_error_fixtures(writer, baseline):
    big = jpeg_bytes(writer, noise(64, 64, 3), "rgb", "ycbcr", quality=90)
    yield "truncated.jpg", big[: len(big) * 6 // 10], "truncated"
    big = jpeg_bytes(writer, noise(64, 64, 3), "rgb", "ycbcr", quality=90, progressive=True)
    yield "truncated_progressive.jpg", big[: len(big) * 6 // 10], "truncated"
    yield "huge_header.jpg", patch_frame_size(baseline, 60000, 60000), "tooLarge"
    yield "zero_height.jpg", patch_frame_size(baseline, 16, 0), "zeroSize"


def main():
    manifest = {"png": [], "jpeg": [], "errors": []}
    for name, data, expected in png_fixtures():
        write(name, data)
        manifest["png"].append({"name": name, **expected})
    for name, data, error in png_error_fixtures():
        write(name, data)
        manifest["errors"].append({"name": name, "error": error})
    with tempfile.TemporaryDirectory() as directory:
        writer = build_jpeg_writer(directory)
        baseline = None
        for name, data, expected in jpeg_fixtures(writer):
            write(name, data)
            baseline = baseline or data
            manifest["jpeg"].append({"name": name, "width": 16, "height": 16, "rgb": expected})
        for name, data, error in jpeg_error_fixtures(writer, baseline):
            write(name, data)
            manifest["errors"].append({"name": name, "error": error})
    with open(os.path.join(HERE, "expected.json"), "w") as out:
        json.dump(manifest, out, separators=(",", ":"))
        out.write("\n")


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as out:
        out.write(data)


if __name__ == "__main__":
    main()
