/*
 * Helpers shared by the PNG and JPEG halves of the shim. Not part of the public header.
 */
#ifndef TINCT_INTERNAL_H
#define TINCT_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "tinct_codecs.h"

/** Writes a printf-style message into the caller's buffer (if any) and returns status. */
tinct_status tinct_fail(tinct_status status, char *message, size_t capacity,
                        const char *format, ...) __attribute__((format(printf, 4, 5)));

/** Checks a declared size against the caller's limit; fills the message on refusal. */
tinct_status tinct_check_size(uint64_t width, uint64_t height, uint64_t max_pixels,
                              const char *what, char *message, size_t capacity);

/** A malloc'd byte buffer that grows geometrically; the encoders write into it. */
typedef struct tinct_buffer {
    uint8_t *bytes;
    size_t length;
    size_t capacity;
} tinct_buffer;

/** Makes room for `extra` more bytes. Returns 0 when malloc fails. */
int tinct_buffer_reserve(tinct_buffer *buffer, size_t extra);

/** Appends bytes. Returns 0 when malloc fails. */
int tinct_buffer_append(tinct_buffer *buffer, const uint8_t *bytes, size_t count);

/**
 * Ends a decode: on success `out` takes `pixels`; on failure they are freed and `out` keeps
 * only the width and height the header declared (callers report them). Returns status.
 */
tinct_status tinct_finish_decode(tinct_image *out, tinct_status status, uint8_t *pixels);

#endif /* TINCT_INTERNAL_H */
