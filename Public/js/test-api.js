// The one object the browser tests read: `globalThis.tinctTestAPI`. Every call returns a
// fresh snapshot (copies, never the editor's own objects), so a test reads the editor without
// being able to change it, and the editor's internals can change without breaking the tests.
// Nothing in the page reads it.

/** Bumped when a snapshot's shape changes. */
export const TEST_API_VERSION = 1;

/**
 * Publishes the editor's test API. Its members:
 * - `version`: TEST_API_VERSION;
 * - `hints()`: `[{x, y, color, r}]`, in drawing pixels; `selectedHint()`: an index, -1 for none;
 * - `tool()`, `mode()`, `model()`: the Tool, the Mode, the chosen model's name ("" for none);
 * - `connection()`: the live socket's ConnectionState;
 * - `colorizer()`: `{connected, busy, waiting, sent, shown, settled, roundTrips}` — requests
 *   sent over the socket so far, the newest one whose result was shown, whether one is in
 *   flight or waiting for it, `settled` when none is and the newest was shown, and the round
 *   trips in ms;
 * - `result()`: `{shown, width, height, preview}` — whether the pane shows a colorization,
 *   its canvas size, and `"lines"` while it previews extracted lines (else null);
 * - `extracting()`: whether the line extraction step is open;
 * - `timings()`: the shown results' timings (see ResultPane.timings);
 * - `variant()`: the adopted variant's seed (variants.js), null for the usual colouring;
 * - `colorizeClient`: the live ColorizeClient itself, for Tests/Browser/measure_latency.py
 *   only, which wraps its methods to time each request from outside the page's code.
 */
export function exposeTestAPI({ state, connection, client, resultPane, extraction }) {
  const colorizer = () => {
    const sent = client.nextID - 1;
    const busy = client.inFlight !== null;
    return {
      connected: client.connected,
      busy,
      waiting: client.wanted,
      sent,
      shown: client.lastShownID,
      settled: client.connected && !busy && !client.wanted && client.lastShownID === sent,
      roundTrips: [...client.roundTrips],
    };
  };
  globalThis.tinctTestAPI = Object.freeze({
    version: TEST_API_VERSION,
    hints: () => state.hints.map((h) => ({ ...h })),
    selectedHint: () => state.selectedHint,
    tool: () => state.tool,
    mode: () => state.mode,
    model: () => state.model,
    connection: () => connection.state,
    colorizer,
    result: () => ({
      shown: state.hasResult,
      width: resultPane.canvas.width,
      height: resultPane.canvas.height,
      preview: resultPane.canvas.dataset.preview ?? null,
    }),
    extracting: () => extraction.isOpen,
    timings: () => resultPane.timings.map((t) => ({ ...t })),
    variant: () => state.variant,
    colorizeClient: client,
  });
}

/**
 * Publishes the training dashboard's test API (the same global, on /train). Its member
 * `training()` returns `{connected, status, validations, eventsSeen}`: whether the live socket
 * is up, a copy of the run's status (`state`, `step`, …), how many validated checkpoints the
 * page holds, and how many training events it has applied.
 */
export function exposeTrainingTestAPI(state) {
  globalThis.tinctTestAPI = Object.freeze({
    version: TEST_API_VERSION,
    training: () => ({
      connected: state.connected,
      status: { ...state.status },
      validations: state.validations.length,
      eventsSeen: state.eventsSeen,
    }),
  });
}
