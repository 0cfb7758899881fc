// Tinct editor entry point (ES module, loaded by templates/index.mustache). It builds the
// editor's parts and wires them together; each concept lives in its own module:
// editor-state.js (state, Tool, undo), editor-view.js (overlay, panes, buttons),
// gestures.js (pointer input, hint edits), result-pane.js, model-choice.js,
// live-colorizer.js (when to colorize), picture-files.js and project-files.js (files in and
// out), keys.js (shortcuts), connection.js and status-line.js, test-api.js (what tests read).
// Every module writes text with textContent only, never by building HTML strings.
//
// A new editor feature is a module exporting `setUpSomething(editor)`, called below with the
// `editor` object: the shared parts and the actions every edit goes through.
import { byId } from "./dom.js";
import { Connection } from "./connection.js";
import { Drawing } from "./drawing.js";
import { EditorUndo, Tool, createEditorState } from "./editor-state.js";
import { EditorView } from "./editor-view.js";
import { ExportFormat } from "./export-download.js";
import { Gestures } from "./gestures.js";
import { LineExtractionPanel } from "./line-extraction.js";
import { CHOOSE_LINES_FIRST, LiveColorizer } from "./live-colorizer.js";
import { ModelChoice } from "./model-choice.js";
import { ModelList } from "./model-list.js";
import { Palette } from "./palette.js";
import { setUpPictureFiles } from "./picture-files.js";
import { setUpProjectFiles } from "./project-files.js";
import { setUpReferencePalette } from "./reference-palette.js";
import { setUpRegionOutline } from "./region-outline.js";
import { setUpSuggestions } from "./suggestions.js";
import { setUpVariants } from "./variants.js";
import { Mode } from "./protocol.js";
import { ResultPane } from "./result-pane.js";
import { setUpKeys } from "./keys.js";
import { Shortcut, setUpShortcutHelp } from "./shortcuts.js";
import { StatusLine } from "./status-line.js";
import { exposeTestAPI } from "./test-api.js";

/** What the status line says on entering each mode. */
const MODE_SENTENCES = Object.freeze({
  [Mode.photo]: "Photo mode: the picture keeps its lightness, hints give the colors.",
  [Mode.lineart]: "Line-art mode: the lines stay on top of the colors.",
});

// ---- The parts ---------------------------------------------------------------------------

const status = new StatusLine(byId("status"));
const connection = new Connection(status, document.body);
const state = createEditorState();
const drawing = new Drawing(byId("drawing"));
const overlay = byId("overlay");
const undo = new EditorUndo(drawing, state, (imageChanged) => {
  if (imageChanged) view.sizeOverlay();
  edited();
});
const view = new EditorView({ drawing, state, undo, overlay, result: byId("result") });
const palette = new Palette({
  colorInput: byId("color"),
  hexInput: byId("color-hex"),
  container: byId("palette"),
  savedContainer: byId("saved-colors"),
  saveButton: byId("save-color"),
  onChange: (color) => gestures.recolorSelected(color),
});
const resultPane = new ResultPane({ canvas: byId("result"), drawing, state, view, status, palette });
const extraction = new LineExtractionPanel(byId("extract-panel"), {
  image: () => drawing.toBase64PNG(),
  onPreview: (bitmap, settings) => resultPane.showLinePreview(bitmap, settings),
  onUse: useLines,
  onPhoto: () => {
    resultPane.clear();
    setMode(Mode.photo, { quiet: true });
    status.show(MODE_SENTENCES[Mode.photo]);
    edited();
  },
  onError: (error) => status.show(`Could not extract lines: ${error.message}`),
});
const models = new ModelChoice({ state, status, onChoose: edited });
const colorizer = new LiveColorizer({ state, drawing, models, extraction, connection, status, resultPane });
const modelList = new ModelList({
  onChange: (list) => {
    if (models.update(list) && state.live) colorizer.schedule(0);
  },
  onError: (message) => status.show(message),
});
const gestures = new Gestures({
  overlay, drawing, state, palette, view, status, checkpoint, edited,
  refusal: () => (extraction.isOpen ? CHOOSE_LINES_FIRST : null),
});

// ---- The actions every edit goes through -------------------------------------------------

/** Records the state before an edit (for undo). */
function checkpoint() {
  undo.checkpoint();
  view.updateButtons();
}

/** Call after any change: redraws the overlay and, in live mode, asks for colors. */
function edited() {
  view.renderOverlay();
  view.updateButtons();
  colorizer.edited();
}

function setTool(tool) {
  if (!Object.values(Tool).includes(tool)) throw new Error(`Unknown tool ${tool}`);
  state.tool = tool;
  if (tool !== Tool.hint) state.selectedHint = -1;
  view.showTool();
}

function setMode(mode, { quiet = false } = {}) {
  if (!Object.values(Mode).includes(mode)) throw new Error(`Unknown mode ${mode}`);
  if (mode !== Mode.lineart) leaveExtraction();
  state.mode = mode;
  view.showMode();
  view.updateButtons();
  if (!quiet) status.show(MODE_SENTENCES[mode]);
  models.fill();
  if (!quiet) edited();
}

/** Replaces the picture by `bitmap` (closed here) and the hints by `hints`; undoable. Call `edited()` after. */
function replacePicture(bitmap, hints) {
  leaveExtraction();
  checkpoint();
  drawing.load(bitmap, bitmap.width, bitmap.height);
  bitmap.close();
  state.hints = hints;
  state.selectedHint = -1;
  view.sizeOverlay();
  resultPane.clear();
}

function undoEdit() {
  leaveExtraction();
  undo.undo();
  view.updateButtons();
}

function redoEdit() {
  leaveExtraction();
  undo.redo();
  view.updateButtons();
}

function clearDrawing() {
  leaveExtraction();
  checkpoint();
  drawing.reset(drawing.width, drawing.height);
  state.hints = [];
  state.selectedHint = -1;
  resultPane.clear();
  edited();
  status.show("Cleared the drawing and hints (Undo brings them back).");
}

// ---- The line extraction step --------------------------------------------------------------

/** Opens the extraction step for the current picture (the result pane previews its lines). */
function openExtraction(sentence = "Here are the picture's lines: pick an extractor and a strength, then Use these lines.") {
  colorizer.cancel();
  resultPane.clear("Extracting the lines…");
  extraction.open();
  status.show(sentence);
}

/** Closes the extraction step without using its lines (the result pane is cleared). */
function leaveExtraction() {
  if (!extraction.isOpen) return;
  extraction.close();
  resultPane.clear();
}

/** Extract lines (button or X): opens the extraction step, or closes it when open. */
function toggleExtraction() {
  if (extraction.isOpen) leaveExtraction();
  else openExtraction();
}

/**
 * Replaces the picture by the chosen lines (Undo brings the picture back), in line-art mode;
 * hints stay where they are, and colorization starts.
 */
function useLines(bitmap, { style, strength }) {
  replacePicture(bitmap, state.hints);
  if (state.mode !== Mode.lineart) setMode(Mode.lineart, { quiet: true });
  edited();
  status.show(`Using the lines (${style}, strength ${strength}); Undo brings the picture back. Add colour hints with H.`);
}

// ---- Wiring ------------------------------------------------------------------------------

/** The shared parts and actions handed to the modules that need the whole editor. */
const editor = {
  state, drawing, status, palette, view, resultPane, colorizer, models, gestures, extraction,
  checkpoint, edited, setTool, setMode, replacePicture, openExtraction, leaveExtraction,
};
const { saveProject, downloadExport } = setUpProjectFiles(editor);
setUpPictureFiles(editor);
const variants = setUpVariants(editor);
const reference = setUpReferencePalette(editor);
setUpSuggestions(editor, overlay);
setUpRegionOutline(editor);

for (const button of document.querySelectorAll("button[data-tool]")) {
  button.addEventListener("click", () => setTool(button.dataset.tool));
}
for (const button of document.querySelectorAll("button[data-mode]")) {
  button.addEventListener("click", () => setMode(button.dataset.mode));
}
byId("extract-lines").addEventListener("click", toggleExtraction);
byId("undo").addEventListener("click", undoEdit);
byId("redo").addEventListener("click", redoEdit);
byId("clear").addEventListener("click", clearDrawing);
byId("live").addEventListener("change", (event) => {
  state.live = event.target.checked;
  if (state.live) colorizer.schedule(0);
});
byId("colorize").addEventListener("click", () => colorizer.colorizeNow());

setUpKeys({
  [Shortcut.pen]: () => setTool(Tool.pen),
  [Shortcut.eraser]: () => setTool(Tool.eraser),
  [Shortcut.hint]: () => setTool(Tool.hint),
  [Shortcut.smallerPen]: () => view.bumpPenSize(-1),
  [Shortcut.largerPen]: () => view.bumpPenSize(1),
  [Shortcut.deleteHint]: () => gestures.deleteSelected(),
  [Shortcut.undo]: undoEdit,
  [Shortcut.redo]: redoEdit,
  [Shortcut.live]: () => byId("live").click(),
  [Shortcut.extractLines]: toggleExtraction,
  [Shortcut.colorize]: () => colorizer.colorizeNow(),
  [Shortcut.saveProject]: saveProject,
  [Shortcut.open]: () => byId("open-file").click(),
  [Shortcut.downloadLayers]: () => downloadExport(ExportFormat.openRaster),
  [Shortcut.downloadTransparent]: () => downloadExport(ExportFormat.transparentPNG),
  [Shortcut.variants]: () => variants.show(),
  [Shortcut.referencePalette]: () => reference.open(),
  [Shortcut.help]: setUpShortcutHelp(byId("shortcut-help"), byId("show-shortcuts")),
}, byId("shortcut-help"));

exposeTestAPI({ state, connection, client: colorizer.client, resultPane, extraction });

// ---- Start -------------------------------------------------------------------------------

drawing.reset(512, 512);
view.sizeOverlay();
resultPane.clear();
setTool(Tool.pen);
status.show("Draw with the pen, add color hints with H, and watch the result.");
await modelList.refresh();
modelList.watch();
colorizer.connect();
