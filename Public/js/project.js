// Project files: the drawing, hints, mode and model in one JSON document. The drawing is a
// lossless PNG data URL of the full-resolution canvas, so a loaded project sends the server
// exactly the pixels the saved one did and colorizes identically.

export const PROJECT_FORMAT = "tinct-project";
export const PROJECT_VERSION = 1;

/** The project as JSON text. */
export function serializeProject({ imageDataURL, width, height, hints, mode, model, variant = null }) {
  return JSON.stringify(
    { format: PROJECT_FORMAT, version: PROJECT_VERSION, mode, model: model || null, variant, width, height, hints, image: imageDataURL },
    null,
    1,
  );
}

/** Parses and checks a project file; throws an Error with a readable message. */
export function parseProject(text) {
  let project;
  try {
    project = JSON.parse(text);
  } catch {
    throw new Error("This file is not a Tinct project (not JSON).");
  }
  if (project?.format !== PROJECT_FORMAT) throw new Error("This file is not a Tinct project.");
  if (project.version !== PROJECT_VERSION) throw new Error(`Unsupported project version ${project.version}.`);
  if (typeof project.image !== "string" || !project.image.startsWith("data:image/")) {
    throw new Error("The project has no picture.");
  }
  const hints = Array.isArray(project.hints) ? project.hints : [];
  const valid = hints
    .filter((h) => Number.isFinite(h?.x) && Number.isFinite(h?.y) && /^#[0-9a-fA-F]{6}$/.test(h?.color ?? ""))
    .map((h) => ({ x: h.x, y: h.y, color: h.color.toLowerCase(), r: Number.isFinite(h.r) ? h.r : 2 }));
  return {
    mode: project.mode === "photo" ? "photo" : "lineart",
    model: typeof project.model === "string" ? project.model : null,
    // The adopted variant's seed (variants.js): the same seed re-renders the same colouring.
    variant: Number.isSafeInteger(project.variant) && project.variant >= 0 ? project.variant : null,
    hints: valid,
    image: project.image,
  };
}

/** A `data:` URL (base64 or percent-encoded) as a Blob, without fetching it. */
export function dataURLToBlob(url) {
  const match = /^data:([^;,]*)((?:;[^;,]*)*?)(;base64)?,(.*)$/s.exec(url);
  if (!match) throw new Error("The project's picture is not a data URL.");
  const [, type, , base64, payload] = match;
  let bytes;
  try {
    bytes = base64
      ? Uint8Array.from(atob(payload), (c) => c.charCodeAt(0))
      : new TextEncoder().encode(decodeURIComponent(payload));
  } catch {
    throw new Error("The project's picture is damaged.");
  }
  return new Blob([bytes], { type: type || "application/octet-stream" });
}

/** Offers `blob` as a download named `name`. */
export function downloadBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
