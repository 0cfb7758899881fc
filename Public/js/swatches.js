// Small pieces the artist's helpers share: a row of the editor's toolbars, made here so the
// page template stays as it is, and a colour swatch button.

/**
 * A toolbar row inserted above the status line: its label, then `hint` (what fills it) until
 * it has something to show. It stays in place, so the drawing does not move when it fills.
 */
export function toolbarRow(id, label, hint) {
  const row = document.createElement("div");
  row.id = id;
  row.className = "toolbar";
  row.setAttribute("role", "group");
  row.setAttribute("aria-label", label);
  const title = document.createElement("strong");
  title.textContent = label;
  const placeholder = document.createElement("span");
  placeholder.className = "muted";
  placeholder.textContent = hint;
  row.append(title, placeholder);
  const status = document.getElementById("status");
  status.parentElement.insertBefore(row, status);
  return row;
}

/** Marks a row made by `toolbarRow` as filled (its placeholder hidden). */
export function showRow(row) {
  row.children[1].hidden = true;
}

/** A round button of colour `hex` (the palette's look) that calls `onClick`. */
export function swatchButton(hex, title, onClick) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "swatch";
  button.style.background = hex;
  button.dataset.color = hex;
  button.title = title;
  button.setAttribute("aria-label", title);
  button.addEventListener("click", onClick);
  return button;
}

/** Removes everything from `row` but its label and placeholder. */
export function clearRow(row) {
  while (row.children.length > 2) row.lastChild.remove();
}
