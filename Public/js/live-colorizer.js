// When the editor asks for colors: in live mode a moment after every edit, or at once on
// Colorize (over the socket, or over HTTP while it is down). Never while lines are being
// chosen, and never without a model for the mode.
import { ColorizeClient } from "./colorize-client.js";
import { StatusTopic } from "./status-line.js";

/** Live mode waits this long after the last edit before asking for a colorization. */
export const LIVE_DEBOUNCE_MS = 100;

/** What the status line says while drawing is refused because lines are being chosen. */
export const CHOOSE_LINES_FIRST = "Choose the lines first: Use these lines, or Colorize as a photo.";

export class LiveColorizer {
  /**
   * @param {{state, drawing, models, extraction, connection, status, resultPane}} parts
   *   `models` is the ModelChoice, `extraction` the LineExtractionPanel
   */
  constructor({ state, drawing, models, extraction, connection, status, resultPane }) {
    this.state = state;
    this.models = models;
    this.extraction = extraction;
    this.status = status;
    this.timer = null;
    this.client = new ColorizeClient(
      () => ({
        mode: state.mode,
        model: state.model || undefined,
        hints: state.hints,
        variant: state.variant,
        imageVersion: drawing.version,
        image: () => drawing.toBase64PNG(),
      }),
      {
        // While lines are being chosen the result pane shows their preview, never a colorization.
        onResult: (result) => {
          if (extraction.isOpen) return;
          resultPane.showResult(result).catch((error) => status.show(`Could not show the result: ${error.message}`));
        },
        onError: (message) => status.show(`Colorizer: ${message}`),
        onConnection: (connected) => {
          connection.update(connected);
          if (connected && state.live) this.schedule(0);
        },
      },
    );
  }

  /** Whether a colorization may be asked for now. */
  get ready() {
    return this.models.available && !this.extraction.isOpen;
  }

  /** Asks for a colorization after `delay` ms, unless another edit comes first. */
  schedule(delay = LIVE_DEBOUNCE_MS) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.ready) this.client.request();
    }, delay);
  }

  /** Drops a colorization scheduled but not yet asked for. */
  cancel() {
    clearTimeout(this.timer);
  }

  /** Follows an edit: in live mode, colorizes once the edits pause. */
  edited() {
    if (this.state.live) this.schedule();
  }

  /** Colorizes now, whether or not live mode is on. */
  colorizeNow() {
    if (this.extraction.isOpen) {
      this.status.show(CHOOSE_LINES_FIRST);
      return;
    }
    if (!this.models.available) {
      this.status.show(`No ${this.state.mode} model is installed.`);
      return;
    }
    this.status.show("Colorizing…", StatusTopic.colorizing);
    if (this.client.connected) this.client.request();
    else this.client.colorizeOnce().catch((error) => this.status.show(`Colorizer: ${error.message}`));
  }

  /** Starts the live socket. */
  connect() {
    this.client.connect();
  }
}
