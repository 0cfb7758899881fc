// Adding a dataset from the browser: a folder of pictures or a .zip, dropped or chosen, sent
// one picture at a time to POST /api/datasets/{name}/pictures with progress; files that are
// not pictures, or that the server refuses, are listed with the reason and the rest go on.
import { ZipError, zipEntries } from "./zip-reader.js";
import { ServerError, request } from "./protocol.js";
import { acceptDrops } from "./dom.js";

/** File names the server takes (as `DatasetUpload.cleanPath`). */
const PICTURE = /\.(png|jpe?g)$/i;
/** A dataset name the server takes (as `DatasetUpload.isValidName`). */
export const DATASET_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** `[{ path, read() }]` of the files in a drop: folders are walked, zips opened. */
export async function filesFromDrop(dataTransfer) {
  const entries = [...dataTransfer.items].map((item) => item.webkitGetAsEntry?.()).filter(Boolean);
  if (entries.length === 0) return filesFromList([...dataTransfer.files]);
  const files = [];
  for (const entry of entries) await walk(entry, "", files);
  if (files.length === 1 && /\.zip$/i.test(files[0].path)) return filesFromZip(await files[0].read());
  return stripCommonFolder(files);
}

/** `[{ path, read() }]` of chosen files (from a folder input they carry their relative path). */
export async function filesFromList(list) {
  if (list.length === 1 && /\.zip$/i.test(list[0].name)) return filesFromZip(list[0]);
  return stripCommonFolder(list.map((file) => ({ path: file.webkitRelativePath || file.name, read: async () => file })));
}

/** The files inside a zip. */
export async function filesFromZip(blob) {
  const entries = await zipEntries(blob);
  return stripCommonFolder(entries.filter((e) => !e.path.startsWith("__MACOSX/")).map((e) => ({ path: e.path, read: e.read })));
}

async function walk(entry, prefix, files) {
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) {
    files.push({ path, read: () => new Promise((resolve, reject) => entry.file(resolve, reject)) });
    return;
  }
  const reader = entry.createReader();
  for (;;) {
    const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    for (const child of batch) await walk(child, path, files);
  }
}

/** Drops a folder every path starts with (the dropped folder's or zip's own name). */
function stripCommonFolder(files) {
  const first = files[0]?.path.split("/");
  if (!first || first.length < 2) return files;
  const top = `${first[0]}/`;
  return files.every((f) => f.path.startsWith(top)) ? files.map((f) => ({ ...f, path: f.path.slice(top.length), folder: first[0] })) : files;
}

/** A name for a new dataset from the dropped folder's or zip's name. */
export function suggestedName(files, fallback) {
  const raw = files[0]?.folder ?? fallback ?? "";
  const name = raw.replace(/\.zip$/i, "").replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 64);
  return DATASET_NAME.test(name) ? name : "";
}

async function base64Of(blob) {
  const url = await new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
  return String(url).slice(String(url).indexOf(",") + 1);
}

/**
 * Sends `files` into dataset `name`, one at a time. `onProgress({ done, total, added, refused })`
 * follows each file; resolves with `{ added, refused: [{ path, reason }] }`. Files that are
 * not PNG or JPEG by name, hidden ones, those over `limits.maxPictureBytes` and those the
 * server refuses are listed in `refused`.
 */
export async function uploadDataset(name, files, limits, onProgress) {
  const refused = [];
  let added = 0;
  const report = (done) => onProgress({ done, total: files.length, added, refused: refused.length });
  for (const [index, file] of files.entries()) {
    const base = file.path.split("/").pop();
    if (file.path.split("/").some((part) => part.startsWith("."))) {
      refused.push({ path: file.path, reason: "hidden file, left out" });
    } else if (!PICTURE.test(base)) {
      refused.push({ path: file.path, reason: "not a PNG or JPEG picture, left out" });
    } else {
      try {
        const blob = await file.read();
        if (blob.size > limits.maxPictureBytes) {
          refused.push({ path: file.path, reason: `${(blob.size / 1e6).toFixed(1)} MB, more than the ${Math.floor(limits.maxPictureBytes / 1e6)} MB a picture may have` });
          report(index + 1);
          continue;
        }
        const image = await base64Of(blob);
        await request(`/api/datasets/${encodeURIComponent(name)}/pictures`, { body: { path: file.path, image } });
        added += 1;
      } catch (error) {
        // The server names the field first ("image: …"); the person needs only the reason.
        if (error instanceof ServerError) refused.push({ path: file.path, reason: error.message.replace(/^(image|path): /, "") });
        else refused.push({ path: file.path, reason: error instanceof ZipError ? error.message : `could not be read (${error.message})` });
      }
    }
    report(index + 1);
  }
  return { added, refused };
}

/**
 * Wires the "Add a dataset" panel: a drop zone, folder and .zip inputs, the name field,
 * progress, a status line and the list of files left out. `hooks.limits()` gives the largest
 * picture the server takes; `hooks.onAdded(name)` runs once the files are sent (before the
 * final status is shown), so the page can list and select the dataset.
 */
export function setUpDatasetUpload(elements, hooks) {
  const { nameInput, dropZone, inputs, progress, status, problems } = elements;

  async function add(files, fallbackName) {
    if (!nameInput.value.trim()) nameInput.value = suggestedName(files, fallbackName);
    const name = nameInput.value.trim();
    problems.replaceChildren();
    if (!DATASET_NAME.test(name)) {
      status.textContent = "Give the dataset a name of letters, digits, - and _ (up to 64), then drop the pictures again.";
      nameInput.focus();
      return;
    }
    if (files.length === 0) {
      status.textContent = "No files found there.";
      return;
    }
    progress.hidden = false;
    progress.max = files.length;
    progress.value = 0;
    const { added, refused } = await uploadDataset(name, files, hooks.limits(), ({ done, total, added: sent, refused: left }) => {
      progress.value = done;
      status.textContent = `${done} / ${total} files: ${sent} added to ${name}${left ? `, ${left} left out` : ""}…`;
    });
    await hooks.onAdded(name);
    problems.replaceChildren(...refused.map(({ path, reason }) => {
      const item = document.createElement("li");
      item.textContent = `${path}: ${reason}`;
      return item;
    }));
    status.textContent = `${added} picture${added === 1 ? "" : "s"} added to ${name}` +
      (refused.length ? `; ${refused.length} file${refused.length === 1 ? "" : "s"} left out (below).` : ".");
  }

  /** Reads what was dropped or chosen, then adds it; files that cannot be read are reported. */
  async function addFrom(readFiles, fallbackName) {
    status.textContent = "Reading the files…";
    try {
      await add(await readFiles(), fallbackName);
    } catch (error) {
      status.textContent = `Could not read them: ${error.message}`;
    }
  }

  acceptDrops(dropZone, (transfer) => addFrom(() => filesFromDrop(transfer), transfer.files[0]?.name));
  for (const input of inputs) {
    input.addEventListener("change", () => {
      const list = [...(input.files ?? [])];
      input.value = "";
      if (list.length > 0) addFrom(() => filesFromList(list), list[0].name);
    });
  }
}
