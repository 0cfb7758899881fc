// The installed models, kept fresh while the editor is open: a model published from the
// training dashboard shows up without a page reload. The list is fetched again when the
// dashboard (in another tab of this browser) announces a publish, when the page becomes
// visible or gains focus, and every `pollMs` while it is visible (for other browsers).
import { MODELS_CHANNEL, MODELS_PATH, requestJSON } from "./protocol.js";

export class ModelList {
  /**
   * @param {{onChange: (models: Array<{name, mode, resolution}>) => void, onError: (message: string) => void, pollMs?: number}} options
   */
  constructor({ onChange, onError, pollMs = 15_000 }) {
    this.onChange = onChange;
    this.onError = onError;
    this.pollMs = pollMs;
    /** The newest list, sorted by name as the server sends it. */
    this.models = [];
    this.key = null; // the list as JSON, to tell whether it changed
    this.loading = null;
    this.pollTimer = null;
  }

  /** Fetches the list once now (a refresh already under way is shared). */
  refresh() {
    this.loading ??= this.load().finally(() => { this.loading = null; });
    return this.loading;
  }

  async load() {
    let models;
    try {
      models = await requestJSON(MODELS_PATH, { cache: "no-store" });
      if (!Array.isArray(models)) throw new Error("not a list");
    } catch (error) {
      this.onError?.(`Could not list the models: ${error.message}`);
      return;
    }
    const key = JSON.stringify(models);
    if (key === this.key) return;
    this.key = key;
    this.models = models;
    this.onChange?.(models);
  }

  /** Starts listening for the moments a new model may have appeared. */
  watch() {
    if ("BroadcastChannel" in globalThis) {
      this.channel = new BroadcastChannel(MODELS_CHANNEL);
      this.channel.addEventListener("message", () => this.refresh());
    }
    window.addEventListener("focus", () => this.refresh());
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") this.refresh();
    });
    this.pollTimer = setInterval(() => {
      if (document.visibilityState === "visible") this.refresh();
    }, this.pollMs);
  }
}

/** Tells editors open in this browser that the model list changed (the dashboard calls it after a publish). */
export function announceModelsChanged() {
  if (!("BroadcastChannel" in globalThis)) return;
  const channel = new BroadcastChannel(MODELS_CHANNEL);
  channel.postMessage({ type: "models-changed" });
  channel.close();
}
