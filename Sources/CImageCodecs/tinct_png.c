/*
 * PNG decode (any variant → 8-bit RGBA) and encode (8-bit gray/RGB/RGBA) over libpng 1.6.
 *
 * libpng reports fatal errors by calling an error function that must not return; ours
 * records the message and longjmps back to the png_jmpbuf. The function that calls setjmp
 * keeps everything it must clean up in a state struct owned by its caller, so nothing it
 * reads after the jump is a non-volatile local modified since setjmp (C11 7.13.2.1).
 */
#include <png.h>
#include <zlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tinct_internal.h"

/* Per-call state reached from libpng callbacks through png_get_error_ptr / png_get_io_ptr. */
typedef struct png_context {
    const uint8_t *data;
    size_t length;
    size_t offset;
    int ran_out;            /* the read callback hit the end of the buffer */
    int no_memory;          /* the write callback could not grow its buffer */
    tinct_buffer output;    /* encoder destination */
    char *message;
    size_t capacity;
} png_context;

static void on_png_error(png_structp png, png_const_charp text) {
    png_context *context = png_get_error_ptr(png);
    tinct_fail(TINCT_ERR_CORRUPT, context->message, context->capacity, "%s", text);
    png_longjmp(png, 1);
}

static void on_png_warning(png_structp png, png_const_charp text) {
    /* Warnings (bad ancillary chunks, odd gamma) do not stop Tinct from using the pixels. */
    (void)png;
    (void)text;
}

static void read_from_memory(png_structp png, png_bytep destination, size_t count) {
    png_context *context = png_get_io_ptr(png);
    if (count > context->length - context->offset) {
        char text[96];
        context->ran_out = 1;
        snprintf(text, sizeof text, "libpng needed more data after byte %zu", context->length);
        png_error(png, text);
    }
    memcpy(destination, context->data + context->offset, count);
    context->offset += count;
}

static void write_to_memory(png_structp png, png_bytep source, size_t count) {
    png_context *context = png_get_io_ptr(png);
    if (!tinct_buffer_append(&context->output, source, count)) {
        context->no_memory = 1;
        png_error(png, "out of memory while encoding");
    }
}

static void flush_memory(png_structp png) { (void)png; }

/* Everything the decoder must release after a longjmp, owned by the caller's frame. */
typedef struct png_decode_state {
    png_context io;
    png_structp png;
    png_infop info;
    uint8_t *pixels;
    png_bytep *rows;
    tinct_image *out;
} png_decode_state;

/* Runs libpng; returns TINCT_OK or the status for a longjmp'd error (message already set). */
static tinct_status png_decode_body(png_decode_state *state) {
    png_structp png = state->png;
    png_infop info = state->info;
    if (setjmp(png_jmpbuf(png))) {
        return state->io.ran_out ? TINCT_ERR_TRUNCATED : TINCT_ERR_CORRUPT;
    }
    png_set_read_fn(png, &state->io, read_from_memory);
    png_set_user_limits(png, state->out->width, state->out->height);
    /* libpng 1.6 allocates the declared length of these chunks before reading them, and
     * png_set_chunk_malloc_max does not stop it: a 150-byte file declaring a 2 GB zTXt (or
     * tEXt, iTXt, sPLT, eXIf, pCAL, sCAL) chunk made it malloc 2 GB (found by fuzzing).
     * Tinct uses none of this metadata, so the chunks are skipped unread. */
    static const png_byte ignored_chunks[] = "tEXt\0zTXt\0iTXt\0sPLT\0eXIf\0pCAL\0sCAL\0iCCP\0";
    png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, ignored_chunks, 8);
    png_read_info(png, info);

    uint32_t width = png_get_image_width(png, info);
    uint32_t height = png_get_image_height(png, info);
    int color_type = png_get_color_type(png, info);
    int bit_depth = png_get_bit_depth(png, info);
    int has_trns = png_get_valid(png, info, PNG_INFO_tRNS) != 0;

    /* Normalise every variant to 8-bit RGBA: palette → RGB, low-bit gray → 8 bit,
     * tRNS → alpha channel, 16 → 8 bit (rounded, not truncated), gray → RGB, opaque filler. */
    png_set_expand(png);
    if (bit_depth == 16) png_set_scale_16(png);
    if (!(color_type & PNG_COLOR_MASK_COLOR)) png_set_gray_to_rgb(png);
    if (!(color_type & PNG_COLOR_MASK_ALPHA) && !has_trns) png_set_filler(png, 0xFF, PNG_FILLER_AFTER);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);

    size_t row_bytes = png_get_rowbytes(png, info);
    if (row_bytes != (size_t)width * 4) png_error(png, "unexpected row layout after normalising to RGBA");
    state->pixels = malloc(row_bytes * height);
    state->rows = malloc(sizeof(png_bytep) * height);
    if (state->pixels == NULL || state->rows == NULL) {
        return tinct_fail(TINCT_ERR_OUT_OF_MEMORY, state->io.message, state->io.capacity,
                          "out of memory for %ux%u pixels", width, height);
    }
    for (uint32_t y = 0; y < height; y++) state->rows[y] = state->pixels + (size_t)y * row_bytes;
    png_read_image(png, state->rows);
    /* png_read_end is skipped on purpose: a file missing only its IEND still has every pixel. */

    state->out->width = width;
    state->out->height = height;
    state->out->channels = 4;
    state->out->has_alpha = (color_type & PNG_COLOR_MASK_ALPHA) || has_trns;
    return TINCT_OK;
}

tinct_status tinct_png_decode(const uint8_t *data, size_t length, uint64_t max_pixels,
                              tinct_image *out, char *message, size_t capacity) {
    if (out == NULL) return tinct_fail(TINCT_ERR_INVALID_ARGUMENT, message, capacity, "missing output");
    memset(out, 0, sizeof *out);
    if (data == NULL || length == 0) return tinct_fail(TINCT_ERR_EMPTY, message, capacity, "no image data");
    if (tinct_sniff(data, length) != TINCT_FORMAT_PNG) {
        return tinct_fail(TINCT_ERR_UNKNOWN_FORMAT, message, capacity, "data is not a PNG stream");
    }

    /* Refuse oversized images from the raw IHDR, before libpng allocates anything. */
    tinct_format format;
    tinct_status status = tinct_read_size(data, length, &format, &out->width, &out->height,
                                          message, capacity);
    if (status != TINCT_OK) return status;
    status = tinct_check_size(out->width, out->height, max_pixels, "PNG", message, capacity);
    if (status != TINCT_OK) return status;

    png_decode_state state = {
        .io = {.data = data, .length = length, .message = message, .capacity = capacity},
        .out = out,
    };
    state.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &state.io, on_png_error, on_png_warning);
    if (state.png != NULL) state.info = png_create_info_struct(state.png);
    if (state.png == NULL || state.info == NULL) {
        png_destroy_read_struct(&state.png, NULL, NULL);
        return tinct_fail(TINCT_ERR_OUT_OF_MEMORY, message, capacity, "out of memory");
    }
    status = png_decode_body(&state);
    free(state.rows);
    png_destroy_read_struct(&state.png, &state.info, NULL);
    return tinct_finish_decode(out, status, state.pixels);
}

/* Everything the encoder must release after a longjmp, owned by the caller's frame. */
typedef struct png_encode_state {
    png_context io;
    png_structp png;
    png_infop info;
} png_encode_state;

static tinct_status png_encode_body(png_encode_state *state, const uint8_t *pixels,
                                    uint32_t width, uint32_t height, uint32_t channels,
                                    int color_type, int32_t fast) {
    png_structp png = state->png;
    if (setjmp(png_jmpbuf(png))) {
        return state->io.no_memory ? TINCT_ERR_OUT_OF_MEMORY : TINCT_ERR_INVALID_ARGUMENT;
    }
    png_set_write_fn(png, &state->io, write_to_memory, flush_memory);
    png_set_IHDR(png, state->info, width, height, 8, color_type, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (fast) {
        /* Z_RLE after libpng's adaptive row filters: ~5x quicker than level 6 on a
           256x256 colorized result, and no larger. */
        png_set_compression_strategy(png, Z_RLE);
        png_set_compression_level(png, 1);
    } else {
        png_set_compression_level(png, 6);
    }
    png_write_info(png, state->info);
    size_t row_bytes = (size_t)width * channels;
    for (uint32_t y = 0; y < height; y++) png_write_row(png, pixels + (size_t)y * row_bytes);
    png_write_end(png, state->info);
    return TINCT_OK;
}

tinct_status tinct_png_encode(const uint8_t *pixels, uint32_t width, uint32_t height,
                              uint32_t channels, int32_t fast, uint8_t **out, size_t *out_length,
                              char *message, size_t capacity) {
    if (out == NULL || out_length == NULL || pixels == NULL) {
        return tinct_fail(TINCT_ERR_INVALID_ARGUMENT, message, capacity, "missing input or output");
    }
    *out = NULL;
    *out_length = 0;
    if (width == 0 || height == 0) {
        return tinct_fail(TINCT_ERR_ZERO_SIZE, message, capacity, "cannot encode a %ux%u image", width, height);
    }
    int color_type;
    switch (channels) {
    case 1: color_type = PNG_COLOR_TYPE_GRAY; break;
    case 3: color_type = PNG_COLOR_TYPE_RGB; break;
    case 4: color_type = PNG_COLOR_TYPE_RGB_ALPHA; break;
    default:
        return tinct_fail(TINCT_ERR_INVALID_ARGUMENT, message, capacity,
                          "PNG encoder takes 1, 3 or 4 channels, not %u", channels);
    }
    png_encode_state state = {.io = {.message = message, .capacity = capacity}};
    state.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &state.io, on_png_error, on_png_warning);
    if (state.png != NULL) state.info = png_create_info_struct(state.png);
    if (state.png == NULL || state.info == NULL) {
        png_destroy_write_struct(&state.png, NULL);
        return tinct_fail(TINCT_ERR_OUT_OF_MEMORY, message, capacity, "out of memory");
    }
    tinct_status status = png_encode_body(&state, pixels, width, height, channels, color_type, fast);
    png_destroy_write_struct(&state.png, &state.info);
    if (status != TINCT_OK) {
        free(state.io.output.bytes);
        return status;
    }
    *out = state.io.output.bytes;
    *out_length = state.io.output.length;
    return TINCT_OK;
}
