// The /ws/colorize wire protocol, version 1 — mirrors Sources/Server/Colorize/ColorizeMessages.swift.
// Every message is a JSON text frame with a `type` and a `version`.

/** The protocol version this client speaks. */
export const PROTOCOL_VERSION = 1;

/** Path of the live colorization socket. */
export const COLORIZE_SOCKET_PATH = "/ws/colorize";

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
export function colorizeMessage({ id, mode, model, hints, image }) {
  const message = {
    type: MessageType.colorize,
    version: PROTOCOL_VERSION,
    id,
    mode,
    hints: hints.map(wireHint),
  };
  if (model) message.model = model;
  if (image) message.image = image;
  return JSON.stringify(message);
}

/**
 * Parses a server message. Returns
 * `{type: "result", id, image, width, height, ms}` or `{type: "error", id, code, message}`;
 * throws on anything else.
 */
export function parseServerMessage(text) {
  const message = JSON.parse(text);
  if (message === null || typeof message !== "object") throw new Error("not a message object");
  if (message.version !== PROTOCOL_VERSION) throw new Error(`unsupported protocol version ${message.version}`);
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

/** The body of `POST /api/colorize` (the HTTP fallback when the socket is down). */
export function colorizeRequestBody({ mode, model, hints, image }) {
  const body = { image, mode, hints: hints.map(wireHint) };
  if (model) body.model = model;
  return JSON.stringify(body);
}
