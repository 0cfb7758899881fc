// Whether the editor's live socket is up: its own state, kept apart from the status line
// (which only tells the person about it) and mirrored on <body data-connected> for CSS and tests.
import { StatusTopic } from "./status-line.js";

/** The live socket's state. */
export const ConnectionState = Object.freeze({
  /** Not yet open since the page loaded. */
  connecting: "connecting",
  connected: "connected",
  /** Closed; the client reconnects by itself. */
  lost: "lost",
});

export class Connection {
  /**
   * @param {import("./status-line.js").StatusLine} status where a lost connection is announced
   * @param {HTMLElement} body the element whose `data-connected` mirrors the state
   */
  constructor(status, body) {
    this.status = status;
    this.body = body;
    this.state = ConnectionState.connecting;
  }

  get isConnected() {
    return this.state === ConnectionState.connected;
  }

  /** Records that the socket opened (`true`) or closed (`false`), and tells the person. */
  update(connected) {
    this.state = connected ? ConnectionState.connected : ConnectionState.lost;
    this.body.dataset.connected = String(connected);
    if (connected) this.status.replace(StatusTopic.connectionLost, "Connected again.");
    else this.status.show("Connection lost; reconnecting…", StatusTopic.connectionLost);
  }
}
