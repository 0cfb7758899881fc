// The model selector: the installed models of the current mode, the one chosen, and what the
// person is told when a mode has none or a new one is published while the editor is open.
import { byId } from "./dom.js";
import { Mode } from "./protocol.js";

/** How a mode is named in sentences. */
function modeName(mode) {
  return mode === Mode.photo ? "photo" : "line-art";
}

export class ModelChoice {
  /**
   * @param {{state, status, onChoose: () => void}} parts `onChoose` runs when the person picks a model
   */
  constructor({ state, status, onChoose }) {
    this.state = state;
    this.status = status;
    this.select = byId("model");
    /** Whether the model list has been received once (later additions are announced). */
    this.listed = false;
    this.select.addEventListener("change", () => {
      state.model = this.select.value;
      onChoose();
    });
  }

  /** Whether a model of the current mode is installed. */
  get available() {
    return this.state.models.some((m) => m.mode === this.state.mode);
  }

  /**
   * Takes the newest list of installed models (from ModelList) and announces the ones added
   * for the current mode. Returns whether the current mode has just gained its first model.
   */
  update(models) {
    const { state } = this;
    const hadModel = this.available;
    const known = new Set(state.models.map((m) => m.name));
    const first = !this.listed;
    this.listed = true;
    state.models = models;
    this.fill();
    const added = models.filter((m) => !known.has(m.name) && m.mode === state.mode);
    if (!first && added.length > 0) {
      this.status.show(`New ${modeName(state.mode)} model: ${added.map((m) => m.name).join(", ")}.`);
    }
    return !hadModel && this.available;
  }

  /** Lists the current mode's models, keeping the chosen one (else the mode's default, else the first). */
  fill() {
    const { state, select } = this;
    const models = state.models.filter((m) => m.mode === state.mode);
    const options = models.map((m) => {
      const option = document.createElement("option");
      option.value = m.name;
      option.textContent = `${m.name} (${m.resolution}px)`;
      return option;
    });
    if (options.length === 0) {
      const option = document.createElement("option");
      option.value = "";
      option.textContent = `no ${modeName(state.mode)} model`;
      options.push(option);
    }
    select.replaceChildren(...options);
    const preferred = models.find((m) => m.name === state.model) ??
      models.find((m) => m.name === `default-${state.mode}`) ?? models[0];
    state.model = preferred?.name ?? "";
    select.value = state.model;
    select.disabled = models.length === 0;
    if (models.length === 0) {
      this.status.show(`No ${modeName(state.mode)} model is installed; put one under the models folder or publish one from Train.`);
    }
  }
}
