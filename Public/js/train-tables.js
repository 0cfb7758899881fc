// The dashboard's tables: checkpoints with validation metrics, and the runs list.
// All text goes in with textContent.

/** A <td> (or <th>) holding `text`, with an optional class. */
function cell(text, className, tag = "td") {
  const element = document.createElement(tag);
  element.textContent = text;
  if (className) element.className = className;
  return element;
}

/** A row saying the table is empty, across its `columns`. */
function emptyRow(text, columns) {
  const tr = document.createElement("tr");
  const empty = cell(text, "empty");
  empty.colSpan = columns;
  tr.append(empty);
  return tr;
}

const fixed = (value, digits) => (Number.isFinite(value) ? value.toFixed(digits) : "—");

/** Whether the model beats every baseline on both metrics (as `ValidationRow.modelWins`). */
export function modelWins(row) {
  const baselines = [row.inputUnchanged, row.nearestHintFill, row.edgeAwareFill].filter(Boolean);
  return baselines.every((b) => row.model.deltaE < b.deltaE && row.model.psnr > b.psnr);
}

/**
 * Fills the checkpoints table from `validation` events (newest first), marking checkpoints
 * whose `checkpoint` event has arrived. Each validation row (hint count) is one table row.
 * Only the newest `limit` checkpoints are shown (all when `limit` is Infinity); returns how
 * many were left out.
 */
export function renderCheckpoints(tbody, validations, checkpointSteps, limit = Infinity) {
  const rows = [];
  const sorted = [...validations].sort((a, b) => b.step - a.step);
  for (const validation of sorted.slice(0, limit)) {
    validation.rows.forEach((row, index) => {
      const tr = document.createElement("tr");
      if (index === 0) {
        const step = cell(String(validation.step), "step", "th");
        step.rowSpan = validation.rows.length;
        step.title = checkpointSteps.has(validation.step) ? "checkpoint saved" : "validated";
        tr.append(step);
        tr.classList.add("group-start");
      }
      const wins = modelWins(row);
      if (wins) tr.classList.add("wins");
      tr.append(
        cell(String(row.hints)),
        cell(fixed(row.model.psnr, 2), wins ? "model win" : "model"),
        cell(fixed(row.model.deltaE, 2), wins ? "model win" : "model"),
        cell(fixed(row.model.adherence, 2), "model"),
        cell(fixed(row.model.bleed, 2), "model"),
        cell(fixed(row.inputUnchanged.psnr, 2)),
        cell(fixed(row.inputUnchanged.deltaE, 2)),
        cell(fixed(row.nearestHintFill.psnr, 2)),
        cell(fixed(row.nearestHintFill.deltaE, 2)),
        cell(fixed(row.edgeAwareFill?.psnr, 2)),
        cell(fixed(row.edgeAwareFill?.deltaE, 2)),
      );
      rows.push(tr);
    });
  }
  tbody.replaceChildren(...(rows.length > 0 ? rows : [emptyRow("No validated checkpoint yet.", 14)]));
  return Math.max(0, sorted.length - limit);
}

/**
 * Fills the runs table. `actions.resume(run)` and `actions.publish(run, name)` are called by
 * the row buttons; `busy` disables Resume while a run is active.
 */
export function renderRuns(tbody, runs, { busy, resume, publish }) {
  const rows = runs.map((run) => {
    const tr = document.createElement("tr");
    tr.dataset.run = run.name;
    if (run.active) tr.classList.add("active");
    const name = cell(run.name, "run-name");
    name.title = `${run.size}px, batch ${run.batch}, ${run.checkpoints} checkpoint(s)${run.hasBest ? ", best kept" : ""}`;
    const resumeCell = document.createElement("td");
    const resumeButton = document.createElement("button");
    resumeButton.type = "button";
    resumeButton.textContent = "Resume";
    resumeButton.className = "resume";
    resumeButton.disabled = busy || run.checkpoints === 0 || run.step >= run.totalSteps;
    resumeButton.title = run.step >= run.totalSteps ? "This run is complete" : "Continue from the latest checkpoint";
    resumeButton.addEventListener("click", () => resume(run.name));
    resumeCell.append(resumeButton);

    const publishCell = document.createElement("td");
    const form = document.createElement("form");
    form.className = "publish";
    const input = document.createElement("input");
    input.type = "text";
    input.name = "model";
    input.required = true;
    input.pattern = "[A-Za-z0-9_\\-]{1,64}";
    input.value = run.name.slice(0, 64);
    input.setAttribute("aria-label", `Model name for ${run.name}`);
    const button = document.createElement("button");
    button.type = "submit";
    button.textContent = "Publish";
    button.disabled = run.checkpoints === 0 && !run.hasBest;
    form.append(input, button);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      publish(run.name, input.value.trim());
    });
    publishCell.append(form);

    tr.append(
      name,
      cell(run.mode),
      cell(run.dataset),
      cell(`${run.step} / ${run.totalSteps}`, "mono"),
      resumeCell,
      publishCell,
    );
    return tr;
  });
  tbody.replaceChildren(...(rows.length > 0 ? rows : [emptyRow("No runs yet.", 6)]));
}
