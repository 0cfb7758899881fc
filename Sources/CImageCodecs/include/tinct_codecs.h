/*
 * tinct_codecs.h — a thin C shim over libpng and libjpeg-turbo for Tinct.
 *
 * Every function reports failure through a tinct_status code plus a NUL-terminated
 * message written into a caller-provided buffer. No function exits, prints or aborts:
 * the libraries' fatal errors are caught with setjmp/longjmp inside the C files.
 *
 * Decoders read the header first and refuse images whose width*height exceeds the
 * caller's max_pixels before allocating any pixel memory.
 *
 * Buffers returned through `out` parameters are allocated with malloc; release them
 * with tinct_free.
 */
#ifndef TINCT_CODECS_H
#define TINCT_CODECS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Outcome of a shim call. */
typedef enum tinct_status {
    TINCT_OK = 0,
    /** The input buffer was empty. */
    TINCT_ERR_EMPTY = 1,
    /** The bytes are neither a PNG nor a JPEG stream. */
    TINCT_ERR_UNKNOWN_FORMAT = 2,
    /** The stream is malformed; the message holds the library's explanation. */
    TINCT_ERR_CORRUPT = 3,
    /** The stream ended before the image was complete. */
    TINCT_ERR_TRUNCATED = 4,
    /** width*height exceeds the caller's pixel limit; width/height are still reported. */
    TINCT_ERR_TOO_LARGE = 5,
    /** The header declares a zero width or height. */
    TINCT_ERR_ZERO_SIZE = 6,
    /** malloc failed. */
    TINCT_ERR_OUT_OF_MEMORY = 7,
    /** The caller passed an unsupported argument (channel count, quality, null pointer). */
    TINCT_ERR_INVALID_ARGUMENT = 8,
    /** The stream is valid but uses a feature Tinct does not decode (e.g. 2-component JPEG). */
    TINCT_ERR_UNSUPPORTED = 9
} tinct_status;

/** Container format recognised from the leading magic bytes. */
typedef enum tinct_format {
    TINCT_FORMAT_UNKNOWN = 0,
    TINCT_FORMAT_PNG = 1,
    TINCT_FORMAT_JPEG = 2
} tinct_format;

/** A decoded image: 8-bit interleaved pixels, rows packed without padding. */
typedef struct tinct_image {
    /** width * height * channels bytes, malloc'd; release with tinct_free. */
    uint8_t *pixels;
    uint32_t width;
    uint32_t height;
    /** 4 (RGBA) for PNG, 3 (RGB) for JPEG. */
    uint32_t channels;
    /** Non-zero when the source carried transparency (alpha channel or tRNS chunk). */
    int32_t has_alpha;
} tinct_image;

/** Suggested size of the message buffers passed to the functions below. */
#define TINCT_MESSAGE_CAPACITY 256

/** Recognises PNG (8-byte signature) and JPEG (FF D8 FF) streams. */
tinct_format tinct_sniff(const uint8_t *data, size_t length);

/**
 * Reads only the header of a PNG or JPEG stream and reports its dimensions.
 * Returns TINCT_ERR_ZERO_SIZE (with the dimensions filled in) for a zero-sized header.
 */
tinct_status tinct_read_size(const uint8_t *data, size_t length, tinct_format *format,
                             uint32_t *width, uint32_t *height,
                             char *message, size_t message_capacity);

/**
 * Decodes any PNG variant (palette, gray, gray+alpha, 1–16 bit, interlaced, tRNS)
 * to 8-bit RGBA. On TINCT_ERR_TOO_LARGE, out->width/height hold the declared size.
 */
tinct_status tinct_png_decode(const uint8_t *data, size_t length, uint64_t max_pixels,
                              tinct_image *out, char *message, size_t message_capacity);

/**
 * Decodes a baseline or progressive JPEG (gray, YCbCr/RGB, CMYK or YCCK) to 8-bit RGB.
 * A truncated or visibly corrupt entropy-coded segment is an error, not a gray-padded image.
 */
tinct_status tinct_jpeg_decode(const uint8_t *data, size_t length, uint64_t max_pixels,
                               tinct_image *out, char *message, size_t message_capacity);

/**
 * Encodes 8-bit pixels (channels 1 = gray, 3 = RGB, 4 = RGBA) as a PNG.
 * fast = 0: zlib level 6 (small files); fast != 0: zlib's run-length strategy, several times
 * quicker and about as small on colorized pictures (for live answers).
 * *out receives a malloc'd buffer of *out_length bytes.
 */
tinct_status tinct_png_encode(const uint8_t *pixels, uint32_t width, uint32_t height,
                              uint32_t channels, int32_t fast, uint8_t **out, size_t *out_length,
                              char *message, size_t message_capacity);

/**
 * Encodes 8-bit pixels (channels 1 = gray, 3 = RGB) as a baseline JPEG with the given
 * quality (1–100). chroma_subsampling = 0 keeps full-resolution colour (4:4:4);
 * non-zero uses 4:2:0. *out receives a malloc'd buffer of *out_length bytes.
 */
tinct_status tinct_jpeg_encode(const uint8_t *pixels, uint32_t width, uint32_t height,
                               uint32_t channels, int32_t quality, int32_t chroma_subsampling,
                               uint8_t **out, size_t *out_length,
                               char *message, size_t message_capacity);

/** Releases a buffer returned by this shim. NULL is allowed. */
void tinct_free(void *pointer);

#ifdef __cplusplus
}
#endif

#endif /* TINCT_CODECS_H */
