// Pictures coming into the editor: opened with the file input (or Ctrl+O), pasted, or dropped
// on the drawing. A grayscale photo switches to photo mode; a colour picture in line-art mode
// goes to the line extraction step first.
import { acceptDrops, byId } from "./dom.js";
import { PictureKind } from "./drawing.js";
import { Mode } from "./protocol.js";

/** Largest picture the editor opens (the server's default pixel limit is 16 MP). */
export const MAX_PIXELS = 16_000_000;

/**
 * Opens pictures from the file input, the clipboard and drops on the drawing into `editor`
 * (app.js's shared parts and actions). Returns `openPicture(blob)`.
 */
export function setUpPictureFiles(editor) {
  const { drawing, state, status } = editor;

  async function openPicture(blob) {
    if (!/^image\/(png|jpeg)$/.test(blob.type)) {
      status.show("Open a PNG or JPEG picture.");
      return;
    }
    let bitmap;
    try {
      bitmap = await createImageBitmap(blob);
    } catch {
      status.show("That picture could not be read.");
      return;
    }
    if (bitmap.width * bitmap.height > MAX_PIXELS) {
      status.show(`The picture is ${bitmap.width}×${bitmap.height}; the limit is ${MAX_PIXELS / 1e6} megapixels.`);
      bitmap.close();
      return;
    }
    editor.replacePicture(bitmap, []);
    const kind = drawing.pictureKind();
    if (kind === PictureKind.grayscalePhoto) {
      editor.setMode(Mode.photo, { quiet: true });
      status.show("This looks like a black-and-white photo: switched to photo mode.");
    } else if (kind === PictureKind.color && state.mode === Mode.lineart) {
      // A colour picture is not line art: go straight to its lines, colorized only once chosen.
      editor.openExtraction("This picture is in colour: here are its lines. Pick an extractor and a strength, then Use these lines — or Colorize as a photo.");
    } else {
      status.show(`Opened a ${drawing.width}×${drawing.height} picture.`);
    }
    editor.edited();
  }

  byId("open-file").addEventListener("change", (event) => {
    const file = event.target.files?.[0];
    if (file) openPicture(file);
    event.target.value = "";
  });
  document.addEventListener("paste", (event) => {
    const item = [...(event.clipboardData?.items ?? [])].find((i) => i.type.startsWith("image/"));
    if (item) {
      event.preventDefault();
      openPicture(item.getAsFile());
    }
  });
  acceptDrops(byId("stage"), (transfer) => {
    const file = [...(transfer.files ?? [])][0];
    if (file) openPicture(file);
  });
  return openPicture;
}
