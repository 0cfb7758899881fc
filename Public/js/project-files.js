// What the editor saves and downloads: project files (drawing, hints, mode and model; see
// project.js for the format) and the result as a PNG, as OpenRaster layers, or as a PNG with
// the page's paper transparent.
import { byId } from "./dom.js";
import { ExportFormat, exportFileName, fetchExport } from "./export-download.js";
import { dataURLToBlob, downloadBlob, parseProject, serializeProject } from "./project.js";
import { Mode } from "./protocol.js";

/**
 * Wires the save, load and download buttons to `editor` (app.js's shared parts and actions).
 * Returns the actions the keys share: `saveProject()` and `downloadExport(format)`.
 */
export function setUpProjectFiles(editor) {
  const { drawing, state, status } = editor;

  function saveProject() {
    const text = serializeProject({
      imageDataURL: drawing.toDataURL(),
      width: drawing.width,
      height: drawing.height,
      hints: state.hints,
      mode: state.mode,
      model: state.model,
      variant: state.variant,
    });
    downloadBlob(new Blob([text], { type: "application/json" }), "tinct-project.json");
    status.show("Saved the project (drawing, hints, mode and model).");
  }

  async function loadProject(file) {
    try {
      const project = parseProject(await file.text());
      // Decoded here rather than fetched: the page's content policy allows no data: fetches.
      const image = await createImageBitmap(dataURLToBlob(project.image));
      editor.replacePicture(image, project.hints);
      if (project.model) state.model = project.model;
      state.variant = project.variant;
      editor.setMode(project.mode, { quiet: true });
      editor.edited();
      status.show(`Loaded ${file.name}.`);
    } catch (error) {
      status.show(error.message);
    }
  }

  /** Downloads the current picture as `format`, made by the server (see export-download.js). */
  async function downloadExport(format) {
    if (!state.hasResult) return;
    // Only line art has a page of paper to clear.
    if (format === ExportFormat.transparentPNG && state.mode !== Mode.lineart) return;
    status.show("Preparing the download…");
    try {
      const blob = await fetchExport({
        mode: state.mode, model: state.model || undefined, hints: state.hints, image: drawing.toBase64PNG(), format,
        variant: state.variant,
      });
      downloadBlob(blob, exportFileName(format, state.mode, drawing.width, drawing.height));
      status.show(format === ExportFormat.openRaster
        ? "Downloaded the layers: paper, flats, shading, light, lines and the hints (hidden)."
        : "Downloaded the picture with its paper transparent.");
    } catch (error) {
      status.show(`Download failed: ${error.message}`);
    }
  }

  byId("save-project").addEventListener("click", saveProject);
  byId("load-project").addEventListener("change", (event) => {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (file) loadProject(file);
  });
  byId("download").addEventListener("click", () => editor.resultPane.download(downloadBlob));
  byId("download-layers").addEventListener("click", () => downloadExport(ExportFormat.openRaster));
  byId("download-transparent").addEventListener("click", () => downloadExport(ExportFormat.transparentPNG));
  return { saveProject, downloadExport };
}
