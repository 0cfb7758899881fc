// The dashboard's "New run" form, built from the training options' schema (the server's
// TrainingOptions.schema): one control per option with its label, help as tooltip, range,
// choices and default; advanced options folded away; options the chosen mode does not use
// hidden and left out of the start request.
import { OptionType } from "./protocol.js";

/** Builds the controls of `options` into `main` and `advanced` (containers in the form). */
export function buildOptionControls(options, { main, advanced }) {
  for (const [container, group, choicesInGrid] of [[main, false, false], [advanced, true, true]]) {
    const grid = element("div", { className: "grid2" });
    const rows = [], checks = [];
    for (const option of options.filter((o) => o.advanced === group)) {
      if (option.type === OptionType.flag) checks.push(checkControl(option));
      else if (option.type === OptionType.choice && !choicesInGrid) rows.push(fieldControl(option, "row"));
      else grid.append(fieldControl(option));
    }
    container.replaceChildren(...rows, grid, ...checks);
  }
}

/** Shows the controls of the options `mode` uses and hides the others. */
export function showOptionsFor(form, options, mode) {
  for (const option of options) {
    const label = form.elements[option.name]?.closest("label");
    if (label) label.hidden = !option.modes.includes(mode);
  }
}

/**
 * The start request's option fields as typed: numbers as numbers (text the server then
 * refuses by name when it is not one), empty fields left out (the server's default, or one
 * derived from other options), hidden options left out.
 */
export function readOptions(form, options) {
  const body = {};
  for (const option of options) {
    const control = form.elements[option.name];
    if (!control || control.closest("label")?.hidden) continue;
    switch (option.type) {
      case OptionType.flag:
        body[option.name] = control.checked;
        break;
      case OptionType.choice:
        body[option.name] = control.value;
        break;
      default: {
        const raw = control.value.trim();
        if (raw === "") break;
        const value = Number(raw);
        body[option.name] = Number.isFinite(value) ? value : raw;
      }
    }
  }
  return body;
}

/** Marks the control named by an error message (`"size: must be …"`) and unfolds it. */
export function markInvalidField(form, message) {
  for (const control of form.querySelectorAll("[aria-invalid]")) control.removeAttribute("aria-invalid");
  const control = form.elements[message.split(":")[0]];
  if (!control || typeof control.setAttribute !== "function") return;
  control.setAttribute("aria-invalid", "true");
  const details = control.closest("details");
  if (details) details.open = true;
}

// ---- Controls ---------------------------------------------------------------------------

function element(tag, properties = {}, children = []) {
  const node = Object.assign(document.createElement(tag), properties);
  node.append(...children);
  return node;
}

/** `<label>Label <select|input></label>` for a choice or a number. */
function fieldControl(option, className = "") {
  const label = element("label", { className, title: option.help });
  label.append(option.label + " ");
  if (option.type === OptionType.choice) {
    const select = element("select", { name: option.name },
      option.choices.map((choice) => element("option", { value: choice.value, textContent: choice.label })));
    select.value = option.default ?? "";
    label.append(select);
    return label;
  }
  const input = element("input", { name: option.name, type: "number" });
  input.step = option.type === OptionType.integer ? "1" : "any";
  if (option.minimum !== undefined) input.min = String(option.minimum);
  if (option.maximum !== undefined) input.max = String(option.maximum);
  if (option.derivedDefault) {
    input.placeholder = "auto";
    label.title = `${option.help} Left empty: ${option.derivedDefault}.`;
  } else {
    input.value = String(option.default);
  }
  label.append(input);
  return label;
}

/** `<label class="check"><input type="checkbox"> Label</label>` for an on/off option. */
function checkControl(option) {
  const input = element("input", { name: option.name, type: "checkbox", checked: option.default === true });
  return element("label", { className: "check", title: option.help }, [input, ` ${option.label}`]);
}
