// The drawing canvas: a white picture with ink, at the input's full resolution.
// The canvas element is scaled by CSS; all coordinates here are picture pixels.

/** Ink and paper colors. */
export const INK = "#000000";
export const PAPER = "#ffffff";

export class Drawing {
  /** @param {HTMLCanvasElement} canvas */
  constructor(canvas) {
    this.canvas = canvas;
    this.context = canvas.getContext("2d", { willReadFrequently: true });
    /** Increases with every change to the pixels, so callers can tell whether to resend. */
    this.version = 0;
  }

  get width() { return this.canvas.width; }
  get height() { return this.canvas.height; }

  /** A blank sheet of `width`×`height`. */
  reset(width, height) {
    this.canvas.width = width;
    this.canvas.height = height;
    this.context.fillStyle = PAPER;
    this.context.fillRect(0, 0, width, height);
    this.version += 1;
  }

  /** Replaces the picture with `source` (an ImageBitmap or image) at its own size. */
  load(source, width, height) {
    this.reset(width, height);
    this.context.drawImage(source, 0, 0, width, height);
    this.version += 1;
  }

  /** Draws a round-capped line from `from` to `to` (picture pixels); the eraser paints paper. */
  stroke(from, to, size, erase) {
    const c = this.context;
    c.strokeStyle = erase ? PAPER : INK;
    c.fillStyle = c.strokeStyle;
    c.lineWidth = size;
    c.lineCap = "round";
    c.lineJoin = "round";
    if (from.x === to.x && from.y === to.y) {
      c.beginPath();
      c.arc(to.x, to.y, size / 2, 0, Math.PI * 2);
      c.fill();
    } else {
      c.beginPath();
      c.moveTo(from.x, from.y);
      c.lineTo(to.x, to.y);
      c.stroke();
    }
    this.version += 1;
  }

  /** The pixels, for undo. */
  snapshot() {
    return this.context.getImageData(0, 0, this.width, this.height);
  }

  /** Puts back pixels taken by `snapshot` (resizing the canvas if needed). */
  restore(imageData) {
    if (this.canvas.width !== imageData.width || this.canvas.height !== imageData.height) {
      this.canvas.width = imageData.width;
      this.canvas.height = imageData.height;
    }
    this.context.putImageData(imageData, 0, 0);
    this.version += 1;
  }

  /** The picture as base64 PNG (no data: prefix). */
  toBase64PNG() {
    const url = this.canvas.toDataURL("image/png");
    return url.slice(url.indexOf(",") + 1);
  }

  /** The picture as a PNG data URL (for project files). */
  toDataURL() {
    return this.canvas.toDataURL("image/png");
  }

  /** Maps a pointer event to picture pixels. */
  pointFromEvent(event) {
    const rect = this.canvas.getBoundingClientRect();
    return {
      x: Math.min(this.width - 1, Math.max(0, ((event.clientX - rect.left) * this.width) / rect.width)),
      y: Math.min(this.height - 1, Math.max(0, ((event.clientY - rect.top) * this.height) / rect.height)),
    };
  }

  /** Picture pixels per CSS pixel at the current display size. */
  get pixelsPerCSSPixel() {
    const rect = this.canvas.getBoundingClientRect();
    return rect.width > 0 ? this.width / rect.width : 1;
  }

  /**
   * Guesses what kind of picture the canvas holds, from a 64×64 thumbnail: a color picture
   * (many colorful pixels), a black-and-white photo (nearly no color, many mid-tones; line
   * art is mostly paper with some ink), or line art. `tinct colorize` decides the same way
   * with the same thresholds (`PictureKind` in Sources/Pix2Pix/Data/PictureKind.swift).
   * @returns {string} one of `PictureKind`
   */
  pictureKind() {
    const side = 64;
    const probe = document.createElement("canvas");
    probe.width = side;
    probe.height = side;
    const c = probe.getContext("2d", { willReadFrequently: true });
    c.drawImage(this.canvas, 0, 0, side, side);
    const data = c.getImageData(0, 0, side, side).data;
    let colorful = 0;
    let midTones = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
      if (Math.max(r, g, b) - Math.min(r, g, b) > 24) colorful += 1;
      const y = 0.299 * r + 0.587 * g + 0.114 * b;
      if (y > 40 && y < 215) midTones += 1;
    }
    const n = side * side;
    if (colorful / n >= 0.05) return PictureKind.color;
    if (colorful / n < 0.02 && midTones / n > 0.3) return PictureKind.grayscalePhoto;
    return PictureKind.lineArt;
  }
}

/** What `Drawing.pictureKind()` can tell apart. */
export const PictureKind = Object.freeze({ lineArt: "lineart", grayscalePhoto: "grayscale-photo", color: "color" });
