// The editor's state in one explicit object, the tools as a frozen enum, and undo/redo of the
// drawing and its hints. The pixels themselves live in Drawing (drawing.js); everything else
// the editor knows is here.
import { History } from "./history.js";
import { Mode } from "./protocol.js";

/** The drawing tools (also the `data-tool` of their buttons). */
export const Tool = Object.freeze({ pen: "pen", eraser: "eraser", hint: "hint" });

/** Whether `tool` draws ink or paper (and so shows the brush outline). */
export function isBrush(tool) {
  return tool === Tool.pen || tool === Tool.eraser;
}

/** The most hints a picture can have (the server refuses more). */
export const MAX_HINTS = 500;

/**
 * Everything the editor knows besides the pixels:
 * - `tool` (a Tool), `mode` (a Mode), `model` (the chosen model's name, "" for none),
 *   `models` (the installed ones, `[{name, mode, resolution}]`);
 * - `hints` (`[{x, y, color, r}]` in drawing pixels), `selectedHint` (an index, -1 for none);
 * - `live` (colorize after every edit), `hasResult` (the result pane shows a colorization),
 *   `cursor` (the pointer over the drawing, in drawing pixels, or null), `variant` (the seed
 *   of the adopted colouring variant, variants.js; null for the deterministic colouring).
 */
export function createEditorState() {
  return {
    tool: Tool.pen,
    mode: Mode.lineart,
    model: "",
    models: [],
    hints: [],
    selectedHint: -1,
    live: true,
    hasResult: false,
    cursor: null,
    variant: null,
  };
}

/** Copies hints, so a saved state never shares them with the live one. */
function copyHints(hints) {
  return hints.map((h) => ({ ...h }));
}

/**
 * Undo and redo of `{image, hints}`: `checkpoint()` before an edit records the state it
 * changes. Pixel snapshots are reused while the drawing is unchanged, so hint-only edits
 * cost almost nothing.
 */
export class EditorUndo {
  /**
   * @param {import("./drawing.js").Drawing} drawing
   * @param {ReturnType<typeof createEditorState>} state
   * @param {(imageChanged: boolean) => void} onRestore runs after undo or redo put a state back
   */
  constructor(drawing, state, onRestore) {
    this.drawing = drawing;
    this.state = state;
    this.onRestore = onRestore;
    this.history = new History();
    this.snapshotCache = { version: -1, image: null };
  }

  get canUndo() { return this.history.canUndo; }
  get canRedo() { return this.history.canRedo; }

  /** The current state, reusing the last pixel snapshot while the drawing is unchanged. */
  current() {
    if (this.snapshotCache.version !== this.drawing.version) {
      this.snapshotCache = { version: this.drawing.version, image: this.drawing.snapshot() };
    }
    return { image: this.snapshotCache.image, hints: copyHints(this.state.hints) };
  }

  /** Records the state before an edit. */
  checkpoint() {
    this.history.push(this.current());
  }

  /** Goes back one edit; false when there is none. */
  undo() {
    return this.apply(this.history.undo(this.current()));
  }

  /** Goes forward one undone edit; false when there is none. */
  redo() {
    return this.apply(this.history.redo(this.current()));
  }

  apply(saved) {
    if (!saved) return false;
    const imageChanged = saved.image !== this.snapshotCache.image;
    if (imageChanged) {
      this.drawing.restore(saved.image);
      this.snapshotCache = { version: this.drawing.version, image: saved.image };
    }
    this.state.hints = copyHints(saved.hints);
    this.state.selectedHint = -1;
    this.onRestore(imageChanged);
    return true;
  }
}
