/*
 * Format sniffing, header-only size probing and the small helpers both codecs share.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tinct_internal.h"

static const uint8_t png_signature[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

tinct_status tinct_fail(tinct_status status, char *message, size_t capacity,
                        const char *format, ...) {
    if (message != NULL && capacity > 0) {
        va_list arguments;
        va_start(arguments, format);
        vsnprintf(message, capacity, format, arguments);
        va_end(arguments);
    }
    return status;
}

tinct_status tinct_check_size(uint64_t width, uint64_t height, uint64_t max_pixels,
                              const char *what, char *message, size_t capacity) {
    if (width == 0 || height == 0) {
        return tinct_fail(TINCT_ERR_ZERO_SIZE, message, capacity,
                          "%s declares a zero-sized image (%llux%llu)", what,
                          (unsigned long long)width, (unsigned long long)height);
    }
    /* Both factors fit in 32 bits, so the product cannot overflow 64 bits. */
    if (width * height > max_pixels) {
        return tinct_fail(TINCT_ERR_TOO_LARGE, message, capacity,
                          "%s is %llux%llu pixels, more than the limit of %llu", what,
                          (unsigned long long)width, (unsigned long long)height,
                          (unsigned long long)max_pixels);
    }
    return TINCT_OK;
}

int tinct_buffer_reserve(tinct_buffer *buffer, size_t extra) {
    if (buffer->capacity - buffer->length >= extra) return 1;
    size_t needed = buffer->length + extra;
    if (needed < buffer->length) return 0; /* overflow */
    size_t capacity = buffer->capacity < 4096 ? 4096 : buffer->capacity;
    while (capacity < needed) {
        if (capacity > SIZE_MAX / 2) {
            capacity = needed;
            break;
        }
        capacity *= 2;
    }
    uint8_t *bytes = realloc(buffer->bytes, capacity);
    if (bytes == NULL) return 0;
    buffer->bytes = bytes;
    buffer->capacity = capacity;
    return 1;
}

int tinct_buffer_append(tinct_buffer *buffer, const uint8_t *bytes, size_t count) {
    if (!tinct_buffer_reserve(buffer, count)) return 0;
    memcpy(buffer->bytes + buffer->length, bytes, count);
    buffer->length += count;
    return 1;
}

tinct_status tinct_finish_decode(tinct_image *out, tinct_status status, uint8_t *pixels) {
    if (status != TINCT_OK) {
        free(pixels);
        uint32_t width = out->width, height = out->height;
        memset(out, 0, sizeof *out);
        out->width = width;
        out->height = height;
        return status;
    }
    out->pixels = pixels;
    return TINCT_OK;
}

tinct_format tinct_sniff(const uint8_t *data, size_t length) {
    if (data == NULL) return TINCT_FORMAT_UNKNOWN;
    if (length >= sizeof png_signature && memcmp(data, png_signature, sizeof png_signature) == 0) {
        return TINCT_FORMAT_PNG;
    }
    if (length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) {
        return TINCT_FORMAT_JPEG;
    }
    return TINCT_FORMAT_UNKNOWN;
}

static uint32_t read_be32(const uint8_t *p) {
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static uint32_t read_be16(const uint8_t *p) { return ((uint32_t)p[0] << 8) | p[1]; }

/* The IHDR chunk must come first: length 13, type "IHDR", then width and height. */
static tinct_status png_read_size(const uint8_t *data, size_t length, uint32_t *width,
                                  uint32_t *height, char *message, size_t capacity) {
    if (length < 8 + 8 + 13) {
        return tinct_fail(TINCT_ERR_TRUNCATED, message, capacity,
                          "PNG stream ends before its IHDR header (%zu bytes)", length);
    }
    const uint8_t *chunk = data + 8;
    if (read_be32(chunk) != 13 || memcmp(chunk + 4, "IHDR", 4) != 0) {
        return tinct_fail(TINCT_ERR_CORRUPT, message, capacity,
                          "PNG stream does not start with an IHDR chunk");
    }
    *width = read_be32(chunk + 8);
    *height = read_be32(chunk + 12);
    if (*width > 0x7FFFFFFFu || *height > 0x7FFFFFFFu) {
        return tinct_fail(TINCT_ERR_CORRUPT, message, capacity,
                          "PNG IHDR declares an invalid size (%ux%u)", *width, *height);
    }
    return TINCT_OK;
}

/* Walks the marker segments up to the first SOFn frame header without decoding anything. */
static tinct_status jpeg_read_size(const uint8_t *data, size_t length, uint32_t *width,
                                   uint32_t *height, char *message, size_t capacity) {
    size_t at = 2; /* after SOI */
    for (;;) {
        while (at < length && data[at] != 0xFF) at++; /* tolerate junk between segments */
        while (at < length && data[at] == 0xFF) at++; /* fill bytes */
        if (at >= length) break;
        uint8_t marker = data[at++];
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) continue; /* standalone */
        if (marker == 0xD9 || marker == 0xDA) {
            return tinct_fail(TINCT_ERR_CORRUPT, message, capacity,
                              "JPEG stream has no frame header before %s",
                              marker == 0xDA ? "its scan data" : "its end");
        }
        if (at + 2 > length) break;
        size_t segment = read_be16(data + at);
        if (segment < 2) {
            return tinct_fail(TINCT_ERR_CORRUPT, message, capacity,
                              "JPEG marker 0x%02X has an invalid length", marker);
        }
        int is_frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 &&
                       marker != 0xCC;
        if (is_frame) {
            if (at + 7 > length) break;
            *height = read_be16(data + at + 3);
            *width = read_be16(data + at + 5);
            return TINCT_OK;
        }
        at += segment;
    }
    return tinct_fail(TINCT_ERR_TRUNCATED, message, capacity,
                      "JPEG stream ends before its frame header");
}

tinct_status tinct_read_size(const uint8_t *data, size_t length, tinct_format *format,
                             uint32_t *width, uint32_t *height, char *message,
                             size_t capacity) {
    if (format == NULL || width == NULL || height == NULL) {
        return tinct_fail(TINCT_ERR_INVALID_ARGUMENT, message, capacity, "missing output");
    }
    *format = TINCT_FORMAT_UNKNOWN;
    *width = 0;
    *height = 0;
    if (data == NULL || length == 0) {
        return tinct_fail(TINCT_ERR_EMPTY, message, capacity, "no image data");
    }
    *format = tinct_sniff(data, length);
    tinct_status status;
    switch (*format) {
    case TINCT_FORMAT_PNG:
        status = png_read_size(data, length, width, height, message, capacity);
        break;
    case TINCT_FORMAT_JPEG:
        status = jpeg_read_size(data, length, width, height, message, capacity);
        break;
    default:
        return tinct_fail(TINCT_ERR_UNKNOWN_FORMAT, message, capacity,
                          "data is neither PNG nor JPEG");
    }
    if (status == TINCT_OK && (*width == 0 || *height == 0)) {
        return tinct_fail(TINCT_ERR_ZERO_SIZE, message, capacity,
                          "header declares a zero-sized image (%ux%u)", *width, *height);
    }
    return status;
}

void tinct_free(void *pointer) { free(pointer); }
