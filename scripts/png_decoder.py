"""A stdlib-only PNG reader for scripts/filter_clipart.py: any non-interlaced PNG as packed RGB
bytes, alpha composited on white."""

import struct
import zlib

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class PNGError(Exception):
    pass


# ---------------------------------------------------------------------------
# PNG decoding (8/16-bit grey, grey+alpha, RGB, RGBA, 8-bit palette; no
# interlace), stdlib only. Rows filtered with None/Sub/Up are undone with
# big-integer SIMD-within-a-register arithmetic; Average/Paeth rows per byte.
# ---------------------------------------------------------------------------

def _masks(nbytes):
    lo = int.from_bytes(b"\x7f" * nbytes, "big")
    hi = int.from_bytes(b"\x80" * nbytes, "big")
    return lo, hi


def _add_bytes(a, b, lo, hi):
    """Byte-wise (a + b) mod 256 of two big integers holding byte strings."""
    return ((a & lo) + (b & lo)) ^ ((a ^ b) & hi)


def unfilter(raw, width, height, bpp):
    """Undo PNG scanline filters; returns the bytes of all rows, unfiltered."""
    stride = width * bpp
    if len(raw) < height * (stride + 1):
        raise PNGError("truncated image data")
    lo, hi = _masks(stride)
    out = bytearray(height * stride)
    prev = bytes(stride)
    prev_int = 0
    pos = 0
    for y in range(height):
        ftype = raw[pos]
        line = raw[pos + 1:pos + 1 + stride]
        pos += stride + 1
        if ftype == 0:
            cur = bytes(line)
            cur_int = int.from_bytes(cur, "big")
        elif ftype == 2:  # Up
            cur_int = _add_bytes(int.from_bytes(line, "big"), prev_int, lo, hi)
            cur = cur_int.to_bytes(stride, "big")
        elif ftype == 1:  # Sub: per-channel prefix sum, log-step scan
            x = int.from_bytes(line, "big")
            shift = 8 * bpp
            while shift < 8 * stride:
                x = _add_bytes(x, x >> shift, lo, hi)
                shift *= 2
            cur_int = x
            cur = x.to_bytes(stride, "big")
        elif ftype == 3:  # Average
            c = bytearray(line)
            for i in range(stride):
                left = c[i - bpp] if i >= bpp else 0
                c[i] = (c[i] + ((left + prev[i]) >> 1)) & 0xFF
            cur = bytes(c)
            cur_int = int.from_bytes(cur, "big")
        elif ftype == 4:  # Paeth
            c = bytearray(line)
            for i in range(bpp):
                c[i] = (c[i] + prev[i]) & 0xFF
            for i in range(bpp, stride):
                a = c[i - bpp]
                b = prev[i]
                cc = prev[i - bpp]
                pa = b - cc
                pb = a - cc
                pc = pa + pb
                if pa < 0:
                    pa = -pa
                if pb < 0:
                    pb = -pb
                if pc < 0:
                    pc = -pc
                if pa <= pb and pa <= pc:
                    pred = a
                elif pb <= pc:
                    pred = b
                else:
                    pred = cc
                c[i] = (c[i] + pred) & 0xFF
            cur = bytes(c)
            cur_int = int.from_bytes(cur, "big")
        else:
            raise PNGError("bad filter type %d" % ftype)
        out[y * stride:(y + 1) * stride] = cur
        prev = cur
        prev_int = cur_int
    return out


def read_png_rgb(path):
    """Decode a PNG into (width, height, RGB bytes), alpha composited on white."""
    with open(path, "rb") as fh:
        data = fh.read()
    if not data.startswith(PNG_SIGNATURE):
        raise PNGError("not a PNG")
    pos = 8
    ihdr = None
    palette = None
    trns = None
    idat = []
    while pos + 8 <= len(data):
        length, ctype = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if ctype == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif ctype == b"PLTE":
            palette = body
        elif ctype == b"tRNS":
            trns = body
        elif ctype == b"IDAT":
            idat.append(body)
        elif ctype == b"IEND":
            break
    if ihdr is None or not idat:
        raise PNGError("missing IHDR or IDAT")
    width, height, depth, color, _comp, _filt, interlace = ihdr
    if interlace:
        raise PNGError("interlaced PNG not supported")
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}.get(color)
    if channels is None:
        raise PNGError("bad colour type %d" % color)
    if depth not in (8, 16) or (color == 3 and depth != 8):
        raise PNGError("bit depth %d not supported" % depth)
    bpp = channels * depth // 8
    try:
        raw = zlib.decompress(b"".join(idat))
    except zlib.error as exc:
        raise PNGError("zlib: %s" % exc)
    px = unfilter(raw, width, height, bpp)
    if depth == 16:  # keep the high byte of each sample
        px = px[0::2]
    n = width * height
    if color == 3:
        if palette is None:
            raise PNGError("palette image without PLTE")
        pal = bytearray(768)
        pal[:len(palette)] = palette[:768]
        alpha = bytearray(b"\xff" * 256)
        if trns:
            alpha[:len(trns)] = trns[:256]
        table = [None] * 256
        for i in range(256):
            a = alpha[i]
            table[i] = bytes(
                (pal[3 * i + k] * a + 255 * (255 - a)) // 255 for k in range(3))
        rgb = b"".join(table[i] for i in px)
        return width, height, rgb
    if color in (0, 4):
        grey = px[0::channels]
        rgb = bytearray(3 * n)
        rgb[0::3] = grey
        rgb[1::3] = grey
        rgb[2::3] = grey
        if color == 4:
            _composite(rgb, px[1::2])
        return width, height, bytes(rgb)
    if color == 2:
        return width, height, bytes(px)
    rgb = bytearray(3 * n)
    rgb[0::3] = px[0::4]
    rgb[1::3] = px[1::4]
    rgb[2::3] = px[2::4]
    _composite(rgb, px[3::4])
    return width, height, bytes(rgb)


def _composite(rgb, alpha):
    """Composite in place over white, touching only non-opaque pixels."""
    if alpha.count(255) == len(alpha):
        return
    for i, a in enumerate(alpha):
        if a != 255:
            for k in range(3 * i, 3 * i + 3):
                rgb[k] = (rgb[k] * a + 255 * (255 - a)) // 255
