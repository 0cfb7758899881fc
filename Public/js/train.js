// The training dashboard: start/stop/resume runs, follow them live over /ws/train, publish
// checkpoints as models. Mirrors the server's messages through protocol.js.
import {
  OPTIONS_SCHEMA_PATH,
  TrainMessageType,
  TrainingEventType,
  isActiveState,
  parseOptionsSchema,
  requestJSON,
  sampleURL,
} from "./protocol.js";
import { byId as $ } from "./dom.js";
import { createCharts } from "./train-charts.js";
import { renderCheckpoints } from "./train-tables.js";
import { buildOptionControls, markInvalidField, readOptions, showOptionsFor } from "./train-form.js";
import { describeSplit, splitByFolders, validationCount, validationWarning } from "./train-dataset.js";
import { setUpDatasetUpload } from "./dataset-upload.js";
import { RunsPanel } from "./train-runs.js";
import { connectTrainingSocket } from "./train-socket.js";
import { exposeTrainingTestAPI } from "./test-api.js";

/** Everything the page shows, rebuilt from a snapshot and updated by events. */
const state = {
  status: { state: "idle", step: 0, totalSteps: 0 },
  validations: [],
  /** Validation pictures of the current run, from its `started` event (null before one). */
  validationPictures: null,
  checkpointSteps: new Set(),
  lastProgress: null,
  sample: null,
  runs: [],
  datasets: [],
  /** The server's data root, absolute, and the largest picture it takes (`GET /api/datasets/root`). */
  dataRoot: null,
  uploadLimits: { maxPictureBytes: Infinity },
  /** The training options the start request takes (`GET /api/train/options-schema`). */
  options: [],
  connected: false,
  eventsSeen: 0,
};
exposeTrainingTestAPI(state);

const charts = createCharts($("charts"));
const form = $("train-form");
const runs = new RunsPanel({ state, applyStatus, showFormError });

// ---- Formatting -------------------------------------------------------------------------

function duration(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return "—";
  const s = Math.round(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  return `${s}s`;
}

// ---- The form ---------------------------------------------------------------------------

/** Builds the option controls from the server's schema, filled with the defaults. */
async function loadOptions() {
  state.options = parseOptionsSchema(await requestJSON(OPTIONS_SCHEMA_PATH));
  buildOptionControls(state.options, { main: $("options-main"), advanced: $("options-advanced") });
  showOptionsFor(form, state.options, form.elements.mode.value);
  form.elements.mode.addEventListener("change", () => showOptionsFor(form, state.options, form.elements.mode.value));
}

async function loadDatasets() {
  const select = $("dataset");
  try {
    state.datasets = await requestJSON("/api/datasets");
  } catch (error) {
    state.datasets = [];
    $("dataset-info").textContent = `Could not list the datasets: ${error.message}`;
  }
  const options = state.datasets.map((d) => {
    const option = document.createElement("option");
    option.value = d.name;
    option.textContent = `${d.name} (${d.pictures})`;
    return option;
  });
  select.replaceChildren(...options);
  select.disabled = options.length === 0;
  const preferred = state.datasets.find((d) => d.name === form.elements.mode.value);
  if (preferred) select.value = preferred.name;
  describeDataset();
}

function describeDataset() {
  const dataset = state.datasets.find((d) => d.name === $("dataset").value);
  $("dataset-info").textContent = dataset
    ? describeSplit(dataset)
    : `No folder with pictures in ${state.dataRoot ?? "the data root"} yet: add one below, or put a folder of pictures there.`;
  showWarning($("dataset-warning"), dataset ? validationWarning(validationCount(dataset), splitByFolders(dataset)) : "");
}

/** Shows `text` in the warning paragraph `element`, or hides it when `text` is empty. */
function showWarning(element, text) {
  element.textContent = text;
  element.hidden = text === "";
}

// ---- Adding a dataset --------------------------------------------------------------------

/** Shows where datasets live: the server's data root, as an absolute path. */
async function loadDataRoot() {
  try {
    const { root, maxPictureBytes, maxPixels, maxPictures } = await requestJSON("/api/datasets/root");
    state.dataRoot = root;
    state.uploadLimits = { maxPictureBytes };
    $("data-root").textContent = root;
    $("upload-limits").textContent = `PNG and JPEG pictures, each up to ${Math.floor(maxPictureBytes / 1e6)} MB and ` +
      `${Math.floor(maxPixels / 1e6)} megapixels, at most ${maxPictures.toLocaleString("en")} in a dataset`;
  } catch (error) {
    $("data-root").textContent = `the data root (${error.message})`;
  }
}

setUpDatasetUpload(
  {
    nameInput: $("new-dataset-name"),
    dropZone: $("dataset-drop"),
    inputs: [$("dataset-folder"), $("dataset-zip")],
    progress: $("upload-progress"),
    status: $("upload-status"),
    problems: $("upload-problems"),
  },
  {
    limits: () => state.uploadLimits,
    onAdded: async (name) => {
      await loadDatasets();
      if (state.datasets.some((d) => d.name === name)) {
        $("dataset").value = name;
        describeDataset();
      }
    },
  },
);

/** The start request: the dataset and every option shown, as typed; the server validates. */
function startRequest() {
  return { dataset: form.elements.dataset.value, ...readOptions(form, state.options) };
}

function showFormError(message) {
  $("form-error").textContent = message;
  markInvalidField(form, message);
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  showFormError("");
  $("start").disabled = true;
  try {
    applyStatus(await requestJSON("/api/train/start", { body: startRequest() }));
  } catch (error) {
    showFormError(error.message);
    applyStatus(state.status);
  }
});

$("stop").addEventListener("click", async () => {
  $("stop").disabled = true;
  try {
    const answer = await requestJSON("/api/train/stop", { body: {} });
    // A short step can end the run before this answer ("stopping") arrives: the socket's
    // "stopped" came first and must not be undone by it.
    if (isActiveState(state.status.state)) applyStatus(answer);
  } catch (error) {
    showFormError(error.message);
  }
});

$("dataset").addEventListener("change", describeDataset);

// ---- Live state -------------------------------------------------------------------------

function applyStatus(status) {
  const previous = state.status;
  state.status = { ...state.status, ...status };
  const s = state.status;
  const active = isActiveState(s.state);
  $("run-name").textContent = s.run ? `${s.run}` : "—";
  $("run-name").title = s.dataset ? `${s.dataset}, ${s.mode}, ${s.size}px, batch ${s.batch}` : "";
  const badge = $("run-state");
  badge.textContent = s.state;
  badge.dataset.state = s.state;
  const progress = $("progress");
  progress.max = Math.max(1, s.totalSteps || 1);
  progress.value = Math.min(s.step || 0, progress.max);
  $("progress-text").textContent = `${s.step ?? 0} / ${s.totalSteps ?? 0}`;
  $("rate").textContent = Number.isFinite(s.imagesPerSecond) ? `${s.imagesPerSecond.toFixed(2)} img/s` : "— img/s";
  $("eta").textContent = active ? duration(s.etaSeconds) : "—";
  $("run-message").textContent = s.message ?? "";
  $("start").disabled = active;
  $("stop").disabled = !active || s.state === "stopping";
  if (previous.state !== s.state) {
    for (const button of document.querySelectorAll("#runs button.resume")) button.disabled = active;
    if (!active) runs.refreshSoon();
  }
}

/** Newest checkpoints shown until "Show all" is pressed. */
const CHECKPOINTS_SHOWN = 5;
let showAllCheckpoints = false;

function drawCheckpoints() {
  const hidden = renderCheckpoints($("checkpoints").tBodies[0], state.validations, state.checkpointSteps,
    showAllCheckpoints ? Infinity : CHECKPOINTS_SHOWN);
  const latest = state.validations.reduce((a, b) => (b.step > (a?.step ?? -1) ? b : a), null);
  const dataset = state.datasets.find((d) => d.name === state.status.dataset);
  const pictures = latest?.pictures ?? state.validationPictures;
  showWarning($("validation-warning"), pictures === null ? "" : validationWarning(pictures, dataset ? splitByFolders(dataset) : false));
  const button = $("show-all-checkpoints");
  button.hidden = hidden === 0 && !showAllCheckpoints;
  button.textContent = showAllCheckpoints ? "Show the newest only" : `Show all (${hidden} older)`;
}

$("show-all-checkpoints").addEventListener("click", () => {
  showAllCheckpoints = !showAllCheckpoints;
  drawCheckpoints();
});

function showSample(file, step) {
  if (!state.status.run) return;
  state.sample = { file, step };
  const img = $("sample");
  img.src = sampleURL(state.status.run, file);
  img.hidden = false;
  $("no-sample").hidden = true;
  $("sample-step").textContent = `step ${step}`;
}

function clearRun() {
  state.validations = [];
  state.validationPictures = null;
  state.checkpointSteps = new Set();
  state.lastProgress = null;
  state.sample = null;
  $("sample").hidden = true;
  $("sample").removeAttribute("src");
  $("no-sample").hidden = false;
  $("sample-step").textContent = "";
  $("lr").textContent = "—";
}

/** Applies one training event; `live` is false while replaying a snapshot's history. */
function applyEvent(event, live) {
  state.eventsSeen += 1;
  switch (event.type) {
    case TrainingEventType.progress:
      state.lastProgress = event;
      $("lr").textContent = Number(event.learningRate).toExponential(2);
      if (live) charts.add(event);
      break;
    case TrainingEventType.sample:
      showSample(event.path, event.step);
      break;
    case TrainingEventType.checkpoint:
      state.checkpointSteps.add(event.step);
      if (live) runs.refreshSoon();
      break;
    case TrainingEventType.validation:
      state.validations = state.validations.filter((v) => v.step !== event.step).concat([event]);
      if (live) drawCheckpoints();
      break;
    case TrainingEventType.started:
      state.validationPictures = event.validationPictures ?? null;
      if (live) {
        drawCheckpoints();
        runs.refreshSoon();
      }
      break;
    default:
      break;
  }
}

function applySnapshot(message) {
  clearRun();
  applyStatus(message.status);
  const progress = [];
  for (const event of message.history) {
    applyEvent(event, false);
    if (event.type === TrainingEventType.progress) progress.push(event);
  }
  charts.reset(progress);
  drawCheckpoints();
}

// ---- The socket -------------------------------------------------------------------------

function setConnected(connected) {
  state.connected = connected;
  const badge = $("connection");
  badge.dataset.connected = String(connected);
  badge.textContent = connected ? "live" : "reconnecting…";
}

function applyMessage(message) {
  switch (message.type) {
    case TrainMessageType.snapshot: applySnapshot(message); break;
    case TrainMessageType.event:
      applyEvent(message.event, true);
      applyStatus(message.status);
      break;
    case TrainMessageType.status: applyStatus(message.status); break;
    case TrainMessageType.error: console.warn("Training socket:", message.message); break;
    default: break;
  }
}

// ---- Start ------------------------------------------------------------------------------

let resizeTimer = null;
window.addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => charts.redraw(), 100);
});

async function main() {
  charts.reset([]);
  drawCheckpoints();
  try {
    await loadOptions();
  } catch (error) {
    showFormError(`Could not load the training options: ${error.message}`);
  }
  await loadDataRoot();
  await loadDatasets();
  connectTrainingSocket({ onMessage: applyMessage, onConnection: setConnected });
  await runs.load();
  document.body.dataset.ready = "true";
}

main();
