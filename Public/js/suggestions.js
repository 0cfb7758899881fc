// Suggested colours: when the hint tool rests over the drawing, the server is asked which
// colours the network gives at that point across several dropout variants (POST
// /api/suggestions); they appear as swatches, most agreed first, and clicking one adds a hint
// of that colour there.
import { Tool } from "./editor-state.js";
import { SUGGESTIONS_PATH, requestJSON, suggestionsRequestBody } from "./protocol.js";
import { clearRow, showRow, swatchButton, toolbarRow } from "./swatches.js";

/** How long the pointer rests before suggestions are asked, in ms. */
const REST_MS = 250;

/** Sets up the suggestions row, fed by pointer moves over `overlay`. */
export function setUpSuggestions(editor, overlay) {
  const { state, drawing, palette, gestures, status } = editor;
  const row = toolbarRow("suggestions", "Suggested here", "Rest the hint tool over the drawing for the colours the network suggests there.");
  let timer = null;
  let asked = 0;
  /** The drawing's base64 PNG, kept while its version holds (encoding it costs). */
  let encoded = { version: -1, image: "" };

  function image() {
    if (encoded.version !== drawing.version) encoded = { version: drawing.version, image: drawing.toBase64PNG() };
    return encoded.image;
  }

  async function ask(point) {
    const token = ++asked;
    const startedAt = performance.now();
    let answer;
    try {
      answer = await requestJSON(SUGGESTIONS_PATH, {
        body: suggestionsRequestBody({ mode: state.mode, model: state.model, hints: state.hints, image: image(), ...point }),
      });
    } catch (error) {
      if (token === asked) status.show(`Suggestions: ${error.message}`);
      return;
    }
    if (token !== asked) return;
    clearRow(row);
    for (const { color, votes } of answer.suggestions) {
      row.append(swatchButton(color, `${color}: ${votes} of ${answer.variants} variants`, () => {
        editor.checkpoint();
        palette.set(color);
        gestures.addHint(point);
        status.show(`Added a ${color} hint where the network suggested it.`);
      }));
    }
    showRow(row);
    row.dataset.x = String(point.x);
    row.dataset.y = String(point.y);
    // From the question to the swatches on screen (the pointer's rest not counted).
    row.dataset.ms = String(Math.round(performance.now() - startedAt));
  }

  overlay.addEventListener("pointermove", (event) => {
    clearTimeout(timer);
    if (state.tool !== Tool.hint || event.buttons !== 0) return;
    const p = drawing.pointFromEvent(event);
    const point = { x: Math.floor(p.x), y: Math.floor(p.y) };
    timer = setTimeout(() => ask(point), REST_MS);
  });
  overlay.addEventListener("pointerleave", () => clearTimeout(timer));
}
