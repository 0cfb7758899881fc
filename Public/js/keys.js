// The editor's keyboard: each shortcut of shortcuts.js runs its action, except while the
// person types in a field or reads the shortcut list.
import { Shortcut, shortcutFor } from "./shortcuts.js";

/** Whether key presses on `target` are typing rather than shortcuts. */
function isTyping(target) {
  if (target instanceof HTMLInputElement) return target.type !== "checkbox" && target.type !== "range";
  return target instanceof HTMLSelectElement || target instanceof HTMLTextAreaElement;
}

/**
 * Runs `actions[id]()` for each shortcut pressed. `actions` must name every Shortcut;
 * while `helpDialog` is open only `?` works (and Escape, the dialog's own).
 */
export function setUpKeys(actions, helpDialog) {
  const missing = Object.values(Shortcut).filter((id) => typeof actions[id] !== "function");
  if (missing.length > 0) throw new Error(`No action for the shortcuts ${missing.join(", ")}`);
  document.addEventListener("keydown", (event) => {
    if (isTyping(event.target)) return;
    const id = shortcutFor(event);
    if (id === null || (helpDialog.open && id !== Shortcut.help)) return;
    event.preventDefault();
    actions[id]();
  });
}
