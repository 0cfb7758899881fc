// Reads the files of a .zip in the browser: the central directory for names and sizes, each
// entry stored or deflated (inflated with DecompressionStream), so a dataset can be sent
// picture by picture without a library. ZIP64 and encrypted archives are refused.

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

/** Why a zip (or one of its entries) cannot be read. */
export class ZipError extends Error {}

/**
 * The entries of `blob`, a .zip: `[{ path, size, read() }]` for files (folders left out);
 * `read()` resolves with the entry's bytes as a Blob.
 */
export async function zipEntries(blob) {
  const tailSize = Math.min(blob.size, 22 + 0xffff);
  const tail = new DataView(await blob.slice(blob.size - tailSize).arrayBuffer());
  let eocd = -1;
  for (let i = tail.byteLength - 22; i >= 0; i -= 1) {
    if (tail.getUint32(i, true) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipError("not a zip file");
  const count = tail.getUint16(eocd + 10, true);
  const directorySize = tail.getUint32(eocd + 12, true);
  const directoryOffset = tail.getUint32(eocd + 16, true);
  if (directoryOffset === 0xffffffff || count === 0xffff) throw new ZipError("ZIP64 archives are not supported; zip fewer or smaller files");
  const directory = new DataView(await blob.slice(directoryOffset, directoryOffset + directorySize).arrayBuffer());
  const decoder = new TextDecoder();
  const entries = [];
  let at = 0;
  for (let n = 0; n < count; n += 1) {
    if (at + 46 > directory.byteLength || directory.getUint32(at, true) !== CENTRAL_SIGNATURE) throw new ZipError("damaged zip directory");
    const flags = directory.getUint16(at + 8, true);
    const method = directory.getUint16(at + 10, true);
    const compressedSize = directory.getUint32(at + 20, true);
    const size = directory.getUint32(at + 24, true);
    const nameLength = directory.getUint16(at + 28, true);
    const extraLength = directory.getUint16(at + 30, true);
    const commentLength = directory.getUint16(at + 32, true);
    const localOffset = directory.getUint32(at + 42, true);
    const path = decoder.decode(new Uint8Array(directory.buffer, directory.byteOffset + at + 46, nameLength));
    at += 46 + nameLength + extraLength + commentLength;
    if (path.endsWith("/")) continue;
    entries.push({
      path,
      size,
      read: () => readEntry(blob, { path, flags, method, compressedSize, localOffset }),
    });
  }
  return entries;
}

async function readEntry(blob, { path, flags, method, compressedSize, localOffset }) {
  if (flags & 1) throw new ZipError(`${path} is encrypted`);
  const header = new DataView(await blob.slice(localOffset, localOffset + 30).arrayBuffer());
  if (header.getUint32(0, true) !== LOCAL_SIGNATURE) throw new ZipError(`${path}: damaged entry`);
  const start = localOffset + 30 + header.getUint16(26, true) + header.getUint16(28, true);
  const data = blob.slice(start, start + compressedSize);
  if (method === 0) return data;
  if (method !== 8) throw new ZipError(`${path} uses compression method ${method}; only stored and deflated entries are read`);
  const inflated = data.stream().pipeThrough(new DecompressionStream("deflate-raw"));
  return new Response(inflated).blob();
}
