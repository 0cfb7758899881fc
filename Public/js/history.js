// Undo/redo of editor states: { image: ImageData, hints: [...] }.
// Hint-only edits share the previous ImageData object, so they cost almost nothing.

export class History {
  /** @param {number} byteBudget how many bytes of pixels the undo stack may hold */
  constructor(byteBudget = 256 * 1024 * 1024) {
    this.byteBudget = byteBudget;
    this.undoStack = [];
    this.redoStack = [];
  }

  get canUndo() { return this.undoStack.length > 0; }
  get canRedo() { return this.redoStack.length > 0; }

  /** Records `state` as the state before an edit; clears redo. */
  push(state) {
    this.undoStack.push(state);
    this.redoStack = [];
    this.trim();
  }

  /** Returns the state to go back to, recording `current` for redo; null when none. */
  undo(current) {
    const previous = this.undoStack.pop();
    if (!previous) return null;
    this.redoStack.push(current);
    return previous;
  }

  /** Returns the state to go forward to, recording `current` for undo; null when none. */
  redo(current) {
    const next = this.redoStack.pop();
    if (!next) return null;
    this.undoStack.push(current);
    return next;
  }

  clear() {
    this.undoStack = [];
    this.redoStack = [];
  }

  /** Drops the oldest states while the distinct images exceed the budget (keeps at least 3). */
  trim() {
    while (this.undoStack.length > 3 && this.bytes() > this.byteBudget) this.undoStack.shift();
  }

  bytes() {
    const images = new Set([...this.undoStack, ...this.redoStack].map((s) => s.image));
    let total = 0;
    for (const image of images) total += image ? image.data.length : 0;
    return total;
  }
}
