import { ConvlabError, fail } from '../errors.js';
import { requireNodeModule } from '../platform.js';

/** The contents of an IDX file: its dimensions and its unsigned-byte values, row-major. */
export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

const UNSIGNED_BYTE = 0x08;
const TYPE_NAMES: Record<number, string> = { 0x09: 'signed byte', 0x0b: 'int16', 0x0c: 'int32', 0x0d: 'float32', 0x0e: 'float64' };

/**
 * Parses an IDX file (the MNIST format): a 4-byte magic number `00 00 <type> <rank>`, `rank`
 * big-endian uint32 dimensions, then the values. Only unsigned-byte files (type 0x08, what MNIST
 * and Fashion-MNIST use) are read. `source` names the file in errors.
 * @example parseIdx(bytes, 'labels.idx1') // { dims: [60000], data: Uint8Array(60000) }
 */
export function parseIdx(bytes: Uint8Array, source: string): IdxArray {
  const where = `IDX file ${source}`;
  if (bytes.length < 4) fail(where, `truncated: ${bytes.length} bytes, too short for the 4-byte magic number`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const magic = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    fail(where, `wrong magic number ${magic}: expected 00 00 08 <rank> (not an IDX file)`);
  }
  const type = bytes[2]!;
  if (type !== UNSIGNED_BYTE) {
    const name = TYPE_NAMES[type];
    fail(where, name === undefined ? `unknown element type 0x${type.toString(16)} in the magic number` : `element type ${name} is not supported; expected unsigned bytes (0x08)`);
  }
  const rank = bytes[3]!;
  if (rank === 0) fail(where, 'rank 0 in the magic number: expected at least one dimension');
  const headerLength = 4 + 4 * rank;
  if (bytes.length < headerLength) fail(where, `truncated: ${bytes.length} bytes, the header of a rank-${rank} file needs ${headerLength}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const size = dims.reduce((a, b) => a * b, 1);
  const available = bytes.length - headerLength;
  if (available < size) fail(where, `truncated: dimensions ${dims.join('×')} need ${size} bytes of data, the file has ${available}`);
  if (available > size) fail(where, `${available - size} unexpected bytes after the ${dims.join('×')} values`);
  return { dims, data: bytes.subarray(headerLength) };
}

/**
 * The most data bytes an IDX file may declare (1 GiB; Fashion-MNIST's training images are 47 MB).
 * Checked from the header before anything is decompressed or read in full.
 */
export const IDX_MAX_BYTES = 2 ** 30;

/** Compressed bytes tried, doubling, to decompress just the header of a gzipped file. */
const HEADER_PREFIXES = [64, 256, 1024, 4096, 16_384, 65_536];
/** The longest header: the magic number and 255 dimensions. */
const MAX_HEADER = 4 + 4 * 255;

/**
 * The total size (header and data) the header at the start of `bytes` declares, checked against
 * {@link IDX_MAX_BYTES}; null when `bytes` holds less than the whole header (the full parse then
 * reports what is wrong).
 */
function declaredSize(bytes: Uint8Array, where: string): { total: number; dims: readonly number[] } | null {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) return null;
  const rank = bytes[3]!;
  if (bytes.length < 4 + 4 * rank) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const size = dims.reduce((a, b) => a * b, 1);
  if (size > IDX_MAX_BYTES) {
    fail(where, `dimensions ${dims.join('×')} declare ${size.toLocaleString('en-US')} bytes of data, more than the limit of ${IDX_MAX_BYTES.toLocaleString('en-US')} bytes`);
  }
  return { total: 4 + 4 * rank + size, dims };
}

/** A file-system error as `EISDIR: illegal operation on a directory` (without the path Node appends). */
function fileError(error: unknown): string {
  return error instanceof Error ? error.message.replace(/, \w+( '[^']*')?$/, '') : String(error);
}

/**
 * Reads and parses an IDX file, gunzipping it first when it is gzip-compressed (`.gz` or not).
 * The header is read first and its declared size checked against {@link IDX_MAX_BYTES}; a
 * gzipped file is then decompressed up to that size and no further, so a gzip bomb costs no
 * more memory than the data it claims to hold.
 */
export function readIdxFile(path: string): IdxArray {
  const where = `IDX file ${path}`;
  const fs = requireNodeModule('node:fs', 'readIdxFile');
  let bytes: Uint8Array;
  try {
    const fd = fs.openSync(path, 'r');
    try {
      const head = new Uint8Array(MAX_HEADER);
      const n = fs.readSync(fd, head, 0, MAX_HEADER, 0);
      if (!(head[0] === 0x1f && head[1] === 0x8b)) declaredSize(head.subarray(0, n), where);
      const size = fs.fstatSync(fd).size;
      if (size > IDX_MAX_BYTES + MAX_HEADER) fail(where, `${size.toLocaleString('en-US')} bytes, more than the limit of ${IDX_MAX_BYTES.toLocaleString('en-US')} bytes of data`);
      bytes = fs.readFileSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    if (error instanceof ConvlabError) throw error;
    fail(where, `cannot read it: ${fileError(error)}`);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipDeclared(bytes, where);
  return parseIdx(bytes, path);
}

/** Decompresses gzipped IDX bytes: the header first, then everything up to the size it declares. */
function gunzipDeclared(bytes: Uint8Array, where: string): Uint8Array {
  const zlib = requireNodeModule('node:zlib', 'readIdxFile');
  let declared: { total: number; dims: readonly number[] } | null = null;
  try {
    for (const prefix of HEADER_PREFIXES) {
      const head = zlib.gunzipSync(bytes.subarray(0, prefix), { finishFlush: zlib.constants.Z_SYNC_FLUSH, maxOutputLength: 4 << 20 });
      declared = declaredSize(head, where);
      if (declared !== null || head.length >= MAX_HEADER || prefix >= bytes.length) break;
    }
    if (declared === null) return zlib.gunzipSync(bytes, { maxOutputLength: MAX_HEADER });
    // One output chunk larger than the data (zlib's minimum is 64 bytes): decompressed in place, with no chunks to join
    // (the default 16 KiB chunks and their concatenation cost twice the data's size in memory).
    return zlib.gunzipSync(bytes, { maxOutputLength: declared.total, chunkSize: Math.max(declared.total + 1, zlib.constants.Z_MIN_CHUNK) });
  } catch (error) {
    if (error instanceof ConvlabError) throw error;
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      fail(where, declared === null
        ? 'gzip data without an IDX header at its start'
        : `decompresses to more than the ${declared.total} bytes its header declares (${declared.dims.join('×')})`);
    }
    fail(where, `corrupt or truncated gzip data (${(error as Error).message})`);
  }
}
