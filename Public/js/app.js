// Tinct editor entry point (ES module, loaded by templates/index.mustache).
// Writes text with textContent only, never by building HTML strings.
import { ColorizeClient } from "./colorize-client.js";
import { Drawing, PictureKind } from "./drawing.js";
import { defaultHintRadius, hitTest, pointsAlong, renderHints } from "./hints.js";
import { History } from "./history.js";
import { ModelList } from "./model-list.js";
import { Palette } from "./palette.js";
import { dataURLToBlob, downloadBlob, parseProject, serializeProject } from "./project.js";
import { ExportFormat, exportFileName, fetchExport } from "./export-download.js";
import { LineExtractionPanel } from "./line-extraction.js";
import { Mode } from "./protocol.js";
import { Shortcut, setUpShortcutHelp, shortcutFor } from "./shortcuts.js";

/** Shows `text` in the page's status line, if the page has one. */
export function setStatus(text) {
  const status = document.getElementById("status");
  if (status) status.textContent = text;
}

const $ = (id) => document.getElementById(id);

/** Largest picture the editor opens (the server's default pixel limit is 16 MP). */
const MAX_PIXELS = 16_000_000;
/** The status while the live socket is down. */
const CONNECTION_LOST = "Connection lost; reconnecting…";
/** The status while the Colorize button's request runs. */
const COLORIZING = "Colorizing…";
/** Live mode waits this long after the last edit before asking for a colorization. */
const LIVE_DEBOUNCE_MS = 100;

const state = {
  tool: "pen",
  mode: Mode.lineart,
  model: "",
  models: [],
  hints: [],
  selectedHint: -1,
  live: true,
  hasResult: false,
  cursor: null,
};

const drawing = new Drawing($("drawing"));
const overlay = $("overlay");
const stage = $("stage");
const overlayContext = overlay.getContext("2d");
const resultCanvas = $("result");
const resultContext = resultCanvas.getContext("2d", { willReadFrequently: true });
const history = new History();
let snapshotCache = { version: -1, image: null };
let liveTimer = null;
/** Whether the model list has been received once (later changes are announced). */
let modelsListed = false;

const palette = new Palette({
  colorInput: $("color"),
  hexInput: $("color-hex"),
  container: $("palette"),
  savedContainer: $("saved-colors"),
  saveButton: $("save-color"),
  onChange: (color) => {
    // Recoloring a hint picked by clicking it is the quickest way to fix one (a hint just
    // placed is not picked: choosing the next hint's color must not change it).
    if (state.selectedHint >= 0 && state.tool === "hint") {
      checkpoint();
      state.hints[state.selectedHint].color = color;
      edited({ pixels: false });
    }
  },
});

const client = new ColorizeClient(
  () => ({
    mode: state.mode,
    model: state.model || undefined,
    hints: state.hints,
    imageVersion: drawing.version,
    image: () => drawing.toBase64PNG(),
  }),
  {
    // While lines are being chosen the result pane shows their preview, never a colorization.
    onResult: (result) => {
      if (extraction.isOpen) return;
      showResult(result).catch((error) => setStatus(`Could not show the result: ${error.message}`));
    },
    onError: (message) => setStatus(`Colorizer: ${message}`),
    onConnection: (connected) => {
      document.body.dataset.connected = String(connected);
      if (!connected) {
        setStatus(CONNECTION_LOST);
        return;
      }
      if ($("status").textContent === CONNECTION_LOST) setStatus("Connected again.");
      if (state.live) scheduleLive(0);
    },
  },
);
const modelList = new ModelList({
  onChange: (models) => {
    const hadModel = currentModelAvailable();
    const known = new Set(state.models.map((m) => m.name));
    const first = !modelsListed;
    modelsListed = true;
    state.models = models;
    fillModelSelect();
    const added = models.filter((m) => !known.has(m.name) && m.mode === state.mode);
    if (!first && added.length > 0) {
      setStatus(`New ${state.mode === Mode.photo ? "photo" : "line-art"} model: ${added.map((m) => m.name).join(", ")}.`);
    }
    if (!hadModel && currentModelAvailable() && state.live) scheduleLive(0);
  },
  onError: setStatus,
});

/**
 * Timings of the live results shown, in milliseconds, for tests and the curious:
 * `encode` (the drawing to PNG, when it was sent), `roundTrip` (request sent → answer
 * received), `server` (the server's own time), `shown` (encoding started → result drawn).
 */
const timings = [];

const extraction = new LineExtractionPanel($("extract-panel"), {
  image: () => drawing.toBase64PNG(),
  onPreview: showLinePreview,
  onUse: useLines,
  onPhoto: () => {
    clearResult();
    setMode(Mode.photo, { quiet: true });
    setStatus("Photo mode: the picture keeps its lightness, hints give the colors.");
    edited();
  },
  onError: (error) => setStatus(`Could not extract lines: ${error.message}`),
});
globalThis.tinct = { client, state, timings, modelList, extraction };

// ---- Editor state and undo ---------------------------------------------------------------

/** The current state, reusing the last pixel snapshot while the drawing is unchanged. */
function currentState() {
  if (snapshotCache.version !== drawing.version) {
    snapshotCache = { version: drawing.version, image: drawing.snapshot() };
  }
  return { image: snapshotCache.image, hints: state.hints.map((h) => ({ ...h })) };
}

/** Records the state before an edit. */
function checkpoint() {
  history.push(currentState());
  updateButtons();
}

function applyState(saved) {
  if (saved.image !== snapshotCache.image) {
    drawing.restore(saved.image);
    snapshotCache = { version: drawing.version, image: saved.image };
    sizeOverlay();
  }
  state.hints = saved.hints.map((h) => ({ ...h }));
  state.selectedHint = -1;
  edited({ pixels: false });
}

function undo() {
  leaveExtraction();
  const previous = history.undo(currentState());
  if (previous) applyState(previous);
  updateButtons();
}

function redo() {
  leaveExtraction();
  const next = history.redo(currentState());
  if (next) applyState(next);
  updateButtons();
}

/** Call after any change: redraws the overlay and, in live mode, asks for colors. */
function edited() {
  renderOverlay();
  updateButtons();
  if (state.live) scheduleLive(LIVE_DEBOUNCE_MS);
}

function scheduleLive(delay) {
  clearTimeout(liveTimer);
  liveTimer = setTimeout(() => {
    if (currentModelAvailable() && !extraction.isOpen) client.request();
  }, delay);
}

function updateButtons() {
  $("undo").disabled = !history.canUndo;
  $("redo").disabled = !history.canRedo;
  $("download").disabled = !state.hasResult;
  $("download-layers").disabled = !state.hasResult;
  // Only line art has a page of paper to clear.
  $("download-transparent").disabled = !state.hasResult || state.mode !== Mode.lineart;
  $("drawing-size").textContent = `${drawing.width}×${drawing.height}`;
}

// ---- Overlay: hints and the brush outline ------------------------------------------------

function sizeOverlay() {
  overlay.width = drawing.width;
  overlay.height = drawing.height;
  fitStages();
}

/**
 * Sizes both pictures to fit their pane and the window's height (from where they start on
 * the page), keeping their aspect ratio; the overlay follows the drawing.
 */
function fitStages() {
  for (const [stageElement, canvas] of [[stage, drawing.canvas], [$("result-stage"), resultCanvas]]) {
    const pane = stageElement.parentElement;
    const style = getComputedStyle(pane);
    const available = pane.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const top = stageElement.getBoundingClientRect().top + window.scrollY;
    const maxHeight = Math.max(280, window.innerHeight - top - 24);
    const width = Math.min(available, (maxHeight * canvas.width) / canvas.height);
    stageElement.style.width = `${Math.floor(width)}px`;
  }
  renderOverlay();
}

function renderOverlay() {
  overlayContext.clearRect(0, 0, overlay.width, overlay.height);
  const scale = drawing.pixelsPerCSSPixel;
  renderHints(overlayContext, state.hints, { pixelsPerCSSPixel: scale, selected: state.selectedHint });
  if (state.cursor && (state.tool === "pen" || state.tool === "eraser")) {
    overlayContext.beginPath();
    overlayContext.arc(state.cursor.x, state.cursor.y, Math.max(penSize() / 2, scale), 0, Math.PI * 2);
    overlayContext.lineWidth = scale;
    overlayContext.strokeStyle = state.tool === "eraser" ? "#2563eb" : "#888888";
    overlayContext.stroke();
  }
}

// ---- Pointer input -----------------------------------------------------------------------

function penSize() {
  return Number($("pen-size").value);
}

let gesture = null;

overlay.addEventListener("pointerdown", (event) => {
  if (event.button === 2) return; // the context menu handler deletes hints
  event.preventDefault();
  if (extraction.isOpen) {
    setStatus("Choose the lines first: Use these lines, or Colorize as a photo.");
    return;
  }
  // Drawing takes the keyboard back from the hex field or model selector, so shortcuts work.
  if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
  overlay.setPointerCapture(event.pointerId);
  const point = drawing.pointFromEvent(event);
  if (state.tool === "hint") {
    const hit = hitTest(state.hints, point, drawing.pixelsPerCSSPixel);
    checkpoint();
    if (hit >= 0) {
      state.selectedHint = hit;
      gesture = { kind: "move", index: hit, last: point };
    } else {
      addHint(point);
      gesture = { kind: "hint-stroke", last: point };
    }
    renderOverlay();
    return;
  }
  checkpoint();
  drawing.stroke(point, point, penSize(), state.tool === "eraser");
  gesture = { kind: "stroke", last: point };
  edited();
});

overlay.addEventListener("pointermove", (event) => {
  const point = drawing.pointFromEvent(event);
  state.cursor = point;
  if (!gesture) {
    renderOverlay();
    return;
  }
  if (gesture.kind === "stroke") {
    drawing.stroke(gesture.last, point, penSize(), state.tool === "eraser");
    gesture.last = point;
    edited();
  } else if (gesture.kind === "move") {
    const hint = state.hints[gesture.index];
    hint.x = Math.round(point.x);
    hint.y = Math.round(point.y);
    edited();
  } else if (gesture.kind === "hint-stroke") {
    const spacing = Math.max(3, 2.5 * defaultHintRadius(drawing.width, drawing.height));
    const points = pointsAlong(gesture.last, point, spacing);
    for (const p of points) addHint(p);
    if (points.length > 0) gesture.last = points[points.length - 1];
  }
});

function endGesture() {
  if (gesture?.kind === "hint-stroke" || gesture?.kind === "move") palette.remember(palette.color);
  gesture = null;
}
overlay.addEventListener("pointerup", endGesture);
overlay.addEventListener("pointercancel", endGesture);
overlay.addEventListener("pointerleave", () => {
  state.cursor = null;
  renderOverlay();
});

overlay.addEventListener("contextmenu", (event) => {
  event.preventDefault();
  const hit = hitTest(state.hints, drawing.pointFromEvent(event), drawing.pixelsPerCSSPixel);
  if (hit >= 0) deleteHint(hit);
});

function addHint(point) {
  if (state.hints.length >= 500) {
    setStatus("That is the most hints a picture can have (500).");
    return;
  }
  state.hints.push({
    x: Math.round(point.x),
    y: Math.round(point.y),
    color: palette.color,
    r: defaultHintRadius(drawing.width, drawing.height),
  });
  state.selectedHint = -1;
  edited();
}

function deleteHint(index) {
  checkpoint();
  state.hints.splice(index, 1);
  state.selectedHint = -1;
  edited();
}

// ---- Tools, mode, model ------------------------------------------------------------------

function setTool(tool) {
  state.tool = tool;
  for (const button of document.querySelectorAll("button[data-tool]")) {
    button.setAttribute("aria-pressed", String(button.dataset.tool === tool));
  }
  overlay.dataset.activeTool = tool;
  if (tool !== "hint") state.selectedHint = -1;
  renderOverlay();
}

function setMode(mode, { quiet = false } = {}) {
  if (mode !== Mode.lineart) leaveExtraction();
  state.mode = mode;
  for (const button of document.querySelectorAll("button[data-mode]")) {
    button.setAttribute("aria-pressed", String(button.dataset.mode === mode));
  }
  updateButtons();
  if (quiet) {
    fillModelSelect();
    return;
  }
  setStatus(mode === Mode.photo ? "Photo mode: the picture keeps its lightness, hints give the colors." : "Line-art mode: the lines stay on top of the colors.");
  fillModelSelect();
  edited();
}

function fillModelSelect() {
  const select = $("model");
  const models = state.models.filter((m) => m.mode === state.mode);
  const options = models.map((m) => {
    const option = document.createElement("option");
    option.value = m.name;
    option.textContent = `${m.name} (${m.resolution}px)`;
    return option;
  });
  if (options.length === 0) {
    const option = document.createElement("option");
    option.value = "";
    option.textContent = `no ${state.mode === Mode.photo ? "photo" : "line-art"} model`;
    options.push(option);
  }
  select.replaceChildren(...options);
  const preferred = models.find((m) => m.name === state.model) ??
    models.find((m) => m.name === `default-${state.mode}`) ?? models[0];
  state.model = preferred?.name ?? "";
  select.value = state.model;
  select.disabled = models.length === 0;
  if (models.length === 0) {
    setStatus(`No ${state.mode === Mode.photo ? "photo" : "line-art"} model is installed; put one under the models folder or publish one from Train.`);
  }
}

function currentModelAvailable() {
  return state.models.some((m) => m.mode === state.mode);
}

// ---- Results -----------------------------------------------------------------------------

async function showResult({ blob, roundTrip, ms, startedAt, encodeMs }) {
  const bitmap = await createImageBitmap(blob);
  if (resultCanvas.width !== bitmap.width || resultCanvas.height !== bitmap.height) {
    resultCanvas.width = bitmap.width;
    resultCanvas.height = bitmap.height;
  }
  resultContext.drawImage(bitmap, 0, 0);
  bitmap.close();
  if (startedAt !== undefined && roundTrip !== null) {
    timings.push({ encode: encodeMs, roundTrip, server: ms, shown: performance.now() - startedAt, bytes: blob.size });
    if (timings.length > 1000) timings.shift();
  }
  fitStages();
  state.hasResult = true;
  resultCanvas.dataset.ready = "true";
  delete resultCanvas.dataset.preview;
  updateButtons();
  const parts = [`${resultCanvas.width}×${resultCanvas.height}`];
  if (ms !== null && ms !== undefined) parts.push(`server ${Math.round(ms)} ms`);
  if (roundTrip !== null && roundTrip !== undefined) parts.push(`round trip ${Math.round(roundTrip)} ms`);
  $("result-info").textContent = parts.join(" · ");
  // Live results only update the caption; the status line keeps what it last told the person.
  if ($("status").textContent === COLORIZING) setStatus("Colorized.");
}

function clearResult(placeholder = "The colorized picture appears here") {
  resultCanvas.width = drawing.width;
  resultCanvas.height = drawing.height;
  resultContext.fillStyle = "#f3f1ee";
  resultContext.fillRect(0, 0, resultCanvas.width, resultCanvas.height);
  resultContext.fillStyle = "#8a847c";
  resultContext.font = `${Math.round(resultCanvas.width / 24)}px system-ui, sans-serif`;
  resultContext.textAlign = "center";
  resultContext.fillText(placeholder, resultCanvas.width / 2, resultCanvas.height / 2);
  state.hasResult = false;
  delete resultCanvas.dataset.ready;
  delete resultCanvas.dataset.preview;
  $("result-info").textContent = "";
  updateButtons();
  fitStages();
}

resultCanvas.addEventListener("click", (event) => {
  if (!state.hasResult) return;
  const rect = resultCanvas.getBoundingClientRect();
  const x = Math.floor(((event.clientX - rect.left) * resultCanvas.width) / rect.width);
  const y = Math.floor(((event.clientY - rect.top) * resultCanvas.height) / rect.height);
  const [r, g, b] = resultContext.getImageData(x, y, 1, 1).data;
  const hex = `#${[r, g, b].map((v) => v.toString(16).padStart(2, "0")).join("")}`;
  palette.set(hex);
  setStatus(`Picked ${hex} from the result.`);
});

// ---- Pictures in and out -----------------------------------------------------------------

async function openImage(blob) {
  if (!/^image\/(png|jpeg)$/.test(blob.type)) {
    setStatus("Open a PNG or JPEG picture.");
    return;
  }
  let bitmap;
  try {
    bitmap = await createImageBitmap(blob);
  } catch {
    setStatus("That picture could not be read.");
    return;
  }
  if (bitmap.width * bitmap.height > MAX_PIXELS) {
    setStatus(`The picture is ${bitmap.width}×${bitmap.height}; the limit is ${MAX_PIXELS / 1e6} megapixels.`);
    bitmap.close();
    return;
  }
  leaveExtraction();
  checkpoint();
  drawing.load(bitmap, bitmap.width, bitmap.height);
  bitmap.close();
  state.hints = [];
  state.selectedHint = -1;
  sizeOverlay();
  clearResult();
  const kind = drawing.pictureKind();
  if (kind === PictureKind.grayscalePhoto) {
    setMode(Mode.photo, { quiet: true });
    setStatus("This looks like a black-and-white photo: switched to photo mode.");
  } else if (kind === PictureKind.color && state.mode === Mode.lineart) {
    // A colour picture is not line art: go straight to its lines, colorized only once chosen.
    openExtraction("This picture is in colour: here are its lines. Pick an extractor and a strength, then Use these lines — or Colorize as a photo.");
  } else {
    setStatus(`Opened a ${drawing.width}×${drawing.height} picture.`);
  }
  edited();
}

/** Opens the extraction step for the current picture (the result pane previews its lines). */
function openExtraction(status = "Here are the picture's lines: pick an extractor and a strength, then Use these lines.") {
  clearTimeout(liveTimer);
  clearResult("Extracting the lines…");
  extraction.open();
  setStatus(status);
}

/** Closes the extraction step without using its lines (the result pane is cleared). */
function leaveExtraction() {
  if (!extraction.isOpen) return;
  extraction.close();
  clearResult();
}

/** Shows the newest preview of the lines in the result pane. */
function showLinePreview(bitmap, { style, strength }) {
  if (resultCanvas.width !== bitmap.width || resultCanvas.height !== bitmap.height) {
    resultCanvas.width = bitmap.width;
    resultCanvas.height = bitmap.height;
  }
  resultContext.drawImage(bitmap, 0, 0);
  resultCanvas.dataset.preview = "lines";
  $("result-info").textContent = `lines by ${style}, strength ${strength > 0 ? "+" : ""}${strength} — not colorized yet`;
  fitStages();
}

/**
 * Replaces the picture by the chosen lines (Undo brings the picture back), in line-art mode;
 * hints stay where they are, and colorization starts.
 */
function useLines(bitmap, { style, strength }) {
  checkpoint();
  drawing.load(bitmap, bitmap.width, bitmap.height);
  bitmap.close();
  if (state.mode !== Mode.lineart) setMode(Mode.lineart, { quiet: true });
  sizeOverlay();
  clearResult();
  edited();
  setStatus(`Using the lines (${style}, strength ${strength}); Undo brings the picture back. Add colour hints with H.`);
}

/** Extract lines (button or X): opens the extraction step, or closes it when open. */
function toggleExtraction() {
  if (extraction.isOpen) leaveExtraction();
  else openExtraction();
}

$("open-file").addEventListener("change", (event) => {
  const file = event.target.files?.[0];
  if (file) openImage(file);
  event.target.value = "";
});

document.addEventListener("paste", (event) => {
  const item = [...(event.clipboardData?.items ?? [])].find((i) => i.type.startsWith("image/"));
  if (item) {
    event.preventDefault();
    openImage(item.getAsFile());
  }
});

stage.addEventListener("dragover", (event) => {
  event.preventDefault();
  stage.classList.add("dropping");
});
stage.addEventListener("dragleave", () => stage.classList.remove("dropping"));
stage.addEventListener("drop", (event) => {
  event.preventDefault();
  stage.classList.remove("dropping");
  const file = [...(event.dataTransfer?.files ?? [])][0];
  if (file) openImage(file);
});

$("download").addEventListener("click", () => {
  if (!state.hasResult) return;
  resultCanvas.toBlob((blob) => {
    if (blob) downloadBlob(blob, `tinct-${state.mode}-${resultCanvas.width}x${resultCanvas.height}.png`);
  }, "image/png");
});

/** Downloads the current picture as `format`, made by the server (see export-download.js). */
async function downloadExport(format) {
  if (!state.hasResult) return;
  setStatus("Preparing the download…");
  try {
    const blob = await fetchExport({
      mode: state.mode, model: state.model || undefined, hints: state.hints, image: drawing.toBase64PNG(), format,
    });
    downloadBlob(blob, exportFileName(format, state.mode, drawing.width, drawing.height));
    setStatus(format === ExportFormat.openRaster
      ? "Downloaded the layers: paper, flats, shading, light, lines and the hints (hidden)."
      : "Downloaded the picture with its paper transparent.");
  } catch (error) {
    setStatus(`Download failed: ${error.message}`);
  }
}

$("download-layers").addEventListener("click", () => downloadExport(ExportFormat.openRaster));
$("download-transparent").addEventListener("click", () => downloadExport(ExportFormat.transparentPNG));

$("save-project").addEventListener("click", saveProject);

function saveProject() {
  const text = serializeProject({
    imageDataURL: drawing.toDataURL(),
    width: drawing.width,
    height: drawing.height,
    hints: state.hints,
    mode: state.mode,
    model: state.model,
  });
  downloadBlob(new Blob([text], { type: "application/json" }), "tinct-project.json");
  setStatus("Saved the project (drawing, hints, mode and model).");
}

$("load-project").addEventListener("change", async (event) => {
  const file = event.target.files?.[0];
  event.target.value = "";
  if (!file) return;
  try {
    const project = parseProject(await file.text());
    // Decoded here rather than fetched: the page's content policy allows no data: fetches.
    const image = await createImageBitmap(dataURLToBlob(project.image));
    leaveExtraction();
    checkpoint();
    drawing.load(image, image.width, image.height);
    image.close();
    state.hints = project.hints;
    state.selectedHint = -1;
    if (project.model) state.model = project.model;
    setMode(project.mode, { quiet: true });
    sizeOverlay();
    clearResult();
    edited();
    setStatus(`Loaded ${file.name}.`);
  } catch (error) {
    setStatus(error.message);
  }
});

// ---- Buttons and keys --------------------------------------------------------------------

for (const button of document.querySelectorAll("button[data-tool]")) {
  button.addEventListener("click", () => setTool(button.dataset.tool));
}
for (const button of document.querySelectorAll("button[data-mode]")) {
  button.addEventListener("click", () => setMode(button.dataset.mode));
}
$("model").addEventListener("change", (event) => {
  state.model = event.target.value;
  edited();
});
$("pen-size").addEventListener("input", () => {
  $("pen-size-value").textContent = $("pen-size").value;
});
$("extract-lines").addEventListener("click", toggleExtraction);
$("undo").addEventListener("click", undo);
$("redo").addEventListener("click", redo);
$("clear").addEventListener("click", () => {
  leaveExtraction();
  checkpoint();
  drawing.reset(drawing.width, drawing.height);
  state.hints = [];
  state.selectedHint = -1;
  clearResult();
  edited();
  setStatus("Cleared the drawing and hints (Undo brings them back).");
});
$("live").addEventListener("change", (event) => {
  state.live = event.target.checked;
  if (state.live) scheduleLive(0);
});
$("colorize").addEventListener("click", colorizeNow);

/** Colorizes now, whether or not live mode is on. */
function colorizeNow() {
  if (extraction.isOpen) {
    setStatus("Choose the lines first: Use these lines, or Colorize as a photo.");
    return;
  }
  if (!currentModelAvailable()) {
    setStatus(`No ${state.mode} model is installed.`);
    return;
  }
  setStatus(COLORIZING);
  if (client.connected) client.request();
  else client.colorizeOnce().catch((error) => setStatus(`Colorizer: ${error.message}`));
}

const toggleShortcutHelp = setUpShortcutHelp($("shortcut-help"), $("show-shortcuts"));

/** What each shortcut of shortcuts.js does. */
const shortcutActions = {
  [Shortcut.pen]: () => setTool("pen"),
  [Shortcut.eraser]: () => setTool("eraser"),
  [Shortcut.hint]: () => setTool("hint"),
  [Shortcut.smallerPen]: () => bumpPenSize(-1),
  [Shortcut.largerPen]: () => bumpPenSize(1),
  [Shortcut.deleteHint]: () => state.selectedHint >= 0 && deleteHint(state.selectedHint),
  [Shortcut.undo]: undo,
  [Shortcut.redo]: redo,
  [Shortcut.live]: () => $("live").click(),
  [Shortcut.extractLines]: toggleExtraction,
  [Shortcut.colorize]: colorizeNow,
  [Shortcut.saveProject]: saveProject,
  [Shortcut.open]: () => $("open-file").click(),
  [Shortcut.downloadLayers]: () => downloadExport(ExportFormat.openRaster),
  [Shortcut.downloadTransparent]: () => !$("download-transparent").disabled && downloadExport(ExportFormat.transparentPNG),
  [Shortcut.help]: toggleShortcutHelp,
};

document.addEventListener("keydown", (event) => {
  const target = event.target;
  if (target instanceof HTMLInputElement && target.type !== "checkbox" && target.type !== "range") return;
  if (target instanceof HTMLSelectElement || target instanceof HTMLTextAreaElement) return;
  const id = shortcutFor(event);
  // While the shortcut list is open, only `?` (and Escape, the dialog's own) work.
  if (id === null || ($("shortcut-help").open && id !== Shortcut.help)) return;
  event.preventDefault();
  shortcutActions[id]();
});

function bumpPenSize(delta) {
  const input = $("pen-size");
  input.value = String(Math.min(Number(input.max), Math.max(Number(input.min), penSize() + delta)));
  $("pen-size-value").textContent = input.value;
  renderOverlay();
}

window.addEventListener("resize", fitStages);

// ---- Start -------------------------------------------------------------------------------

drawing.reset(512, 512);
sizeOverlay();
clearResult();
setTool("pen");
setStatus("Draw with the pen, add color hints with H, and watch the result.");
await modelList.refresh();
modelList.watch();
client.connect();
