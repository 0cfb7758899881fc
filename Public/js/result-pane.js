// The result pane: the newest colorization (or a preview of extracted lines, or a placeholder),
// its caption, and the eyedropper that picks a colour from it.
import { byId } from "./dom.js";
import { StatusTopic } from "./status-line.js";

/** How many result timings are kept. */
const MAX_TIMINGS = 1000;

export class ResultPane {
  /**
   * @param {{canvas: HTMLCanvasElement, drawing, state, view, status, palette}} parts
   */
  constructor({ canvas, drawing, state, view, status, palette }) {
    this.canvas = canvas;
    this.context = canvas.getContext("2d", { willReadFrequently: true });
    this.drawing = drawing;
    this.state = state;
    this.view = view;
    this.status = status;
    this.caption = byId("result-info");
    /**
     * Timings of the live results shown, in milliseconds, for tests and the curious:
     * `encode` (the drawing to PNG, when it was sent), `roundTrip` (request sent → answer
     * received), `server` (the server's own time), `shown` (encoding started → result drawn).
     */
    this.timings = [];
    canvas.addEventListener("click", (event) => {
      const hex = this.colorAt(event);
      if (!hex) return;
      palette.set(hex);
      status.show(`Picked ${hex} from the result.`);
    });
  }

  /** Draws `bitmap` on the pane's canvas, resized to it. */
  draw(bitmap) {
    if (this.canvas.width !== bitmap.width || this.canvas.height !== bitmap.height) {
      this.canvas.width = bitmap.width;
      this.canvas.height = bitmap.height;
    }
    this.context.drawImage(bitmap, 0, 0);
  }

  /** Shows a colorization (as ColorizeClient hands it over) and its caption. */
  async showResult({ blob, roundTrip, ms, startedAt, encodeMs }) {
    const bitmap = await createImageBitmap(blob);
    this.draw(bitmap);
    bitmap.close();
    if (startedAt !== undefined && roundTrip !== null) {
      this.timings.push({ encode: encodeMs, roundTrip, server: ms, shown: performance.now() - startedAt, bytes: blob.size });
      if (this.timings.length > MAX_TIMINGS) this.timings.shift();
    }
    this.view.fitStages();
    this.state.hasResult = true;
    this.canvas.dataset.ready = "true";
    delete this.canvas.dataset.preview;
    this.view.updateButtons();
    const parts = [`${this.canvas.width}×${this.canvas.height}`];
    if (ms !== null && ms !== undefined) parts.push(`server ${Math.round(ms)} ms`);
    if (roundTrip !== null && roundTrip !== undefined) parts.push(`round trip ${Math.round(roundTrip)} ms`);
    this.caption.textContent = parts.join(" · ");
    // Live results only update the caption; the status line keeps what it last told the person.
    this.status.replace(StatusTopic.colorizing, "Colorized.");
  }

  /** Empties the pane (at the drawing's size), showing `placeholder`. */
  clear(placeholder = "The colorized picture appears here") {
    const { canvas, context } = this;
    canvas.width = this.drawing.width;
    canvas.height = this.drawing.height;
    context.fillStyle = "#f3f1ee";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.fillStyle = "#8a847c";
    context.font = `${Math.round(canvas.width / 24)}px system-ui, sans-serif`;
    context.textAlign = "center";
    context.fillText(placeholder, canvas.width / 2, canvas.height / 2);
    this.state.hasResult = false;
    delete canvas.dataset.ready;
    delete canvas.dataset.preview;
    this.caption.textContent = "";
    this.view.updateButtons();
    this.view.fitStages();
  }

  /** Shows the newest preview of extracted lines (not a colorization). */
  showLinePreview(bitmap, { style, strength }) {
    this.draw(bitmap);
    this.canvas.dataset.preview = "lines";
    this.caption.textContent = `lines by ${style}, strength ${strength > 0 ? "+" : ""}${strength} — not colorized yet`;
    this.view.fitStages();
  }

  /** The result's colour under a click, as `#rrggbb`, or null while it shows no result. */
  colorAt(event) {
    if (!this.state.hasResult) return null;
    const rect = this.canvas.getBoundingClientRect();
    const x = Math.floor(((event.clientX - rect.left) * this.canvas.width) / rect.width);
    const y = Math.floor(((event.clientY - rect.top) * this.canvas.height) / rect.height);
    const [r, g, b] = this.context.getImageData(x, y, 1, 1).data;
    return `#${[r, g, b].map((v) => v.toString(16).padStart(2, "0")).join("")}`;
  }

  /** The result as a PNG download named after the mode and size. */
  download(save) {
    if (!this.state.hasResult) return;
    this.canvas.toBlob((blob) => {
      if (blob) save(blob, `tinct-${this.state.mode}-${this.canvas.width}x${this.canvas.height}.png`);
    }, "image/png");
  }
}
