// The editor's keyboard shortcuts, defined once: the key handler looks actions up here, and
// the `?` overlay lists the same entries, so the list cannot drift from what the keys do.

/** What a shortcut does; app.js maps each to a function. */
export const Shortcut = Object.freeze({
  pen: "pen",
  eraser: "eraser",
  hint: "hint",
  smallerPen: "smaller-pen",
  largerPen: "larger-pen",
  deleteHint: "delete-hint",
  undo: "undo",
  redo: "redo",
  live: "live",
  extractLines: "extract-lines",
  colorize: "colorize",
  saveProject: "save-project",
  open: "open",
  downloadLayers: "download-layers",
  downloadTransparent: "download-transparent",
  variants: "variants",
  referencePalette: "reference-palette",
  help: "help",
});

/**
 * Every shortcut: its key combinations (as `comboOf` writes them: `ctrl+` for Ctrl or ⌘,
 * `shift+` only with letters and named keys) and what the overlay says it does.
 */
export const SHORTCUTS = Object.freeze([
  { id: Shortcut.pen, keys: ["p"], label: "Pen" },
  { id: Shortcut.eraser, keys: ["e"], label: "Eraser" },
  { id: Shortcut.hint, keys: ["h"], label: "Hints: click for a point, drag for a stroke, drag a hint to move it" },
  { id: Shortcut.smallerPen, keys: ["["], label: "Smaller pen" },
  { id: Shortcut.largerPen, keys: ["]"], label: "Larger pen" },
  { id: Shortcut.deleteHint, keys: ["delete", "backspace"], label: "Delete the selected hint (or right-click a hint)" },
  { id: Shortcut.undo, keys: ["ctrl+z"], label: "Undo" },
  { id: Shortcut.redo, keys: ["ctrl+y", "ctrl+shift+z"], label: "Redo" },
  { id: Shortcut.live, keys: ["l"], label: "Live colorization on or off" },
  { id: Shortcut.extractLines, keys: ["x"], label: "Extract lines from the picture" },
  { id: Shortcut.colorize, keys: ["ctrl+enter"], label: "Colorize now" },
  { id: Shortcut.saveProject, keys: ["ctrl+s"], label: "Save the project" },
  { id: Shortcut.open, keys: ["ctrl+o"], label: "Open a picture (or drop or paste one)" },
  { id: Shortcut.downloadLayers, keys: ["shift+d"], label: "Download the result as layers (.ora) for Krita, GIMP or MyPaint" },
  { id: Shortcut.downloadTransparent, keys: ["shift+t"], label: "Download the result with the page's paper transparent (line art)" },
  { id: Shortcut.variants, keys: ["v"], label: "Show four other colourings (variants); click one to use it" },
  { id: Shortcut.referencePalette, keys: ["r"], label: "Take a palette from a reference picture" },
  { id: Shortcut.help, keys: ["?"], label: "Show or hide this list" },
]);

/** Mouse gestures, listed under the keys. */
export const GESTURES = Object.freeze([
  { keys: "Click the result", label: "Pick its colour for the next hint" },
  { keys: "Right-click a hint", label: "Delete it" },
  { keys: "Rest the hint tool", label: "Suggested colours there; the area a hint would colour is outlined" },
]);

/** The combination a key event makes, in `SHORTCUTS`' notation. */
export function comboOf(event) {
  const key = event.key.toLowerCase();
  const named = event.key.length > 1 || /[a-z]/i.test(event.key);
  const parts = [];
  if (event.ctrlKey || event.metaKey) parts.push("ctrl");
  if (event.altKey) parts.push("alt");
  if (event.shiftKey && named) parts.push("shift");
  parts.push(key);
  return parts.join("+");
}

/** The shortcut `event` triggers, or null. */
export function shortcutFor(event) {
  const combo = comboOf(event);
  return SHORTCUTS.find((s) => s.keys.includes(combo))?.id ?? null;
}

/** How a combination is written for people: `ctrl+shift+z` → `Ctrl+Shift+Z`. */
export function keyLabel(combo) {
  if (combo === "+") return "+";
  return combo.split("+").map((part) => (part.length === 1 ? part.toUpperCase() : part[0].toUpperCase() + part.slice(1))).join("+");
}

/** Fills `table`'s body with one row per shortcut and gesture. */
export function renderShortcutTable(table) {
  const row = (keys, label, asKeys = true) => {
    const tr = document.createElement("tr");
    const keyCell = document.createElement("td");
    keys.forEach((text, index) => {
      if (index > 0) keyCell.append(" or ");
      const key = document.createElement(asKeys ? "kbd" : "span");
      key.textContent = text;
      keyCell.append(key);
    });
    const labelCell = document.createElement("td");
    labelCell.textContent = label;
    tr.append(keyCell, labelCell);
    return tr;
  };
  const body = table.tBodies[0] ?? table.createTBody();
  body.replaceChildren(
    ...SHORTCUTS.map((s) => row(s.keys.map(keyLabel), s.label)),
    ...GESTURES.map((g) => row([g.keys], g.label, false)),
  );
}

/**
 * The `?` overlay: `dialog` lists the shortcuts, `button` opens it. Returns a function that
 * opens it when closed and closes it when open (what the `?` key does).
 */
export function setUpShortcutHelp(dialog, button) {
  renderShortcutTable(dialog.querySelector("table"));
  const toggle = () => {
    if (dialog.open) dialog.close();
    else dialog.showModal();
  };
  button.addEventListener("click", toggle);
  // A click on the backdrop (outside the dialog's box) closes it too.
  dialog.addEventListener("click", (event) => {
    const box = dialog.getBoundingClientRect();
    const inside = event.clientX >= box.left && event.clientX <= box.right && event.clientY >= box.top && event.clientY <= box.bottom;
    if (!inside) dialog.close();
  });
  return toggle;
}
