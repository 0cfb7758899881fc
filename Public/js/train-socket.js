// The training dashboard's live socket (/ws/train): reconnects with a growing delay when it
// closes, pings while open so idle proxies keep it, and hands every parsed message on.
import { TRAIN_SOCKET_PATH, parseTrainMessage, pingMessage } from "./protocol.js";

/** How often an open socket is pinged, in ms. */
const PING_EVERY_MS = 20_000;
/** First and largest wait before reconnecting, in ms. */
const FIRST_RETRY_MS = 500;
const LAST_RETRY_MS = 10_000;

/**
 * Connects now and stays connected. `onMessage(message)` gets each message as
 * parseTrainMessage returns it; `onConnection(connected)` follows the socket opening and closing.
 */
export function connectTrainingSocket({ onMessage, onConnection }) {
  let retryDelay = FIRST_RETRY_MS;
  let pingTimer = null;

  function connect() {
    const url = new URL(TRAIN_SOCKET_PATH, location.href);
    url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(url);
    socket.addEventListener("open", () => {
      retryDelay = FIRST_RETRY_MS;
      onConnection(true);
      clearInterval(pingTimer);
      pingTimer = setInterval(() => socket.readyState === WebSocket.OPEN && socket.send(pingMessage()), PING_EVERY_MS);
    });
    socket.addEventListener("message", (event) => {
      let message;
      try {
        message = parseTrainMessage(event.data);
      } catch (error) {
        console.warn("Ignoring a training message:", error.message);
        return;
      }
      onMessage(message);
    });
    socket.addEventListener("close", () => {
      onConnection(false);
      clearInterval(pingTimer);
      setTimeout(connect, retryDelay);
      retryDelay = Math.min(retryDelay * 2, LAST_RETRY_MS);
    });
  }

  connect();
}
