// The dashboard's list of runs: reloaded when a run starts, stops or saves a checkpoint;
// each run can be resumed or published as a model (asking in the page before replacing one).
import { askInPage } from "./ask.js";
import { byId } from "./dom.js";
import { announceModelsChanged } from "./model-list.js";
import { isActiveState, requestJSON } from "./protocol.js";
import { renderRuns } from "./train-tables.js";

/** Events arriving together reload the list once, this long after the first. */
const REFRESH_DELAY_MS = 400;

export class RunsPanel {
  /**
   * @param {{state, applyStatus: (status) => void, showFormError: (message: string) => void}} parts
   *   the page's state (`runs` and `status` are read and written), and how the page shows a
   *   run's new status and an error of the start form
   */
  constructor({ state, applyStatus, showFormError }) {
    this.state = state;
    this.applyStatus = applyStatus;
    this.showFormError = showFormError;
    this.message = byId("runs-message");
    this.refreshTimer = null;
  }

  async load() {
    try {
      this.state.runs = await requestJSON("/api/runs");
    } catch (error) {
      this.message.textContent = `Could not list the runs: ${error.message}`;
      return;
    }
    renderRuns(byId("runs").tBodies[0], this.state.runs, {
      busy: isActiveState(this.state.status.state),
      resume: (run) => this.resume(run),
      publish: (run, name) => this.publish(run, name),
    });
  }

  /** Reloads the list soon, once however many events ask for it. */
  refreshSoon() {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      this.load();
    }, REFRESH_DELAY_MS);
  }

  async resume(run) {
    this.showFormError("");
    try {
      this.applyStatus(await requestJSON("/api/train/resume", { body: { run } }));
      this.message.textContent = `Resuming ${run}.`;
    } catch (error) {
      this.message.textContent = error.message;
    }
  }

  async publish(run, name, replace = false) {
    this.message.textContent = `Publishing ${run} as ${name}…`;
    try {
      const model = await requestJSON("/api/train/publish", { body: { run, name, replace } });
      this.message.textContent =
        `Published ${model.name} (${model.mode}, ${model.resolution}px): it is now in the editor's model list.`;
      announceModelsChanged();
    } catch (error) {
      // 409 is publish's answer when a model of that name exists: ask, in the page, whether to replace it.
      if (error.status === 409 && !replace) {
        this.message.textContent = "";
        const replaceIt = await askInPage(byId("publish-question"), `A model called ${name} already exists. Replace it with ${run}?`, [
          { label: `Replace ${name}`, value: true, primary: true },
          { label: "Keep the existing one", value: false },
        ]);
        if (replaceIt) return this.publish(run, name, true);
        if (replaceIt === false) this.message.textContent = `Kept the existing ${name}; give ${run} another name to publish it beside.`;
        return;
      }
      this.message.textContent = error.message;
    }
  }
}
