// Turning a picture into line art before colorizing it: the server's extractors
// (POST /api/lineart), a preview of their lines, and the panel where a person picks the
// extractor and the strength of the lines before using them.
import { LINEART_PATH, request } from "./protocol.js";

/** The extractors `/api/lineart` offers (`LineExtractor.Style`), with what the panel says of them. */
export const LineStyle = Object.freeze({ xdog: "xdog", adaptive: "adaptive", sobel: "sobel" });
export const LINE_STYLE_LABELS = Object.freeze({
  [LineStyle.xdog]: "XDoG: clean outlines, best for drawings and flat colours",
  [LineStyle.adaptive]: "Adaptive: keeps dark fills and hatching",
  [LineStyle.sobel]: "Sobel: both sides of every edge, for soft shading",
});

/** Range of the strength (`thickness` of the request: ink narrowed or widened by this many pixels). */
export const STRENGTH_RANGE = Object.freeze({ min: -1, max: 2 });

/**
 * The lines of `imageBase64` (a PNG) by `style` at `strength`, as an ImageBitmap of the
 * same size. Throws an Error carrying the server's message.
 */
export async function fetchLines(imageBase64, { style, strength }) {
  const response = await request(LINEART_PATH, { body: { image: imageBase64, style, thickness: strength } });
  return createImageBitmap(await response.blob());
}

/**
 * The extraction step. While it is open the editor shows the picture on the left and a
 * preview of its lines on the right (never a colorization); each change of extractor or
 * strength asks for a new preview, the newest winning. `Use these lines` hands the last
 * preview to `onUse`; `Colorize as a photo` calls `onPhoto`.
 */
export class LineExtractionPanel {
  /**
   * @param {HTMLElement} panel the panel (hidden while closed), holding `[data-style]` buttons,
   *   an `input[type=range]` for the strength, `.use` and `.photo` buttons
   * @param {{image: () => string, onPreview: Function, onUse: Function, onPhoto: Function, onError: Function}} hooks
   */
  constructor(panel, hooks) {
    this.panel = panel;
    this.hooks = hooks;
    this.settings = { style: LineStyle.xdog, strength: 0 };
    /** The newest preview shown: `{ bitmap, style, strength }`, or null. */
    this.preview = null;
    /** Requests sent; a preview is shown only when it answers the newest. */
    this.sent = 0;
    this.pending = 0;
    this.styleButtons = [...panel.querySelectorAll("button[data-style]")];
    this.strength = panel.querySelector("input[type=range]");
    this.strength.min = String(STRENGTH_RANGE.min);
    this.strength.max = String(STRENGTH_RANGE.max);
    this.useButton = panel.querySelector("button.use");
    for (const button of this.styleButtons) {
      button.title = LINE_STYLE_LABELS[button.dataset.style];
      button.addEventListener("click", () => this.change({ style: button.dataset.style }));
    }
    this.strength.addEventListener("input", () => this.change({ strength: Number(this.strength.value) }));
    this.useButton.addEventListener("click", () => this.use());
    panel.querySelector("button.photo").addEventListener("click", () => {
      this.close();
      hooks.onPhoto();
    });
    this.showSettings();
  }

  get isOpen() {
    return !this.panel.hidden;
  }

  /** Opens the step for the current picture and asks for its first preview. */
  open() {
    this.panel.hidden = false;
    this.preview?.bitmap.close();
    this.preview = null;
    this.request();
  }

  /** Closes the step; a preview still on its way is dropped. */
  close() {
    this.panel.hidden = true;
    this.sent += 1;
    this.preview?.bitmap.close();
    this.preview = null;
    this.showSettings();
  }

  change(settings) {
    this.settings = { ...this.settings, ...settings };
    this.showSettings();
    if (this.isOpen) this.request();
  }

  showSettings() {
    for (const button of this.styleButtons) button.setAttribute("aria-pressed", String(button.dataset.style === this.settings.style));
    this.strength.value = String(this.settings.strength);
    const output = this.panel.querySelector("output");
    if (output) output.textContent = this.settings.strength > 0 ? `+${this.settings.strength}` : String(this.settings.strength);
    this.useButton.disabled = !this.preview || this.pending > 0;
  }

  async request() {
    const id = ++this.sent;
    const settings = { ...this.settings };
    this.pending += 1;
    this.showSettings();
    try {
      const bitmap = await fetchLines(this.hooks.image(), settings);
      if (id !== this.sent) {
        bitmap.close();
        return;
      }
      this.preview?.bitmap.close();
      this.preview = { bitmap, ...settings };
      this.hooks.onPreview(bitmap, settings);
    } catch (error) {
      if (id === this.sent) this.hooks.onError(error);
    } finally {
      this.pending -= 1;
      this.showSettings();
    }
  }

  /** Hands the newest preview to `onUse` and closes the step. */
  use() {
    if (!this.preview || this.pending > 0) return;
    const { bitmap, style, strength } = this.preview;
    this.preview = null;
    this.close();
    this.hooks.onUse(bitmap, { style, strength });
  }
}
