// The training dashboard: start/stop/resume runs, follow them live over /ws/train, publish
// checkpoints as models. Mirrors the server's messages through protocol.js.
import {
  OPTIONS_SCHEMA_PATH,
  TRAIN_SOCKET_PATH,
  TrainMessageType,
  TrainingEventType,
  isActiveState,
  parseOptionsSchema,
  parseTrainMessage,
  pingMessage,
  sampleURL,
} from "./protocol.js";
import { announceModelsChanged } from "./model-list.js";
import { createCharts } from "./train-charts.js";
import { renderCheckpoints, renderRuns } from "./train-tables.js";
import { buildOptionControls, markInvalidField, readOptions, showOptionsFor } from "./train-form.js";
import { describeSplit, splitByFolders, validationCount, validationWarning } from "./train-dataset.js";
import { askInPage } from "./ask.js";
import { setUpDatasetUpload } from "./dataset-upload.js";

const $ = (id) => document.getElementById(id);

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
globalThis.tinctTrain = { state };

const charts = createCharts($("charts"));
const form = $("train-form");

// ---- Formatting -------------------------------------------------------------------------

function duration(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return "—";
  const s = Math.round(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  return `${s}s`;
}

// ---- HTTP -------------------------------------------------------------------------------

/** Sends JSON and returns the parsed answer; throws an Error carrying the server's message. */
async function api(path, body) {
  const options = body === undefined ? {} : {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  };
  const response = await fetch(path, options);
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!response.ok) {
    const error = new Error(data?.error ?? `HTTP ${response.status}`);
    error.status = response.status;
    throw error;
  }
  return data;
}

// ---- The form ---------------------------------------------------------------------------

/** Builds the option controls from the server's schema, filled with the defaults. */
async function loadOptions() {
  state.options = parseOptionsSchema(await api(OPTIONS_SCHEMA_PATH));
  buildOptionControls(state.options, { main: $("options-main"), advanced: $("options-advanced") });
  showOptionsFor(form, state.options, form.elements.mode.value);
  form.elements.mode.addEventListener("change", () => showOptionsFor(form, state.options, form.elements.mode.value));
}

async function loadDatasets() {
  const select = $("dataset");
  try {
    state.datasets = await api("/api/datasets");
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
    const { root, maxPictureBytes, maxPixels, maxPictures } = await api("/api/datasets/root");
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
    applyStatus(await api("/api/train/start", startRequest()));
  } catch (error) {
    showFormError(error.message);
    applyStatus(state.status);
  }
});

$("stop").addEventListener("click", async () => {
  $("stop").disabled = true;
  try {
    const answer = await api("/api/train/stop", {});
    // A short step can end the run before this answer ("stopping") arrives: the socket's
    // "stopped" came first and must not be undone by it.
    if (isActiveState(state.status.state)) applyStatus(answer);
  } catch (error) {
    showFormError(error.message);
  }
});

$("dataset").addEventListener("change", describeDataset);

// ---- Runs -------------------------------------------------------------------------------

async function loadRuns() {
  try {
    state.runs = await api("/api/runs");
  } catch (error) {
    $("runs-message").textContent = `Could not list the runs: ${error.message}`;
    return;
  }
  renderRuns($("runs").tBodies[0], state.runs, { busy: isActiveState(state.status.state), resume, publish });
}

let runsTimer = null;
/** Reloads the runs list soon, once however many events ask for it. */
function refreshRunsSoon() {
  if (runsTimer) return;
  runsTimer = setTimeout(() => { runsTimer = null; loadRuns(); }, 400);
}

async function resume(run) {
  showFormError("");
  try {
    applyStatus(await api("/api/train/resume", { run }));
    $("runs-message").textContent = `Resuming ${run}.`;
  } catch (error) {
    $("runs-message").textContent = error.message;
  }
}

async function publish(run, name, replace = false) {
  $("runs-message").textContent = `Publishing ${run} as ${name}…`;
  try {
    const model = await api("/api/train/publish", { run, name, replace });
    $("runs-message").textContent =
      `Published ${model.name} (${model.mode}, ${model.resolution}px): it is now in the editor's model list.`;
    announceModelsChanged();
  } catch (error) {
    // 409 is publish's answer when a model of that name exists: ask, in the page, whether to replace it.
    if (error.status === 409 && !replace) {
      $("runs-message").textContent = "";
      const replaceIt = await askInPage($("publish-question"), `A model called ${name} already exists. Replace it with ${run}?`, [
        { label: `Replace ${name}`, value: true, primary: true },
        { label: "Keep the existing one", value: false },
      ]);
      if (replaceIt) return publish(run, name, true);
      if (replaceIt === false) $("runs-message").textContent = `Kept the existing ${name}; give ${run} another name to publish it beside.`;
      return;
    }
    $("runs-message").textContent = error.message;
  }
}

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
    if (!active) refreshRunsSoon();
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
      if (live) refreshRunsSoon();
      break;
    case TrainingEventType.validation:
      state.validations = state.validations.filter((v) => v.step !== event.step).concat([event]);
      if (live) drawCheckpoints();
      break;
    case TrainingEventType.started:
      state.validationPictures = event.validationPictures ?? null;
      if (live) {
        drawCheckpoints();
        refreshRunsSoon();
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

let socket = null;
let retryDelay = 500;
let pingTimer = null;

function setConnected(connected) {
  state.connected = connected;
  const badge = $("connection");
  badge.dataset.connected = String(connected);
  badge.textContent = connected ? "live" : "reconnecting…";
}

function connect() {
  const url = new URL(TRAIN_SOCKET_PATH, location.href);
  url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
  socket = new WebSocket(url);
  socket.addEventListener("open", () => {
    retryDelay = 500;
    setConnected(true);
    clearInterval(pingTimer);
    pingTimer = setInterval(() => socket?.readyState === WebSocket.OPEN && socket.send(pingMessage()), 20000);
  });
  socket.addEventListener("message", (event) => {
    let message;
    try {
      message = parseTrainMessage(event.data);
    } catch (error) {
      console.warn("Ignoring a training message:", error.message);
      return;
    }
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
  });
  socket.addEventListener("close", () => {
    setConnected(false);
    clearInterval(pingTimer);
    socket = null;
    setTimeout(connect, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 10000);
  });
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
  connect();
  await loadRuns();
  document.body.dataset.ready = "true";
}

main();
