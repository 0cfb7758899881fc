/*
 * libFuzzer target over Tinct's image codec shim (Sources/CImageCodecs).
 *
 * Every input goes through what the server does with an uploaded picture: sniff, read the
 * header size, decode as PNG and as JPEG under a pixel limit. A picture that decodes is
 * encoded again (PNG, and JPEG when it is small) and the PNG re-decoded, so the encoders
 * and the decoders' output layout are exercised too. The shim must answer every input with
 * a status code and a message — never crash, leak, or touch memory it does not own.
 *
 * Built by `make fuzz` with the Swift toolchain's clang:
 *   clang -fsanitize=fuzzer,address,undefined -I Sources/CImageCodecs/include \
 *         Tests/Fuzz/codec_fuzzer.c Sources/CImageCodecs/\*.c -lpng16 -ljpeg
 * Run without arguments it fuzzes; given files it runs each once (the ASan corpus pass).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tinct_codecs.h"

/* Smaller than the server's 16 M pixels so a fuzzing run stays fast, large enough that
 * the size check and real allocations both happen. */
static const uint64_t max_pixels = 1u << 22;

/* Stops the run with a readable reason; libFuzzer saves the input as a crash. */
static void broken(const char *what, tinct_status status, const char *message) {
    fprintf(stderr, "codec_fuzzer: %s (status %d, message \"%s\")\n", what, (int)status, message);
    abort();
}

/* A failure must come with a message, and a success with pixels of the declared size. */
static void check_result(const char *codec, tinct_status status, const tinct_image *image,
                         const char *message) {
    if (status == TINCT_OK) {
        if (image->pixels == NULL || image->width == 0 || image->height == 0) {
            broken(codec, status, "success without pixels");
        }
        if ((uint64_t)image->width * image->height > max_pixels) {
            broken(codec, status, "success over the pixel limit");
        }
        /* Touch the first and last byte: ASan reports a short buffer here. */
        size_t bytes = (size_t)image->width * image->height * image->channels;
        volatile uint8_t first = image->pixels[0], last = image->pixels[bytes - 1];
        (void)first;
        (void)last;
    } else if (message[0] == '\0') {
        broken(codec, status, "failure without a message");
    } else if (image->pixels != NULL) {
        broken(codec, status, "failure that still returned pixels");
    }
}

/* Encodes a decoded picture again and decodes the PNG, which must give the same size. */
static void round_trip(const tinct_image *image) {
    char message[TINCT_MESSAGE_CAPACITY] = "";
    uint8_t *png = NULL;
    size_t png_length = 0;
    /* The fast (run-length) mode on odd-sized inputs, the default level on the rest. */
    int32_t fast = (int32_t)((image->width ^ image->height) & 1);
    tinct_status status = tinct_png_encode(image->pixels, image->width, image->height,
                                           image->channels, fast, &png, &png_length, message,
                                           sizeof message);
    if (status != TINCT_OK) broken("PNG re-encode", status, message);
    tinct_image again;
    status = tinct_png_decode(png, png_length, max_pixels, &again, message, sizeof message);
    if (status != TINCT_OK) broken("PNG re-decode", status, message);
    if (again.width != image->width || again.height != image->height) {
        broken("PNG re-decode", status, "size changed");
    }
    tinct_free(again.pixels);
    tinct_free(png);

    /* JPEG takes 1 or 3 channels: encode the RGB output of the JPEG decoder, small ones only. */
    if (image->channels == 3 && (uint64_t)image->width * image->height <= 256 * 256) {
        uint8_t *jpeg = NULL;
        size_t jpeg_length = 0;
        status = tinct_jpeg_encode(image->pixels, image->width, image->height, 3, 90, 1, &jpeg,
                                   &jpeg_length, message, sizeof message);
        if (status != TINCT_OK) broken("JPEG re-encode", status, message);
        tinct_free(jpeg);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t length) {
    char message[TINCT_MESSAGE_CAPACITY];
    tinct_format format = tinct_sniff(data, length);

    tinct_format header_format = TINCT_FORMAT_UNKNOWN;
    uint32_t width = 0, height = 0;
    message[0] = '\0';
    tinct_status status = tinct_read_size(data, length, &header_format, &width, &height,
                                          message, sizeof message);
    if (status != TINCT_OK && message[0] == '\0') broken("read_size", status, message);
    if (status == TINCT_OK && header_format != format) broken("read_size", status, "format differs from sniff");

    /* Both decoders see every input, whatever its signature says. */
    static const struct {
        const char *name;
        tinct_status (*decode)(const uint8_t *, size_t, uint64_t, tinct_image *, char *, size_t);
    } decoders[] = {{"PNG decode", tinct_png_decode}, {"JPEG decode", tinct_jpeg_decode}};
    for (size_t i = 0; i < sizeof decoders / sizeof decoders[0]; i++) {
        tinct_image image;
        message[0] = '\0';
        status = decoders[i].decode(data, length, max_pixels, &image, message, sizeof message);
        check_result(decoders[i].name, status, &image, message);
        if (status == TINCT_OK) {
            round_trip(&image);
            tinct_free(image.pixels);
        }
    }
    return 0;
}
