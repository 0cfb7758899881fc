// Pointer gestures on the drawing, and the hint edits they (and the keys) make: the pen and
// eraser draw strokes; the hint tool places a hint on a click, a row of hints along a drag,
// or moves the hint it lands on; a right-click deletes a hint.
import { MAX_HINTS, Tool } from "./editor-state.js";
import { defaultHintRadius, hitTest, pointsAlong } from "./hints.js";

/** What a pointer held down is doing. */
export const GestureKind = Object.freeze({
  /** Drawing with the pen or eraser. */
  stroke: "stroke",
  /** Dragging an existing hint. */
  moveHint: "move-hint",
  /** Laying a row of hints along the pointer's path. */
  hintStroke: "hint-stroke",
});

export class Gestures {
  /**
   * @param {{overlay, drawing, state, palette, view, status, checkpoint: () => void, edited: () => void, refusal: () => string | null}} parts
   *   `checkpoint` records the state before an edit, `edited` follows every edit, and
   *   `refusal` says why the drawing takes no input now (null when it does)
   */
  constructor({ overlay, drawing, state, palette, view, status, checkpoint, edited, refusal }) {
    this.overlay = overlay;
    this.drawing = drawing;
    this.state = state;
    this.palette = palette;
    this.view = view;
    this.status = status;
    this.checkpoint = checkpoint;
    this.edited = edited;
    this.refusal = refusal;
    /** The gesture under way: `{kind, last, index?}`, or null. */
    this.gesture = null;
    overlay.addEventListener("pointerdown", (event) => this.down(event));
    overlay.addEventListener("pointermove", (event) => this.move(event));
    overlay.addEventListener("pointerup", () => this.end());
    overlay.addEventListener("pointercancel", () => this.end());
    overlay.addEventListener("pointerleave", () => {
      this.state.cursor = null;
      this.view.renderOverlay();
    });
    overlay.addEventListener("contextmenu", (event) => {
      event.preventDefault();
      const hit = hitTest(this.state.hints, this.drawing.pointFromEvent(event), this.drawing.pixelsPerCSSPixel);
      if (hit >= 0) this.deleteHint(hit);
    });
  }

  down(event) {
    if (event.button === 2) return; // the context menu handler deletes hints
    event.preventDefault();
    const refusal = this.refusal();
    if (refusal) {
      this.status.show(refusal);
      return;
    }
    // Drawing takes the keyboard back from the hex field or model selector, so shortcuts work.
    if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
    this.overlay.setPointerCapture(event.pointerId);
    const { state, drawing } = this;
    const point = drawing.pointFromEvent(event);
    if (state.tool === Tool.hint) {
      const hit = hitTest(state.hints, point, drawing.pixelsPerCSSPixel);
      this.checkpoint();
      if (hit >= 0) {
        state.selectedHint = hit;
        this.gesture = { kind: GestureKind.moveHint, index: hit, last: point };
      } else {
        this.addHint(point);
        this.gesture = { kind: GestureKind.hintStroke, last: point };
      }
      this.view.renderOverlay();
      return;
    }
    this.checkpoint();
    drawing.stroke(point, point, this.view.penSize, state.tool === Tool.eraser);
    this.gesture = { kind: GestureKind.stroke, last: point };
    this.edited();
  }

  move(event) {
    const { state, drawing, gesture } = this;
    const point = drawing.pointFromEvent(event);
    state.cursor = point;
    if (!gesture) {
      this.view.renderOverlay();
      return;
    }
    switch (gesture.kind) {
      case GestureKind.stroke:
        drawing.stroke(gesture.last, point, this.view.penSize, state.tool === Tool.eraser);
        gesture.last = point;
        this.edited();
        break;
      case GestureKind.moveHint: {
        const hint = state.hints[gesture.index];
        hint.x = Math.round(point.x);
        hint.y = Math.round(point.y);
        this.edited();
        break;
      }
      case GestureKind.hintStroke: {
        const spacing = Math.max(3, 2.5 * defaultHintRadius(drawing.width, drawing.height));
        const points = pointsAlong(gesture.last, point, spacing);
        for (const p of points) this.addHint(p);
        if (points.length > 0) gesture.last = points[points.length - 1];
        break;
      }
    }
  }

  end() {
    // A colour used for hints joins the recent colours once the gesture is over.
    const kind = this.gesture?.kind;
    if (kind === GestureKind.hintStroke || kind === GestureKind.moveHint) this.palette.remember(this.palette.color);
    this.gesture = null;
  }

  /** Adds a hint of the palette's colour at `point` (drawing pixels). */
  addHint(point) {
    const { state, drawing } = this;
    if (state.hints.length >= MAX_HINTS) {
      this.status.show(`That is the most hints a picture can have (${MAX_HINTS}).`);
      return;
    }
    state.hints.push({
      x: Math.round(point.x),
      y: Math.round(point.y),
      color: this.palette.color,
      r: defaultHintRadius(drawing.width, drawing.height),
    });
    state.selectedHint = -1;
    this.edited();
  }

  /** Deletes hint `index` (undoable). */
  deleteHint(index) {
    this.checkpoint();
    this.state.hints.splice(index, 1);
    this.state.selectedHint = -1;
    this.edited();
  }

  /** Deletes the hint picked by clicking it, if any. */
  deleteSelected() {
    if (this.state.selectedHint >= 0) this.deleteHint(this.state.selectedHint);
  }

  /**
   * Gives the picked hint `color`. Recolouring a hint picked by clicking it is the quickest
   * way to fix one (a hint just placed is not picked: choosing the next hint's colour must
   * not change it).
   */
  recolorSelected(color) {
    const { state } = this;
    if (state.selectedHint < 0 || state.tool !== Tool.hint) return;
    this.checkpoint();
    state.hints[state.selectedHint].color = color;
    this.edited();
  }
}
