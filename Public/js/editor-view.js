// What the editor draws besides the pictures themselves: the overlay (hints and the brush
// outline), the size of both panes, the pen size and the buttons that depend on the state.
import { Tool, isBrush } from "./editor-state.js";
import { byId } from "./dom.js";
import { renderHints } from "./hints.js";
import { Mode } from "./protocol.js";

export class EditorView {
  /**
   * @param {{drawing, state, undo, overlay: HTMLCanvasElement, result: HTMLCanvasElement}} parts
   *   the drawing, the editor state, its EditorUndo, and the overlay and result canvases
   */
  constructor({ drawing, state, undo, overlay, result }) {
    this.drawing = drawing;
    this.state = state;
    this.undo = undo;
    this.overlay = overlay;
    this.overlayContext = overlay.getContext("2d");
    this.result = result;
    /** Drawers of what features add to the overlay, called after the hints (see addOverlayLayer). */
    this.overlayLayers = [];
    this.penInput = byId("pen-size");
    this.penInput.addEventListener("input", () => this.showPenSize());
    window.addEventListener("resize", () => this.fitStages());
  }

  /** The pen's width, in drawing pixels. */
  get penSize() {
    return Number(this.penInput.value);
  }

  /** Makes the pen `delta` pixels wider (or narrower), within the slider's range. */
  bumpPenSize(delta) {
    const input = this.penInput;
    input.value = String(Math.min(Number(input.max), Math.max(Number(input.min), this.penSize + delta)));
    this.showPenSize();
    this.renderOverlay();
  }

  showPenSize() {
    byId("pen-size-value").textContent = this.penInput.value;
  }

  /** Presses the button of the state's tool. */
  showTool() {
    for (const button of document.querySelectorAll("button[data-tool]")) {
      button.setAttribute("aria-pressed", String(button.dataset.tool === this.state.tool));
    }
    this.overlay.dataset.activeTool = this.state.tool;
    this.renderOverlay();
  }

  /** Presses the button of the state's mode. */
  showMode() {
    for (const button of document.querySelectorAll("button[data-mode]")) {
      button.setAttribute("aria-pressed", String(button.dataset.mode === this.state.mode));
    }
  }

  /** Sizes the overlay to the drawing (after the drawing changed size). */
  sizeOverlay() {
    this.overlay.width = this.drawing.width;
    this.overlay.height = this.drawing.height;
    this.fitStages();
  }

  /**
   * Sizes both pictures to fit their pane and the window's height (from where they start on
   * the page), keeping their aspect ratio; the overlay follows the drawing.
   */
  fitStages() {
    for (const [stageElement, canvas] of [[byId("stage"), this.drawing.canvas], [byId("result-stage"), this.result]]) {
      const pane = stageElement.parentElement;
      const style = getComputedStyle(pane);
      const available = pane.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      const top = stageElement.getBoundingClientRect().top + window.scrollY;
      const maxHeight = Math.max(280, window.innerHeight - top - 24);
      const width = Math.min(available, (maxHeight * canvas.width) / canvas.height);
      stageElement.style.width = `${Math.floor(width)}px`;
    }
    this.renderOverlay();
  }

  /**
   * Adds `draw(context, pixelsPerCSSPixel)` to what the overlay shows, above the hints and
   * below the brush outline; it runs on every redraw, in drawing pixels.
   */
  addOverlayLayer(draw) {
    this.overlayLayers.push(draw);
    this.renderOverlay();
  }

  /** Draws the hints, the added layers and, for the pen and eraser, the brush outline under the pointer. */
  renderOverlay() {
    const { overlayContext: context, overlay, state } = this;
    context.clearRect(0, 0, overlay.width, overlay.height);
    const scale = this.drawing.pixelsPerCSSPixel;
    renderHints(context, state.hints, { pixelsPerCSSPixel: scale, selected: state.selectedHint });
    for (const draw of this.overlayLayers) {
      context.save();
      draw(context, scale);
      context.restore();
    }
    if (state.cursor && isBrush(state.tool)) {
      context.beginPath();
      context.arc(state.cursor.x, state.cursor.y, Math.max(this.penSize / 2, scale), 0, Math.PI * 2);
      context.lineWidth = scale;
      context.strokeStyle = state.tool === Tool.eraser ? "#2563eb" : "#888888";
      context.stroke();
    }
  }

  /** Enables the buttons that can act now, and shows the drawing's size. */
  updateButtons() {
    const { state } = this;
    byId("undo").disabled = !this.undo.canUndo;
    byId("redo").disabled = !this.undo.canRedo;
    byId("download").disabled = !state.hasResult;
    byId("download-layers").disabled = !state.hasResult;
    // Only line art has a page of paper to clear.
    byId("download-transparent").disabled = !state.hasResult || state.mode !== Mode.lineart;
    byId("drawing-size").textContent = `${this.drawing.width}×${this.drawing.height}`;
  }
}
