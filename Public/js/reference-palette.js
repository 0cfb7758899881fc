// Palette from a reference picture: R (or the Reference… button) opens a picture, the server
// clusters its colours in Lab (POST /api/palette) and the dominant ones, largest share first,
// become a row of swatches; clicking one makes it the hint colour.
import { PALETTE_PATH, requestJSON } from "./protocol.js";
import { clearRow, showRow, swatchButton, toolbarRow } from "./swatches.js";

/** Colours asked of a reference picture. */
const COLORS = 6;

/** Sets up the reference row and its file input; returns `open()`, which asks for a picture. */
export function setUpReferencePalette(editor) {
  const { palette, status } = editor;
  const row = toolbarRow("reference-palette", "Reference", "R (or Reference…) takes the main colours of a picture.");
  const input = document.createElement("input");
  input.type = "file";
  input.accept = "image/png,image/jpeg";
  input.className = "visually-hidden";
  input.id = "reference-file";
  const label = document.createElement("label");
  label.className = "button";
  label.title = "Take a palette from a reference picture (R)";
  label.append("Reference…", input);
  document.getElementById("colorize").before(label);

  async function use(file) {
    const image = await new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(file);
    });
    let answer;
    try {
      answer = await requestJSON(PALETTE_PATH, { body: { image, colors: COLORS } });
    } catch (error) {
      status.show(`Reference palette: ${error.message}`);
      return;
    }
    clearRow(row);
    for (const { color, share } of answer.colors) {
      row.append(swatchButton(color, `${color}: ${Math.round(share * 100)} % of the reference`, () => palette.set(color)));
    }
    showRow(row);
    row.dataset.ready = "true";
    status.show(`The reference's ${answer.colors.length} main colours: click one to paint hints with it.`);
  }

  input.addEventListener("change", () => {
    const [file] = input.files;
    input.value = "";
    if (file) use(file);
  });
  return { open: () => input.click(), use };
}
