/*
 * JPEG decode (gray, YCbCr, RGB, CMYK, YCCK; baseline or progressive → 8-bit RGB) and
 * encode (8-bit gray or RGB) over libjpeg-turbo.
 *
 * libjpeg's default error_exit calls exit(); ours formats the message and longjmps back to
 * the setjmp in the *_body function. Those functions keep everything they must clean up in
 * a state struct owned by their caller, so nothing read after the jump is a non-volatile
 * local modified since setjmp. A truncated stream is only a warning in libjpeg (it pads the
 * rest of the image with gray); emit_message promotes that and similar corruption warnings
 * to errors.
 */
#include <stdio.h> /* jpeglib.h needs FILE and size_t declared first */
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>

#include "tinct_internal.h"

/* Error manager: libjpeg's public fields first so a j_common_ptr's err can be cast to it. */
typedef struct jpeg_error_state {
    struct jpeg_error_mgr manager;
    jmp_buf jump;
    tinct_status status; /* what the longjmp means */
    char *message;
    size_t capacity;
} jpeg_error_state;

static void record_message(j_common_ptr cinfo, tinct_status status) {
    jpeg_error_state *state = (jpeg_error_state *)cinfo->err;
    char text[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, text);
    state->status = status;
    tinct_fail(status, state->message, state->capacity, "%s", text);
}

static void on_jpeg_error_exit(j_common_ptr cinfo) {
    jpeg_error_state *state = (jpeg_error_state *)cinfo->err;
    tinct_status status = TINCT_ERR_CORRUPT;
    switch (cinfo->err->msg_code) {
    case JERR_EMPTY_IMAGE: status = TINCT_ERR_ZERO_SIZE; break;
    case JERR_OUT_OF_MEMORY: status = TINCT_ERR_OUT_OF_MEMORY; break;
    case JERR_IMAGE_TOO_BIG: status = TINCT_ERR_TOO_LARGE; break;
    case JERR_CONVERSION_NOTIMPL:
    case JERR_BAD_IN_COLORSPACE:
    case JERR_NOT_COMPILED:
        status = TINCT_ERR_UNSUPPORTED;
        break;
    default: break;
    }
    record_message(cinfo, status);
    longjmp(state->jump, 1);
}

/* Warnings that mean the pixels are wrong: libjpeg would otherwise fill the gap with gray. */
static int is_data_loss_warning(int code) {
    return code == JWRN_JPEG_EOF || code == JWRN_HIT_MARKER || code == JWRN_HUFF_BAD_CODE;
}

static void on_jpeg_message(j_common_ptr cinfo, int level) {
    if (level >= 0) return; /* trace messages */
    cinfo->err->num_warnings++;
    if (!is_data_loss_warning(cinfo->err->msg_code)) return; /* e.g. extraneous bytes: harmless */
    jpeg_error_state *state = (jpeg_error_state *)cinfo->err;
    record_message(cinfo, cinfo->err->msg_code == JWRN_JPEG_EOF ? TINCT_ERR_TRUNCATED
                                                                : TINCT_ERR_CORRUPT);
    longjmp(state->jump, 1);
}

static void install_error_manager(jpeg_error_state *state, char *message, size_t capacity) {
    jpeg_std_error(&state->manager);
    state->manager.error_exit = on_jpeg_error_exit;
    state->manager.emit_message = on_jpeg_message;
    state->status = TINCT_OK;
    state->message = message;
    state->capacity = capacity;
}

/* ---- Decoding ---------------------------------------------------------------------- */

typedef struct jpeg_decode_state {
    jpeg_error_state error;
    struct jpeg_decompress_struct cinfo;
    uint8_t *pixels;  /* width * height * 3, the result */
    uint8_t *row;     /* one scanline of CMYK when converting */
    uint64_t max_pixels;
    tinct_image *out;
} jpeg_decode_state;

/*
 * CMYK scanline → RGB. Adobe applications (and libjpeg, which writes the Adobe marker for
 * CMYK) store inverted values, so 255 means no ink: R = C·K/255. Without the Adobe marker
 * the samples are taken as plain ink amounts.
 */
static void cmyk_to_rgb(const uint8_t *cmyk, uint8_t *rgb, uint32_t width, int inverted) {
    for (uint32_t x = 0; x < width; x++, cmyk += 4, rgb += 3) {
        unsigned c = cmyk[0], m = cmyk[1], y = cmyk[2], k = cmyk[3];
        if (!inverted) {
            c = 255 - c; m = 255 - m; y = 255 - y; k = 255 - k;
        }
        rgb[0] = (uint8_t)((c * k + 127) / 255);
        rgb[1] = (uint8_t)((m * k + 127) / 255);
        rgb[2] = (uint8_t)((y * k + 127) / 255);
    }
}

static tinct_status jpeg_decode_body(jpeg_decode_state *state, const uint8_t *data, size_t length) {
    j_decompress_ptr cinfo = &state->cinfo;
    if (setjmp(state->error.jump)) return state->error.status;

    jpeg_create_decompress(cinfo);
    jpeg_mem_src(cinfo, data, (unsigned long)length);
    jpeg_read_header(cinfo, TRUE);

    state->out->width = cinfo->image_width;
    state->out->height = cinfo->image_height;
    tinct_status status = tinct_check_size(cinfo->image_width, cinfo->image_height,
                                           state->max_pixels, "JPEG", state->error.message,
                                           state->error.capacity);
    if (status != TINCT_OK) return status;

    int is_cmyk = 0;
    switch (cinfo->jpeg_color_space) {
    case JCS_GRAYSCALE:
    case JCS_YCbCr:
    case JCS_RGB:
        cinfo->out_color_space = JCS_RGB; /* libjpeg-turbo expands gray to RGB itself */
        break;
    case JCS_CMYK:
    case JCS_YCCK:
        cinfo->out_color_space = JCS_CMYK; /* YCCK → CMYK inside libjpeg, CMYK → RGB here */
        is_cmyk = 1;
        break;
    default:
        return tinct_fail(TINCT_ERR_UNSUPPORTED, state->error.message, state->error.capacity,
                          "unsupported colour space with %d components",
                          cinfo->num_components);
    }
    jpeg_start_decompress(cinfo);
    if (cinfo->output_components != (is_cmyk ? 4 : 3)) {
        return tinct_fail(TINCT_ERR_UNSUPPORTED, state->error.message, state->error.capacity,
                          "unexpected %d output components", cinfo->output_components);
    }

    uint32_t width = cinfo->output_width, height = cinfo->output_height;
    size_t row_bytes = (size_t)width * 3;
    state->pixels = malloc(row_bytes * height);
    if (is_cmyk) state->row = malloc((size_t)width * 4);
    if (state->pixels == NULL || (is_cmyk && state->row == NULL)) {
        return tinct_fail(TINCT_ERR_OUT_OF_MEMORY, state->error.message, state->error.capacity,
                          "out of memory for %ux%u pixels", width, height);
    }
    while (cinfo->output_scanline < height) {
        uint8_t *destination = state->pixels + (size_t)cinfo->output_scanline * row_bytes;
        JSAMPROW row = is_cmyk ? state->row : destination;
        if (jpeg_read_scanlines(cinfo, &row, 1) != 1) {
            return tinct_fail(TINCT_ERR_TRUNCATED, state->error.message, state->error.capacity,
                              "scan data ended early");
        }
        if (is_cmyk) cmyk_to_rgb(state->row, destination, width, cinfo->saw_Adobe_marker);
    }
    jpeg_finish_decompress(cinfo);

    state->out->width = width;
    state->out->height = height;
    state->out->channels = 3;
    state->out->has_alpha = 0;
    return TINCT_OK;
}

tinct_status tinct_jpeg_decode(const uint8_t *data, size_t length, uint64_t max_pixels,
                               tinct_image *out, char *message, size_t capacity) {
    if (out == NULL) return tinct_fail(TINCT_ERR_INVALID_ARGUMENT, message, capacity, "missing output");
    memset(out, 0, sizeof *out);
    if (data == NULL || length == 0) return tinct_fail(TINCT_ERR_EMPTY, message, capacity, "no image data");
    if (tinct_sniff(data, length) != TINCT_FORMAT_JPEG) {
        return tinct_fail(TINCT_ERR_UNKNOWN_FORMAT, message, capacity, "data is not a JPEG stream");
    }
    jpeg_decode_state state;
    memset(&state, 0, sizeof state);
    state.max_pixels = max_pixels;
    state.out = out;
    install_error_manager(&state.error, message, capacity);
    state.cinfo.err = &state.error.manager;

    tinct_status status = jpeg_decode_body(&state, data, length);
    if (status != TINCT_OK && out->width == 0 && out->height == 0) {
        /* libjpeg may fail inside jpeg_read_header after parsing the frame size
         * (e.g. "Empty JPEG image"): report what the header declared. */
        out->width = state.cinfo.image_width;
        out->height = state.cinfo.image_height;
    }
    jpeg_destroy_decompress(&state.cinfo);
    free(state.row);
    return tinct_finish_decode(out, status, state.pixels);
}

/* ---- Encoding ---------------------------------------------------------------------- */

/* Destination manager appending to a tinct_buffer, so an aborted encode frees cleanly. */
typedef struct buffer_destination {
    struct jpeg_destination_mgr manager;
    tinct_buffer buffer;
} buffer_destination;

enum { DESTINATION_CHUNK = 64 * 1024 };

static void destination_init(j_compress_ptr cinfo) {
    buffer_destination *destination = (buffer_destination *)cinfo->dest;
    if (!tinct_buffer_reserve(&destination->buffer, DESTINATION_CHUNK)) {
        ERREXIT1(cinfo, JERR_OUT_OF_MEMORY, 0);
    }
    destination->manager.next_output_byte = destination->buffer.bytes;
    destination->manager.free_in_buffer = destination->buffer.capacity;
}

static boolean destination_empty(j_compress_ptr cinfo) {
    /* libjpeg calls this only when the whole free space is used up. */
    buffer_destination *destination = (buffer_destination *)cinfo->dest;
    destination->buffer.length = destination->buffer.capacity;
    if (!tinct_buffer_reserve(&destination->buffer, DESTINATION_CHUNK)) {
        ERREXIT1(cinfo, JERR_OUT_OF_MEMORY, 1);
    }
    destination->manager.next_output_byte = destination->buffer.bytes + destination->buffer.length;
    destination->manager.free_in_buffer = destination->buffer.capacity - destination->buffer.length;
    return TRUE;
}

static void destination_term(j_compress_ptr cinfo) {
    buffer_destination *destination = (buffer_destination *)cinfo->dest;
    destination->buffer.length = destination->buffer.capacity - destination->manager.free_in_buffer;
}

typedef struct jpeg_encode_state {
    jpeg_error_state error;
    struct jpeg_compress_struct cinfo;
    buffer_destination destination;
} jpeg_encode_state;

static tinct_status jpeg_encode_body(jpeg_encode_state *state, const uint8_t *pixels,
                                     uint32_t width, uint32_t height, uint32_t channels,
                                     int quality, int chroma_subsampling) {
    j_compress_ptr cinfo = &state->cinfo;
    if (setjmp(state->error.jump)) return state->error.status;

    jpeg_create_compress(cinfo);
    state->destination.manager.init_destination = destination_init;
    state->destination.manager.empty_output_buffer = destination_empty;
    state->destination.manager.term_destination = destination_term;
    cinfo->dest = &state->destination.manager;

    cinfo->image_width = width;
    cinfo->image_height = height;
    cinfo->input_components = (int)channels;
    cinfo->in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(cinfo);
    jpeg_set_quality(cinfo, quality, TRUE);
    cinfo->optimize_coding = TRUE;
    if (channels == 3 && !chroma_subsampling) {
        /* Colour is what Tinct produces: keep chroma at full resolution (4:4:4). */
        cinfo->comp_info[0].h_samp_factor = 1;
        cinfo->comp_info[0].v_samp_factor = 1;
    }
    jpeg_start_compress(cinfo, TRUE);
    size_t row_bytes = (size_t)width * channels;
    while (cinfo->next_scanline < height) {
        JSAMPROW row = (JSAMPROW)(pixels + (size_t)cinfo->next_scanline * row_bytes);
        jpeg_write_scanlines(cinfo, &row, 1);
    }
    jpeg_finish_compress(cinfo);
    return TINCT_OK;
}

tinct_status tinct_jpeg_encode(const uint8_t *pixels, uint32_t width, uint32_t height,
                               uint32_t channels, int32_t quality, int32_t chroma_subsampling,
                               uint8_t **out, size_t *out_length, char *message, size_t capacity) {
    if (out == NULL || out_length == NULL || pixels == NULL) {
        return tinct_fail(TINCT_ERR_INVALID_ARGUMENT, message, capacity, "missing input or output");
    }
    *out = NULL;
    *out_length = 0;
    if (width == 0 || height == 0) {
        return tinct_fail(TINCT_ERR_ZERO_SIZE, message, capacity, "cannot encode a %ux%u image", width, height);
    }
    if (width > JPEG_MAX_DIMENSION || height > JPEG_MAX_DIMENSION) {
        return tinct_fail(TINCT_ERR_UNSUPPORTED, message, capacity,
                          "JPEG cannot store %ux%u pixels (at most %d per side)", width, height,
                          (int)JPEG_MAX_DIMENSION);
    }
    if (channels != 1 && channels != 3) {
        return tinct_fail(TINCT_ERR_INVALID_ARGUMENT, message, capacity,
                          "JPEG encoder takes 1 or 3 channels, not %u", channels);
    }
    if (quality < 1 || quality > 100) {
        return tinct_fail(TINCT_ERR_INVALID_ARGUMENT, message, capacity,
                          "JPEG quality must be 1...100, not %d", quality);
    }
    jpeg_encode_state state;
    memset(&state, 0, sizeof state);
    install_error_manager(&state.error, message, capacity);
    state.cinfo.err = &state.error.manager;

    tinct_status status = jpeg_encode_body(&state, pixels, width, height, channels, quality,
                                           chroma_subsampling);
    jpeg_destroy_compress(&state.cinfo);
    if (status != TINCT_OK) {
        free(state.destination.buffer.bytes);
        return status;
    }
    *out = state.destination.buffer.bytes;
    *out_length = state.destination.buffer.length;
    return TINCT_OK;
}
