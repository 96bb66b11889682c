import { fail } from '../errors.js';
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

/** Reads and parses an IDX file, gunzipping it first when it is gzip-compressed (`.gz` or not). */
export function readIdxFile(path: string): IdxArray {
  let bytes: Uint8Array = requireNodeModule('node:fs', 'readIdxFile').readFileSync(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = requireNodeModule('node:zlib', 'readIdxFile').gunzipSync(bytes);
    } catch (error) {
      fail(`IDX file ${path}`, `corrupt or truncated gzip data (${(error as Error).message})`);
    }
  }
  return parseIdx(bytes, path);
}
