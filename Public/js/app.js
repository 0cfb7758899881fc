// Tinct editor entry point (ES module, loaded by templates/index.mustache).
// Writes text with textContent only, never by building HTML strings.

/** Shows `text` in the page's status line, if the page has one. */
export function setStatus(text) {
  const status = document.getElementById("status");
  if (status) {
    status.textContent = text;
  }
}

setStatus("Ready.");
