// Variants: other plausible colourings of the same drawing and hints — the generator run with
// its dropout on, seeded (POST /api/colorize with `variant`; the same seed always gives the
// same picture). V shows four; clicking one adopts it: the live colorization, the downloads
// and a saved project then use its seed. "Usual" goes back to the deterministic colouring.
import { COLORIZE_PATH, colorizeRequestBody, request } from "./protocol.js";
import { clearRow, showRow, toolbarRow } from "./swatches.js";

/** Variants shown at a time. */
const COUNT = 4;

/** Sets up the variants row; returns `show()`, which fetches the next four variants. */
export function setUpVariants(editor) {
  const { state, drawing, status } = editor;
  const row = toolbarRow("variants", "Variants", "V shows four other colourings of the drawing and hints; click one to use it.");
  let nextSeed = 1;
  let showing = 0;

  function choose(seed) {
    state.variant = seed;
    for (const button of row.querySelectorAll("button[data-seed]")) {
      button.setAttribute("aria-pressed", String(Number(button.dataset.seed) === seed || (seed === null && button.dataset.seed === "")));
    }
    status.show(seed === null ? "Using the usual colouring." : `Using variant ${seed} (a saved project keeps it).`);
    editor.edited();
  }

  function button(seed, content, title) {
    const element = document.createElement("button");
    element.type = "button";
    element.dataset.seed = seed === null ? "" : String(seed);
    element.title = title;
    element.setAttribute("aria-pressed", String(state.variant === seed));
    element.append(content);
    element.addEventListener("click", () => choose(seed));
    return element;
  }

  async function show() {
    const seeds = Array.from({ length: COUNT }, (_, k) => nextSeed + k);
    nextSeed += COUNT;
    const token = ++showing;
    clearRow(row);
    showRow(row);
    row.append(button(null, "Usual", "The deterministic colouring (dropout off)"));
    const picture = { mode: state.mode, model: state.model || undefined, hints: state.hints, image: drawing.toBase64PNG() };
    status.show(`Colouring ${COUNT} variants…`);
    for (const seed of seeds) {
      let blob;
      try {
        blob = await (await request(COLORIZE_PATH, { body: colorizeRequestBody({ ...picture, variant: seed }) })).blob();
      } catch (error) {
        status.show(`Variants: ${error.message}`);
        return;
      }
      if (token !== showing) return;
      const image = document.createElement("img");
      image.src = URL.createObjectURL(blob);
      image.alt = `Variant ${seed}`;
      image.style.height = "4.5rem";
      image.style.display = "block";
      row.append(button(seed, image, `Use variant ${seed}`));
    }
    row.dataset.ready = "true";
    status.show("Click a variant to use it (V shows four more).");
  }

  return { show };
}
