// The /ws/colorize wire protocol, version 1 — mirrors Sources/Server/Colorize/ColorizeMessages.swift.
// Every message is a JSON text frame with a `type` and a `version`.

/** The protocol version this client speaks. */
export const PROTOCOL_VERSION = 1;

/** Path of the live colorization socket. */
export const COLORIZE_SOCKET_PATH = "/ws/colorize";

/** Path of the installed models' list (`[{name, mode, resolution}]`). */
export const MODELS_PATH = "/api/models";

/** Path of line-art extraction: POST `{image: base64, style?}` → PNG of the lines, same size. */
export const LINEART_PATH = "/api/lineart";

/** Path of one-off colorizations and exports: POST a `colorizeRequestBody` → the picture. */
export const COLORIZE_PATH = "/api/colorize";

/** BroadcastChannel on which pages of this browser announce that the model list changed. */
export const MODELS_CHANNEL = "tinct-models";

/** Message types, client → server and server → client. */
export const MessageType = Object.freeze({
  colorize: "colorize",
  result: "result",
  error: "error",
});

/** Machine-readable error codes the server sends in `error` messages. */
export const ErrorCode = Object.freeze({
  badRequest: "bad-request",
  tooLarge: "too-large",
  unsupportedMedia: "unsupported-media",
  notFound: "not-found",
  busy: "busy",
  superseded: "superseded",
  internal: "internal",
});

/** Modes the editor offers. */
export const Mode = Object.freeze({ lineart: "lineart", photo: "photo" });

/**
 * A hint on the wire: pixel coordinates in the input picture, `#rrggbb`, optional radius.
 * @returns {{x: number, y: number, color: string, r?: number}}
 */
export function wireHint({ x, y, color, r }) {
  const hint = { x: Math.round(x), y: Math.round(y), color };
  if (r !== undefined && r !== null) hint.r = Math.round(r);
  return hint;
}

/**
 * A `colorize` request. `image` (base64 PNG/JPEG, no data: prefix) may be omitted when the
 * picture has not changed since the connection's previous request; `model` when the mode's
 * default model should be used.
 */
export function colorizeMessage({ id, mode, model, hints, image, variant }) {
  const message = {
    type: MessageType.colorize,
    version: PROTOCOL_VERSION,
    id,
    mode,
    hints: hints.map(wireHint),
  };
  if (model) message.model = model;
  if (image) message.image = image;
  if (variant != null) message.variant = { seed: variant };
  return JSON.stringify(message);
}

/** A JSON message object of this protocol version (either socket's); throws on anything else. */
function parseVersionedMessage(text) {
  const message = JSON.parse(text);
  if (message === null || typeof message !== "object") throw new Error("not a message object");
  if (message.version !== PROTOCOL_VERSION) throw new Error(`unsupported protocol version ${message.version}`);
  return message;
}

/**
 * Parses a server message. Returns
 * `{type: "result", id, image, width, height, ms}` or `{type: "error", id, code, message}`;
 * throws on anything else.
 */
export function parseServerMessage(text) {
  const message = parseVersionedMessage(text);
  switch (message.type) {
    case MessageType.result:
      if (typeof message.image !== "string") throw new Error("result without image");
      return {
        type: MessageType.result,
        id: message.id,
        image: message.image,
        width: message.width,
        height: message.height,
        ms: message.ms,
      };
    case MessageType.error:
      return {
        type: MessageType.error,
        id: message.id ?? null,
        code: message.code ?? ErrorCode.internal,
        message: String(message.message ?? ""),
      };
    default:
      throw new Error(`unknown message type ${message.type}`);
  }
}

/**
 * The body of `POST /api/colorize`: the HTTP fallback when the socket is down, and the
 * exports, which name a `format` (see export-download.js).
 */
export function colorizeRequestBody({ mode, model, hints, image, format, variant }) {
  const body = { image, mode, hints: hints.map(wireHint) };
  if (model) body.model = model;
  if (format) body.format = format;
  if (variant != null) body.variant = { seed: variant };
  return JSON.stringify(body);
}

// ---- The artist's helpers — mirrors Sources/Server/Colorize/ArtistToolRequests.swift.

/** POST `{image, mode, hints, model?, x, y, variants?}` → `{suggestions: [{color, votes}], variants, ms}`. */
export const SUGGESTIONS_PATH = "/api/suggestions";
/** POST `{image, colors?}` → `{colors: [{color, share}]}`: a reference picture's dominant colours. */
export const PALETTE_PATH = "/api/palette";
/** POST `{image}` → `{width, height, runs, areas, pageReach}`: the area a hint would colour, per pixel. */
export const REGIONS_PATH = "/api/regions";
/** `/api/regions` labels that are no area: the open page (a disc of `pageReach`), deep ink. */
export const RegionLabel = Object.freeze({ page: -2, ink: -1 });

/** The body of `POST /api/suggestions`. */
export function suggestionsRequestBody({ mode, model, hints, image, x, y }) {
  const body = { image, mode, hints: hints.map(wireHint), x: Math.round(x), y: Math.round(y) };
  if (model) body.model = model;
  return JSON.stringify(body);
}

// ---- HTTP: every request the pages make goes through `request`.

/** A request the server refused: its own sentence (the `error` of its JSON answer) and the status. */
export class ServerError extends Error {
  constructor(message, status) {
    super(message);
    this.name = "ServerError";
    this.status = status;
  }
}

/**
 * GETs `path`, or POSTs `body` (a JSON string, or a value to encode) to it. Resolves to the
 * Response when it is ok; rejects with a ServerError carrying the server's sentence otherwise.
 * `cache` is fetch's cache mode.
 */
export async function request(path, { body, cache } = {}) {
  const init = body === undefined ? {} : {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  };
  if (cache) init.cache = cache;
  const response = await fetch(path, init);
  if (!response.ok) {
    const answer = await response.json().catch(() => null);
    throw new ServerError(answer?.error ?? `HTTP ${response.status}`, response.status);
  }
  return response;
}

/** `request`, then the answer as JSON (null when it is empty or not JSON). */
export async function requestJSON(path, options) {
  const text = await (await request(path, options)).text();
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

// ---- The /ws/train protocol, version 1 — mirrors Sources/Server/Training/TrainingMessages.swift.

/** Path of the training dashboard's socket. */
export const TRAIN_SOCKET_PATH = "/ws/train";

/** Message types on /ws/train: `ping` (client → server), the rest server → client. */
export const TrainMessageType = Object.freeze({
  snapshot: "snapshot",
  event: "event",
  status: "status",
  ping: "ping",
  pong: "pong",
  error: "error",
});

/** Kinds of training events (`event.type`), as `TrainingEvent` in Sources/Pix2Pix. */
export const TrainingEventType = Object.freeze({
  started: "started",
  progress: "progress",
  sample: "sample",
  checkpoint: "checkpoint",
  validation: "validation",
  warning: "warning",
  stopped: "stopped",
  finished: "finished",
  failed: "failed",
});

/**
 * Fewer validation pictures than this make the checkpoint table's figures mostly noise, as
 * `ValidationSplit.fewPictures` in Sources/Pix2Pix; one picture in `HASH_SPLIT_ONE_IN` is held
 * out when a dataset has no train/ and val/ subfolders (`ValidationSplit.oneIn`).
 */
export const FEW_VALIDATION_PICTURES = 8;
export const HASH_SPLIT_ONE_IN = 20;

/** States of `status.state`; the first three mean a run holds the trainer. */
export const TrainingState = Object.freeze({
  starting: "starting",
  running: "running",
  stopping: "stopping",
  idle: "idle",
  finished: "finished",
  stopped: "stopped",
  failed: "failed",
});

/** Whether `state` means a run is active (Start is refused with 409 then). */
export function isActiveState(state) {
  return state === TrainingState.starting || state === TrainingState.running || state === TrainingState.stopping;
}

/** A `ping` message. */
export function pingMessage() {
  return JSON.stringify({ type: TrainMessageType.ping, version: PROTOCOL_VERSION });
}

/**
 * Parses a /ws/train server message: `{type: "snapshot", status, history}`,
 * `{type: "event", status, event}`, `{type: "status", status}`, `{type: "pong"}` or
 * `{type: "error", message}`; throws on anything else.
 */
export function parseTrainMessage(text) {
  const message = parseVersionedMessage(text);
  switch (message.type) {
    case TrainMessageType.snapshot:
      if (!Array.isArray(message.history)) throw new Error("snapshot without history");
      return { type: message.type, status: message.status ?? {}, history: message.history };
    case TrainMessageType.event:
      if (!message.event || typeof message.event.type !== "string") throw new Error("event without event");
      return { type: message.type, status: message.status ?? {}, event: message.event };
    case TrainMessageType.status:
      return { type: message.type, status: message.status ?? {} };
    case TrainMessageType.pong:
      return { type: message.type };
    case TrainMessageType.error:
      return { type: message.type, message: String(message.message ?? "") };
    default:
      throw new Error(`unknown message type ${message.type}`);
  }
}

/** URL of a sample grid picture of run `run` (`file` as in a `sample` event's `path`). */
export function sampleURL(run, file) {
  return `/api/runs/${encodeURIComponent(run)}/samples/${encodeURIComponent(file)}`;
}

// ---- The training options' schema — mirrors Sources/Server/Training/TrainingOptionsSchema.swift.

/** Path of the options a training start takes (labels, help, ranges, choices, defaults). */
export const OPTIONS_SCHEMA_PATH = "/api/train/options-schema";

/** The options schema's version this page reads. */
export const OPTIONS_SCHEMA_VERSION = 1;

/** Kinds of training options (`option.type`). */
export const OptionType = Object.freeze({
  integer: "integer",
  number: "number",
  flag: "flag",
  choice: "choice",
});

/**
 * Checks a `GET /api/train/options-schema` answer and returns its options, in order:
 * `{name, flag, label, help, type, minimum?, exclusiveMinimum?, maximum?, choices?: [{value, label}],
 * default, derivedDefault?, modes: [mode], advanced}`. Throws on anything else.
 */
export function parseOptionsSchema(data) {
  if (data === null || typeof data !== "object") throw new Error("not an options schema");
  if (data.version !== OPTIONS_SCHEMA_VERSION) throw new Error(`unsupported options schema version ${data.version}`);
  if (!Array.isArray(data.options)) throw new Error("options schema without options");
  const types = new Set(Object.values(OptionType));
  for (const option of data.options) {
    if (typeof option?.name !== "string" || !types.has(option.type) || !Array.isArray(option.modes)) {
      throw new Error(`malformed option ${JSON.stringify(option?.name)}`);
    }
    if (option.type === OptionType.choice && !Array.isArray(option.choices)) {
      throw new Error(`choice ${option.name} without choices`);
    }
  }
  return data.options;
}
