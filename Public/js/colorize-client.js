// Talks to the colorizer: live over /ws/colorize (one request in flight, newest wins), or
// once over POST /api/colorize when the socket is down.
import {
  COLORIZE_PATH,
  COLORIZE_SOCKET_PATH,
  ErrorCode,
  MessageType,
  colorizeMessage,
  colorizeRequestBody,
  ServerError,
  parseServerMessage,
  request,
} from "./protocol.js";

/** Base64 → Blob of the given type. */
export function base64ToBlob(base64, type) {
  if (typeof Uint8Array.fromBase64 === "function") return new Blob([Uint8Array.fromBase64(base64)], { type });
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i += 1) bytes[i] = text.charCodeAt(i);
  return new Blob([bytes], { type });
}

export class ColorizeClient {
  /**
   * @param {() => {mode, model, hints, imageVersion, image: () => string}} snapshot the request to send now
   * @param {{onResult, onError, onConnection}} handlers
   */
  constructor(snapshot, { onResult, onError, onConnection }) {
    this.snapshot = snapshot;
    this.onResult = onResult;
    this.onError = onError;
    this.onConnection = onConnection;
    this.socket = null;
    this.nextID = 1;
    this.inFlight = null; // { id, sentAt }
    this.wanted = false; // a newer request waits for the one in flight
    this.sentImageVersion = null; // picture the server holds for this connection
    this.lastShownID = 0;
    this.retryTimer = null;
    this.reconnectDelay = 250;
    /** Round-trip times of results, in milliseconds (kept for the status line and tests). */
    this.roundTrips = [];
  }

  get connected() {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  connect() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(`${scheme}//${location.host}${COLORIZE_SOCKET_PATH}`);
    this.socket = socket;
    socket.addEventListener("open", () => {
      this.reconnectDelay = 250;
      this.sentImageVersion = null;
      this.inFlight = null;
      this.onConnection?.(true);
      if (this.wanted) this.send();
    });
    socket.addEventListener("message", (event) => this.receive(event.data));
    socket.addEventListener("close", () => {
      if (this.socket !== socket) return;
      this.onConnection?.(false);
      this.inFlight = null;
      setTimeout(() => this.connect(), this.reconnectDelay);
      this.reconnectDelay = Math.min(this.reconnectDelay * 2, 5000);
    });
  }

  /** Asks for a colorization of the current state; coalesces with one already waiting. */
  request() {
    this.wanted = true;
    clearTimeout(this.retryTimer);
    if (this.connected && !this.inFlight) this.send();
  }

  send() {
    const state = this.snapshot();
    if (!state) {
      this.wanted = false;
      return;
    }
    const id = this.nextID++;
    const includeImage = state.imageVersion !== this.sentImageVersion;
    const startedAt = performance.now();
    const image = includeImage ? state.image() : undefined;
    const encodeMs = performance.now() - startedAt;
    const text = colorizeMessage({ id, mode: state.mode, model: state.model, hints: state.hints, image, variant: state.variant });
    this.wanted = false;
    this.inFlight = { id, startedAt, encodeMs, sentAt: performance.now(), imageVersion: state.imageVersion, includeImage };
    this.socket.send(text);
  }

  receive(text) {
    let message;
    try {
      message = parseServerMessage(text);
    } catch (error) {
      this.onError?.(`Unexpected message from the server: ${error.message}`);
      return;
    }
    const flight = this.inFlight && message.id === this.inFlight.id ? this.inFlight : null;
    if (flight) {
      this.inFlight = null;
      if (flight.includeImage) {
        // The server keeps the picture of a request it accepted, even one that failed later.
        this.sentImageVersion = message.type === MessageType.result || message.code !== ErrorCode.badRequest
          ? flight.imageVersion : null;
      }
    }
    if (message.type === MessageType.result) {
      if (message.id > this.lastShownID) {
        this.lastShownID = message.id;
        const roundTrip = flight ? performance.now() - flight.sentAt : null;
        if (roundTrip !== null) this.roundTrips.push(roundTrip);
        this.onResult?.({
          ...message,
          blob: base64ToBlob(message.image, "image/png"),
          roundTrip,
          startedAt: flight?.startedAt,
          encodeMs: flight?.encodeMs,
        });
      }
    } else if (message.code === ErrorCode.busy) {
      this.wanted = true;
      this.retryTimer = setTimeout(() => this.request(), 1000);
    } else if (message.code !== ErrorCode.superseded) {
      this.onError?.(message.message);
    }
    if (this.wanted && !this.inFlight && message.code !== ErrorCode.busy) this.send();
  }

  /** One colorization over HTTP, for when the socket is not connected; the server's refusal goes to `onError`. */
  async colorizeOnce() {
    const state = this.snapshot();
    if (!state) return;
    const sentAt = performance.now();
    let response;
    try {
      response = await request(COLORIZE_PATH, {
        body: colorizeRequestBody({ mode: state.mode, model: state.model, hints: state.hints, image: state.image(), variant: state.variant }),
      });
    } catch (error) {
      if (!(error instanceof ServerError)) throw error;
      this.onError?.(error.message);
      return;
    }
    const blob = await response.blob();
    this.onResult?.({ id: 0, blob, ms: null, roundTrip: performance.now() - sentAt });
  }
}
