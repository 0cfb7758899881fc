// Region outline (line-art mode): while the hint tool is over the drawing, the area a hint
// there would colour is outlined. The server segments the drawing once per version (POST
// /api/regions, the segmentation the hint spreading uses); every pointer move after that is
// a lookup here, with no round trip.
import { Tool } from "./editor-state.js";
import { Mode, REGIONS_PATH, RegionLabel, requestJSON } from "./protocol.js";

/** How long the drawing stays unchanged before it is segmented again, in ms. */
const SETTLE_MS = 300;

/** Adds the outline to the overlay (`view.addOverlayLayer`). */
export function setUpRegionOutline(editor) {
  const { state, drawing, view, status } = editor;
  let map = null;  // {version, width, height, labels: Int32Array, pageReach}
  let fetching = -1;
  let timer = null;
  const outlines = new Map();  // area → Int32Array of its border pixels

  async function segment(version) {
    fetching = version;
    let answer;
    try {
      answer = await requestJSON(REGIONS_PATH, { body: { image: drawing.toBase64PNG() } });
    } catch (error) {
      status.show(`Regions: ${error.message}`);
      return;
    } finally {
      if (fetching === version) fetching = -1;
    }
    if (version !== drawing.version) return;
    const labels = new Int32Array(answer.width * answer.height);
    let at = 0;
    for (let k = 0; k < answer.runs.length; k += 2) {
      labels.fill(answer.runs[k], at, at + answer.runs[k + 1]);
      at += answer.runs[k + 1];
    }
    map = { version, width: answer.width, height: answer.height, labels, pageReach: answer.pageReach };
    outlines.clear();
    view.renderOverlay();
  }

  /** The pixels of `area` with a 4-neighbour outside it. */
  function outline(area) {
    if (outlines.has(area)) return outlines.get(area);
    const { width, height, labels } = map;
    const border = [];
    for (let i = 0; i < labels.length; i++) {
      if (labels[i] !== area) continue;
      const x = i % width, y = (i / width) | 0;
      if (x === 0 || y === 0 || x === width - 1 || y === height - 1 || labels[i - 1] !== area || labels[i + 1] !== area
          || labels[i - width] !== area || labels[i + width] !== area) border.push(i);
    }
    const pixels = Int32Array.from(border);
    outlines.set(area, pixels);
    return pixels;
  }

  view.addOverlayLayer((context, scale) => {
    const active = state.tool === Tool.hint && state.mode === Mode.lineart && state.cursor;
    if (!active) {
      delete view.overlay.dataset.outlinedArea;
      return;
    }
    if (!map || map.version !== drawing.version) {
      if (timer === null && fetching !== drawing.version) {
        timer = setTimeout(() => {
          timer = null;
          segment(drawing.version);
        }, SETTLE_MS);
      }
      if (!map || map.width !== drawing.width || map.height !== drawing.height) return;
    }
    const x = Math.round(state.cursor.x), y = Math.round(state.cursor.y);
    const area = map.labels[y * map.width + x];
    view.overlay.dataset.outlinedArea = String(area);
    context.strokeStyle = context.fillStyle = "#0ea5e9";
    if (area === RegionLabel.page) {
      context.beginPath();
      context.arc(x, y, map.pageReach, 0, Math.PI * 2);
      context.lineWidth = scale;
      context.setLineDash([4 * scale, 3 * scale]);
      context.stroke();
    } else if (area !== RegionLabel.ink) {
      const side = Math.max(1, scale);
      for (const i of outline(area)) context.fillRect(i % map.width, (i / map.width) | 0, side, side);
    }
  });
}
