// Small helpers every page's modules share.

/** The element with id `id` (null when the page has none). */
export function byId(id) {
  return document.getElementById(id);
}

/**
 * Makes `zone` accept dropped files: it wears the `dropping` class while something is dragged
 * over it, and `onDrop(dataTransfer)` gets what was dropped.
 */
export function acceptDrops(zone, onDrop) {
  zone.addEventListener("dragover", (event) => {
    event.preventDefault();
    zone.classList.add("dropping");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("dropping"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("dropping");
    if (event.dataTransfer) onDrop(event.dataTransfer);
  });
}
