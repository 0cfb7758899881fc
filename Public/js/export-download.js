// The editor's exports beyond the result pane's PNG: the result as OpenRaster layers, and
// as a PNG with the page's paper transparent. Both are made by the server from the same
// request as a colorization (POST /api/colorize with a `format`), so they match the result.
import { COLORIZE_PATH, colorizeRequestBody, request } from "./protocol.js";

/** The `format` field of POST /api/colorize (mirrors Sources/Server/Colorize/ColorizeFormat.swift). */
export const ExportFormat = Object.freeze({
  png: "png",
  transparentPNG: "png-transparent",
  openRaster: "ora",
});

/** The file name a download of `format` gets. */
export function exportFileName(format, mode, width, height) {
  const stem = `tinct-${mode}-${width}x${height}`;
  switch (format) {
    case ExportFormat.openRaster: return `${stem}.ora`;
    case ExportFormat.transparentPNG: return `${stem}-transparent.png`;
    default: return `${stem}.png`;
  }
}

/**
 * Asks the server for the current picture as `format`; resolves to the file as a Blob.
 * Rejects with the server's own sentence when it refuses.
 */
export async function fetchExport(picture) {
  const response = await request(COLORIZE_PATH, { body: colorizeRequestBody(picture) });
  return response.blob();
}
